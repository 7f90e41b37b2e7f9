import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENTS, loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { parse as parseYaml } from "yaml";
import { runSynth } from "../../stacks/synth";
import { describeWithPromtool, runPromtool } from "../support/promtool";
import { synthesizedApp } from "../support/synthesized-app";
import { LAYERS } from "../../stacks/environment-stack";

const root = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run synth`'s script the way users do, in a clean environment, without blocking. */
function synth(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(root, "scripts/synth.mjs"), ...args], { cwd: root, env: childEnv, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      if (code === null) reject(error);
      else resolve({ code, stdout, stderr });
    });
  });
}

const blocker = path.join(tmp, "a-file");
/**
 * The runs of the CLI tests below, started together on first use (they are independent child processes),
 * after the shared synth has brought the bundle up to date so that none of them rebuilds it.
 */
let runs: Record<"dev" | "sreEnv" | "unknownEnv" | "unwritable" | "badFlag", Promise<Run>> | undefined;
function cli() {
  if (!runs) {
    synthesizedApp();
    fs.writeFileSync(blocker, "");
    runs = {
      dev: synth(["--env", "dev", "--out", path.join(tmp, "dev")]),
      sreEnv: synth(["--out", path.join(tmp, "sre-env")], { SRE_ENV: "prod" }),
      // Not a valid environment name, so no environment added later can make it known.
      unknownEnv: synth(["--env", "no_such_env", "--out", path.join(tmp, "unknown-env")]),
      unwritable: synth(["--env", "dev", "--out", path.join(blocker, "out")]),
      badFlag: synth(["--environment", "dev", "--out", path.join(tmp, "bad-flag")]),
    };
    for (const r of Object.values(runs)) r.catch(() => undefined); // each test reports its own failure
  }
  return runs;
}

const NO_STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe("npm run synth", () => {
  test("--env dev writes only dev's stacks and its compiled SLO rules", async () => {
    const out = path.join(tmp, "dev");
    const r = await cli().dev;
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(LAYERS.map((l) => `dev-${l}`).sort());
    expect(fs.readFileSync(path.join(out, "slo/dev/rules.yaml"), "utf8")).toMatch(/^groups:/m);
    expect(fs.readFileSync(path.join(out, "slo/dev/prometheusrule.yaml"), "utf8")).toMatch(/kind: PrometheusRule/);
    expect(fs.readdirSync(path.join(out, "observability"))).toEqual(["dev"]);
    expect(fs.readFileSync(path.join(out, "observability/dev/alertmanager.yaml"), "utf8")).toMatch(/channel: "#alerts-dev"/);
    expect(fs.readdirSync(path.join(out, "observability/dev/dashboards")).sort()).toEqual(["golden-signals.json", "slo-checkout-api.json", "slo-payments-worker.json"]);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("dev.tmp-"))).toEqual([]);
    // The state bucket's policy, for the bootstrap step the README describes.
    const policy = JSON.parse(fs.readFileSync(path.join(out, "bootstrap/dev/state-bucket-policy.json"), "utf8"));
    expect(policy.Statement.map((st: { Sid: string }) => st.Sid)).toContain("DenyObjectsOutsideThisEnvironmentsPrefix");
  });

  test("SRE_ENV selects environments too", async () => {
    const out = path.join(tmp, "sre-env");
    const r = await cli().sreEnv;
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(LAYERS.map((l) => `prod-${l}`).sort());
  });

  test("every SLO alert links to a runbook the synth wrote, or to the spec's own", async () => {
    const out = path.join(tmp, "sre-env");
    expect((await cli().sreEnv).code).toBe(0);
    const prod = ENVIRONMENTS.find((e) => e.name === "prod")!;
    const base = `${prod.slo!.runbooks!.baseUrl}/prod/`;
    const rules = parseYaml(fs.readFileSync(path.join(out, "slo/prod/rules.yaml"), "utf8")) as { groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
    const urls = alerts.map((a) => a.annotations?.runbook_url ?? "");
    const generated = urls.filter((u) => u.startsWith(base));
    expect(generated.length).toBeGreaterThan(0);
    expect(urls.filter((u) => !u.startsWith(base)).every((u) => /^https:\/\//.test(u))).toBe(true);
    for (const url of generated) expect(fs.existsSync(path.join(out, "runbooks/prod", decodeURIComponent(url.slice(base.length))))).toBe(true);
    // Every enabled alert has a runbook file, whether or not the spec links elsewhere.
    const files = fs.readdirSync(path.join(out, "runbooks/prod"), { recursive: true }).filter((f) => String(f).endsWith(".md"));
    expect(files.length).toBe(alerts.length);
  });

  test("fails when an unknown environment is named: exit 1, the known ones listed, nothing written", async () => {
    const out = path.join(tmp, "unknown-env");
    const r = await cli().unknownEnv;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`environment "no_such_env": (environment): got "no_such_env"; allowed: one of ${ENVIRONMENTS.map((e) => e.name).join(", ")}`);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails when the output folder cannot be written: exit 1, --out named, no stack trace", async () => {
    const r = await cli().unwritable;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out: cannot write ".*a-file\/out": /);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
  });

  test("fails when a flag is unknown: exit 1, the flag named, usage shown, nothing written", async () => {
    const out = path.join(tmp, "bad-flag");
    const r = await cli().badFlag;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--environment/);
    expect(r.stderr).toMatch(/usage: .*--env NAME/s);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describeWithPromtool("synthesized SLO rules", () => {
  test("every environment's rules files (SLOs, error-budget policy) pass promtool check rules (one promtool run for all)", () => {
    const out = synthesizedApp();
    const files = ENVIRONMENTS.flatMap((e) => [path.join(out, "slo", e.name, "rules.yaml"), path.join(out, "delivery", e.name, "error-budget-policy.rules.yaml")]);
    const r = runPromtool(["check", "rules", ...files]);
    expect(r.code).toBe(0);
    // promtool prints one "Checking <file>" block per file.
    const blocks = r.output.split(/^Checking /m).slice(1);
    expect(blocks.map((b) => [b.split("\n")[0], /SUCCESS: \d+ rules found/.test(b)])).toEqual(files.map((f) => [f, true]));
  });
});

/**
 * Runs the synth in-process with dev's configuration changed, the way main.ts runs it, and returns its
 * exit code and what it wrote to stderr.
 */
function synthWithDev(
  change: (d: EnvironmentConfig) => EnvironmentConfig,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number; stderr: string; stdout: string } {
  const inputs = ENVIRONMENTS.map((e) => (e.name === "dev" ? change(structuredClone(e)) : e));
  const environments = { load: (names?: readonly string[]) => loadEnvironments(names, inputs), names: ENVIRONMENTS.map((e) => e.name) };
  const errors: string[] = [];
  const output: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
  const outSpy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
  try {
    return { code: runSynth(args, env, environments), stderr: errors.join(""), stdout: output.join("") };
  } finally {
    spy.mockRestore();
    outSpy.mockRestore();
  }
}

describe("the synth's summary", () => {
  const out = path.join(tmp, "summary");
  const same = (d: EnvironmentConfig) => d;
  const first = lazy(() => synthWithDev(same, ["--env", "dev", "--out", out]));

  test("says per environment what was compiled, per stack its resources by type, and every Helm release with its version", () => {
    const r = first();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synthesized 9 stacks \(\d+ resources\) into .*summary in \d+\.\d s; no previous output to compare with\n/);
    // dev's worker has no service-down alert (slo.overrides in environments/dev.ts): four alerts, four runbooks.
    expect(r.stdout).toMatch(/^dev: 4 SLOs compiled, 4 alerts, 4 runbooks, 3 dashboards, 0 warnings$/m);
    // Read back from what was written, independently of the summary's own reader.
    for (const layer of LAYERS) {
      const doc = JSON.parse(fs.readFileSync(path.join(out, "stacks", `dev-${layer}`, "cdk.tf.json"), "utf8"));
      const count = Object.values(doc.resource ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
      expect(r.stdout).toMatch(new RegExp(`^  dev-${layer} +${count} `, "m"));
      for (const release of Object.values((doc.resource ?? {}).helm_release ?? {}) as { chart: string; version: string }[]) {
        expect(r.stdout).toContain(`${release.chart}@${release.version}`);
      }
    }
  });

  test("a second synth lists the addresses added and removed against the previous output", () => {
    first();
    const file = path.join(out, "stacks/dev-storage/cdk.tf.json");
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const [type, byName] = Object.entries(doc.resource as Record<string, Record<string, unknown>>).find(([t]) => t === "aws_s3_bucket")!;
    const removedName = Object.keys(byName).sort()[0]!;
    delete byName[removedName]; // so the next synth adds it back
    doc.resource.aws_s3_bucket_gone = { old: {} }; // so the next synth removes it
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = synthWithDev(same, ["--env", "dev", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/changes against the previous output/);
    expect(r.stdout).toMatch(/^  dev-storage +\d+  \+1 -1 /m);
    expect(r.stdout).toContain(`      + ${type}.${removedName}\n`);
    expect(r.stdout).toContain("      - aws_s3_bucket_gone.old\n");
    expect(r.stdout).toMatch(/^  dev-network +\d+  unchanged /m);
  });

  test("--quiet and a run under the cdktf CLI print nothing on stdout", () => {
    first();
    expect(synthWithDev(same, ["--env", "dev", "--out", out, "--quiet"])).toMatchObject({ code: 0, stdout: "" });
    const cliOut = path.join(tmp, "under-cli");
    expect(synthWithDev(same, ["--env", "dev"], { CDKTF_OUTDIR: cliOut })).toMatchObject({ code: 0, stdout: "" });
    expect(fs.existsSync(path.join(cliOut, "stacks/dev-network/cdk.tf.json"))).toBe(true);
  });
});

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

/** An sre-platform/v1 spec of one events SLO, with extra lines appended to the SLO. */
function writeSpec(name: string, objective: number, extra: string[] = []): string {
  const file = path.join(tmp, name);
  const lines = ["version: sre-platform/v1", "service: api", "slos:", "  - name: availability", `    objective: ${objective}`, "    sli:", "      events:"];
  lines.push("        errorQuery: sum(rate(errors_total[{{.window}}]))", "        totalQuery: sum(rate(requests_total[{{.window}}]))", ...extra, "");
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

describe("runSynth with bad configuration", () => {
  test("fails before writing: the previous output stays as it was", () => {
    const out = path.join(tmp, "previous");
    fs.mkdirSync(path.join(out, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(out, "stacks", "marker"), "old");
    const r = synthWithDev((d) => ({ ...d, cluster: { ...d.cluster, publicAccessCidrs: ["0.0.0.0/0"] } }), ["--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment "dev": cluster\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: an allow-list/);
    expect(fs.readdirSync(path.join(out, "stacks"))).toEqual(["marker"]);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("previous.tmp-"))).toEqual([]);
  });

  test("fails before writing when alert routing is invalid, naming the field", () => {
    const out = path.join(tmp, "bad-alerting");
    const r = synthWithDev((d) => ({ ...d, alerting: { ...d.alerting!, slack: { channel: "alerts" } } }), ["--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment "dev": alerting\.slack\.channel: got "alerts"; allowed: a Slack channel/);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails before writing when an add-on's section breaks its construct's rules, naming the section's field", () => {
    const out = path.join(tmp, "bad-addon");
    const r = synthWithDev((d) => {
      d.security.falco.alertForwarding.resources.requests.memory = "4Gi";
      delete (d.security.namespaces.platform as Record<string, unknown>)["cert-manager"];
      return d;
    }, ["--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment "dev": .*security\.falco\.alertForwarding\.resources\.requests\.memory: got "4Gi"/s);
    expect(r.stderr).toMatch(/security\.namespaces\.platform\.cert-manager: got nothing; allowed: the baseline of namespace "cert-manager"/);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails before writing when a chaos target names a service without SLOs, naming the field", () => {
    const out = path.join(tmp, "bad-chaos");
    const r = synthWithDev((d) => {
      d.chaos.litmus.targets![0] = { ...d.chaos.litmus.targets![0]!, steadyState: { service: "not-a-service" } };
      return d;
    }, ["--out", out, "--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/chaos\.litmus\.targets\[0\]\.steadyState\.service: got "not-a-service"; allowed: a service with SLOs in slo\.specs \(checkout-api, payments-worker\)/);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails before writing when an environment's SLO spec is invalid, naming file, SLO and field", () => {
    const spec = writeSpec("bad-slo.yaml", 100.5);
    const out = path.join(tmp, "bad-slo-out");
    const r = synthWithDev((d) => ({ ...d, slo: { specs: [spec] } }), ["--out", out, "--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-slo\.yaml: api-availability: slos\[0\]\.objective: /);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails before writing when a canary names an SLO the environment's specs do not have", () => {
    const out = path.join(tmp, "bad-canary-out");
    const r = synthWithDev((d) => {
      (d.delivery.canaries[0] as { slo: string }).slo = "throughput";
      return d;
    }, ["--out", out, "--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment "dev": delivery\.canaries\[0\]\.slo: got "checkout-api\/throughput"; allowed: an SLO of the environment's specs/);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("--env dev writes dev's Rollout patch and AnalysisTemplates under delivery/dev", async () => {
    const out = path.join(tmp, "delivery-out");
    const r = synthWithDev((d) => d, ["--out", out, "--env", "dev"]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(out, "delivery"))).toEqual(["dev"]);
    const patch = fs.readFileSync(path.join(out, "delivery", "dev", "payments", "checkout-api.rollout-patch.yaml"), "utf8");
    expect(patch).toContain("kind: Rollout");
    expect(patch).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases: each step is written out
    expect(fs.readFileSync(path.join(out, "delivery", "dev", "payments", "analysis-templates.yaml"), "utf8")).toContain("name: checkout-api-availability-canary");
    expect(fs.existsSync(path.join(out, "delivery", "dev", "error-budget-policy.rules.yaml"))).toBe(true);
  });

  test("fails before writing when an SLO spec overrides an environment that does not exist", () => {
    const spec = writeSpec("typo-env.yaml", 99.9, ["    environments:", "      stagng:", "        objective: 99.5"]);
    const out = path.join(tmp, "typo-env-out");
    const r = synthWithDev((d) => ({ ...d, slo: { specs: [spec] } }), ["--out", out, "--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`typo-env\\.yaml: api-availability: slos\\[0\\]\\.environments\\.stagng: .*${ENVIRONMENTS.map((e) => e.name).join(", ")}`));
    expect(fs.existsSync(out)).toBe(false);
  });
});
