/**
 * The README's "Adding an environment", followed literally: staging.ts copied to qa.ts with exactly the edits the
 * steps name, then synthesized. Nothing of staging may be left in what qa deploys, and a step left out is refused
 * with a line naming environments/qa.ts and the field.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { ENVIRONMENTS, environmentSources, loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { namesEnvironment } from "../../lib/config/cross-environment";
import { runSynth } from "../../stacks/synth";

const root = path.resolve(__dirname, "../..");
const envDir = path.join(root, "environments");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adding-an-environment-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const QA_ACCOUNT = "444444444444";
type Step = "identity" | "export" | "vpcCidr" | "kmsKeyId" | "hostedZones";
const ALL_STEPS: readonly Step[] = ["identity", "export", "vpcCidr", "kmsKeyId", "hostedZones"];

/** The README's edits to a copy of staging.ts; each must match exactly once, or the README no longer fits the file. */
const EDITS: Record<Step, [RegExp, string]> = {
  identity: [/environmentIdentity\("staging", "\d{12}", "eu-west-1"\)/g, `environmentIdentity("qa", "${QA_ACCOUNT}", "eu-west-1")`],
  export: [/export const staging: EnvironmentConfig/g, "export const qa: EnvironmentConfig"],
  vpcCidr: [/vpcCidr: "10\.20\.0\.0\/16"/g, 'vpcCidr: "10.40.0.0/16"'],
  kmsKeyId: [/kmsKeyId: "arn:aws:kms:[^"]+"/g, `kmsKeyId: "arn:aws:kms:eu-west-1:${QA_ACCOUNT}:key/00000004-0000-4000-8000-000000000000"`],
  hostedZones: [/hostedZones: \[[^\]]+\]/g, 'hostedZones: [{ zoneId: "Z0QA0PLATFORM0EXAMPLE", domain: "qa.platform.example.com" }]'],
};

/** environments/qa.ts as a user following the README writes it (leaving out `skip`), loaded as the synth would. */
function qaCopy(skip: readonly Step[] = []): EnvironmentConfig {
  let source = fs.readFileSync(path.join(envDir, "staging.ts"), "utf8");
  for (const step of ALL_STEPS.filter((s) => !skip.includes(s))) {
    const [pattern, replacement] = EDITS[step];
    expect({ step, matches: source.match(pattern)?.length ?? 0 }).toEqual({ step, matches: 1 });
    source = source.replace(pattern, replacement);
  }
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, EnvironmentConfig> };
  // Its imports resolve as they would beside staging.ts.
  const load = (id: string): unknown => require(id.startsWith(".") ? path.join(envDir, id) : id);
  new Function("require", "module", "exports", js)(load, module, module.exports);
  return module.exports["qa"] ?? module.exports["staging"]!;
}

/** Runs the synth over the committed environments plus `qa`; returns exit code and stderr. */
function synthWith(qa: EnvironmentConfig, out: string): { code: number; stderr: string } {
  const inputs = [...ENVIRONMENTS, qa];
  const source = { load: (names?: readonly string[]) => loadEnvironments(names, inputs), names: inputs.map((e) => e.name), sources: environmentSources(inputs) };
  const errors: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return { code: runSynth(["--env", "qa", "--out", out], {}, source), stderr: errors.join("") };
  } finally {
    spy.mockRestore();
    stdout.mockRestore();
  }
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Let's Encrypt's staging directory is what qa's issuer asks for (`server: "staging"`), not staging's resource. */
const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

describe("adding an environment as the README says", () => {
  const staging = ENVIRONMENTS.find((e) => e.name === "staging")!;

  test("a qa copied from staging synthesizes with nothing of staging in what it deploys", () => {
    const out = path.join(tmp, "qa");
    const r = synthWith(qaCopy(), out);
    expect(r.stderr).not.toMatch(/synth stopped/);
    expect(r.code).toBe(0);
    const leftovers: string[] = [];
    for (const file of filesUnder(out)) {
      const text = fs.readFileSync(file, "utf8");
      const words = text.match(/[^\s"'`,{}[\]]*(staging|222222222222)[^\s"'`,{}[\]]*/gi) ?? [];
      for (const w of words) {
        if (w.includes(LETS_ENCRYPT_STAGING)) continue;
        if (w.includes(staging.account) || namesEnvironment(w, "staging", "qa")) leftovers.push(`${path.relative(out, file)}: ${w}`);
      }
    }
    expect(leftovers).toEqual([]);
    const all = filesUnder(out).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    expect(all).toContain(`${QA_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`);
    expect(all).toContain("#alerts-qa");
    expect(all).toContain("sre-platform/qa/");
    expect(all).toContain("qa.platform.example.com");
  });

  test.each<[Step, RegExp]>([
    ["identity", /^environment "staging": name: got "staging"; allowed: a name no other environment uses \(a copied environment file sets its own name, account and region\)$/m],
    ["vpcCidr", /^environments\/qa\.ts: environment "qa": network\.vpcCidr: got "10\.20\.0\.0\/16"; allowed: a range that does not overlap environment "staging"/m],
    ["kmsKeyId", /^environments\/qa\.ts: environment "qa": backend\.kmsKeyId: got "arn:aws:kms:eu-west-1:222222222222:key\/[^"]+"; allowed: a key of the environment's own account, 444444444444/m],
    ["hostedZones", /^environments\/qa\.ts: environment "qa": security\.certManager\.issuer\.hostedZones\[0\]\.zoneId: got "Z0STAGING0PLATFORM0EXAMPLE"; allowed: a hosted zone of this environment's own, not environment "staging"'s/m],
  ])("a copy that skips the %s step is refused, naming the file (when its name is its own) and the field, nothing written", (step, expected) => {
    const out = path.join(tmp, `skip-${step}`);
    const r = synthWith(qaCopy([step]), out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(fs.existsSync(out)).toBe(false);
  });
});
