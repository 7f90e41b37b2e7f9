import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeWithPromtool, runPromtool } from "../support/promtool";

const root = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm run synth`'s script the way users do, in a clean environment. */
function synth(args: string[], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const r = spawnSync(process.execPath, [path.join(root, "scripts/synth.mjs"), ...args], { cwd: root, env: childEnv, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NO_STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe("npm run synth", () => {
  test("--env dev writes only dev's four stacks and its compiled SLO rules", () => {
    const out = path.join(tmp, "dev");
    const r = synth(["--env", "dev", "--out", out]);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(["dev-cluster", "dev-network", "dev-platform", "dev-storage"]);
    expect(fs.readFileSync(path.join(out, "slo/dev/rules.yaml"), "utf8")).toMatch(/^groups:/m);
    expect(fs.readFileSync(path.join(out, "slo/dev/prometheusrule.yaml"), "utf8")).toMatch(/kind: PrometheusRule/);
    expect(fs.readdirSync(tmp).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("SRE_ENV selects environments too", () => {
    const out = path.join(tmp, "sre-env");
    const r = synth(["--out", out], { SRE_ENV: "prod" });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(["prod-cluster", "prod-network", "prod-platform", "prod-storage"]);
  });

  test("fails when an unknown environment is named: exit 1, the known ones listed, nothing written", () => {
    const out = path.join(tmp, "unknown-env");
    const r = synth(["--env", "qa", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment "qa": .*allowed: one of dev, staging, prod/);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails when the output folder cannot be written: exit 1, --out named, no stack trace", () => {
    const blocker = path.join(tmp, "a-file");
    fs.writeFileSync(blocker, "");
    const r = synth(["--env", "dev", "--out", path.join(blocker, "out")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out: cannot write ".*a-file\/out": /);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
  });

  test("fails when a flag is unknown: exit 1, the flag named, usage shown, nothing written", () => {
    const out = path.join(tmp, "bad-flag");
    const r = synth(["--environment", "dev", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--environment/);
    expect(r.stderr).toMatch(/usage: .*--env NAME/s);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describeWithPromtool("synthesized SLO rules", () => {
  test("every environment's rules file passes promtool check rules", () => {
    const out = path.join(tmp, "promtool");
    expect(synth(["--out", out]).code).toBe(0);
    for (const env of ["dev", "staging", "prod"]) {
      const r = runPromtool(["check", "rules", path.join(out, "slo", env, "rules.yaml")]);
      expect({ env, code: r.code, output: r.output }).toEqual({ env, code: 0, output: expect.stringMatching(/SUCCESS: \d+ rules found/) });
    }
  });
});

describe("runSynth with bad configuration", () => {
  afterEach(() => jest.resetModules());

  test("fails before writing: the previous output stays as it was", () => {
    const out = path.join(tmp, "previous");
    fs.mkdirSync(path.join(out, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(out, "stacks", "marker"), "old");
    jest.isolateModules(() => {
      jest.doMock("../../environments/dev", () => {
        const { dev } = jest.requireActual("../../environments/dev");
        return { dev: { ...dev, cluster: { ...dev.cluster, publicAccessCidrs: ["0.0.0.0/0"] } } };
      });
      const { runSynth } = require("../../stacks/synth");
      const { ENVIRONMENTS, loadEnvironments } = require("../../environments");
      const environments = { load: loadEnvironments, names: ENVIRONMENTS.map((e: { name: string }) => e.name) };
      const errors: string[] = [];
      const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
      try {
        expect(runSynth(["--out", out], {}, environments)).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(errors.join("")).toMatch(/environment "dev": cluster\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: an allow-list/);
    });
    expect(fs.readdirSync(path.join(out, "stacks"))).toEqual(["marker"]);
    expect(fs.readdirSync(tmp).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("fails before writing when an environment's SLO spec is invalid, naming file, SLO and field", () => {
    const spec = path.join(tmp, "bad-slo.yaml");
    fs.writeFileSync(
      spec,
      ["version: sre-platform/v1", "service: api", "slos:", "  - name: availability", "    objective: 100.5", "    sli:", "      events:", '        errorQuery: sum(rate(errors_total[{{.window}}]))', '        totalQuery: sum(rate(requests_total[{{.window}}]))', ""].join("\n"),
    );
    const out = path.join(tmp, "bad-slo-out");
    jest.isolateModules(() => {
      jest.doMock("../../environments/dev", () => {
        const { dev } = jest.requireActual("../../environments/dev");
        return { dev: { ...dev, slo: { specs: [spec] } } };
      });
      const { runSynth } = require("../../stacks/synth");
      const { ENVIRONMENTS, loadEnvironments } = require("../../environments");
      const environments = { load: loadEnvironments, names: ENVIRONMENTS.map((e: { name: string }) => e.name) };
      const errors: string[] = [];
      const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
      try {
        expect(runSynth(["--out", out, "--env", "dev"], {}, environments)).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(errors.join("")).toMatch(/bad-slo\.yaml: api-availability: slos\[0\]\.objective: /);
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  test("fails before writing when an SLO spec overrides an environment that does not exist", () => {
    const spec = path.join(tmp, "typo-env.yaml");
    fs.writeFileSync(
      spec,
      ["version: sre-platform/v1", "service: api", "slos:", "  - name: availability", "    objective: 99.9", "    sli:", "      events:", "        errorQuery: sum(rate(errors_total[{{.window}}]))", "        totalQuery: sum(rate(requests_total[{{.window}}]))", "    environments:", "      stagng:", "        objective: 99.5", ""].join("\n"),
    );
    const out = path.join(tmp, "typo-env-out");
    jest.isolateModules(() => {
      jest.doMock("../../environments/dev", () => {
        const { dev } = jest.requireActual("../../environments/dev");
        return { dev: { ...dev, slo: { specs: [spec] } } };
      });
      const { runSynth } = require("../../stacks/synth");
      const { ENVIRONMENTS, loadEnvironments } = require("../../environments");
      const environments = { load: loadEnvironments, names: ENVIRONMENTS.map((e: { name: string }) => e.name) };
      const errors: string[] = [];
      const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
      try {
        expect(runSynth(["--out", out, "--env", "dev"], {}, environments)).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(errors.join("")).toMatch(/typo-env\.yaml: api-availability: slos\[0\]\.environments\.stagng: .*dev, staging, prod/);
    });
    expect(fs.existsSync(out)).toBe(false);
  });
});
