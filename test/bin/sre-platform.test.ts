/**
 * The CLI as users run it: the compiled dist/bin/sre-platform.js under plain node. `npm test` builds first
 * (tsc -p tsconfig.build.json); when dist is missing or older than the sources, this test builds it itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedPath, withShared } from "../support/shared";

const ROOT = join(__dirname, "../..");
const CLI = join(ROOT, "dist/bin/sre-platform.js");
const SPECS = join(ROOT, "environments/slos");
const GOLDEN = sharedPath("slo/sloth-golden");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  // Everything the CLI can reach: its own code, the compiler, the environments it validates and what they import.
  const sources = Math.max(...["bin", "lib", "environments", "constructs", "stacks"].map((d) => newestSource(join(ROOT, d))));
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= sources) return;
  // tsc still emits when other parts of the tree have type errors; `npm run typecheck` reports those.
  spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing after "tsc -p tsconfig.build.json"; run "npm run build" and look at its errors`);
}, 200_000);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd: string = ROOT): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), "sre-platform-cli-"));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const NO_STACK = /\n\s+at /;

const BAD = write("bad.yaml", `version: sre-platform/v1
service: api
slos:
  - name: availability
    objective: 100
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{code=~"5.."}[5m]))
        totalQuery: sum(rate(http_requests_total[{{.window}}])
    alerting:
      name: Api-Availability
`);

describe("sre-platform slo compile", () => {
  it("writes a rules file with --out and nothing on stdout", () => {
    const out = join(tmp, "sub", "rules.yaml");
    const r = run(["slo", "compile", SPECS, "--environment", "prod", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/^groups:/m);
    expect(text).toContain("alert: CheckoutApiAvailability");
    expect(readdirSync(join(tmp, "sub"))).toEqual(["rules.yaml"]);
  });

  it("prints a PrometheusRule object with --format prometheusrule", () => {
    const r = run(["slo", "compile", SPECS, "--format", "prometheusrule", "--name", "checkout-slos", "--namespace", "monitoring"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/kind: PrometheusRule/);
    expect(r.stdout).toMatch(/name: checkout-slos/);
    expect(r.stdout).toMatch(/namespace: monitoring/);
  });

  withShared(it, "Sloth golden inputs").each([
    ["01-base-30d", []],
    ["02-base-28d", ["--period", "28d"]],
    ["03-custom-windows-7d", ["--period", "7d"]],
    ["05-k8s-prometheusrule", []],
  ])("compiles Sloth's input %s", (c, extra) => {
    const r = run(["slo", "compile", join(GOLDEN, c, "input.yaml"), ...extra]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("alert: myServiceAlert");
  });

  it("fails with exit 1, every problem on stderr, and leaves an existing --out file untouched", () => {
    const out = write("keep.yaml", "previous content\n");
    const r = run(["slo", "compile", BAD, "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(NO_STACK);
    for (const line of [
      `error: ${BAD}: api-availability: slos[0].objective: objective must be a percentage strictly between 0 and 100`,
      `error: ${BAD}: api-availability: slos[0].sli.events.errorQuery: missing {{.window}}`,
      `error: ${BAD}: api-availability: slos[0].sli.events.totalQuery: not valid PromQL`,
      `error: ${BAD}: api-availability: slos[0].alerting.name: invalid alert name "Api-Availability"`,
    ]) expect(r.stderr).toContain(line);
    expect(r.stderr).toMatch(/4 problems found; nothing written\n$/);
    expect(readFileSync(out, "utf8")).toBe("previous content\n");
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("creates no --out file when the input is invalid", () => {
    const out = join(tmp, "never.yaml");
    const r = run(["slo", "compile", BAD, "--out", out]);
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it("reports bad YAML with line and column", () => {
    const f = write("broken.yaml", "version: sre-platform/v1\nservice: api\nslos:\n  - name: a\n   objective: 99\n");
    const r = run(["slo", "compile", f]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: ${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: invalid YAML at line 5, column \\d+`));
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("prints warnings on stderr and still succeeds when an alert can never fire", () => {
    const f = write("loose.yaml", "version: sre-platform/v1\nservice: batch\nslos:\n  - name: up\n    objective: 90\n    sli:\n      availability:\n        gaugeQuery: up{job=\"batch\"}\n");
    const r = run(["slo", "compile", f]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^groups:/m);
    expect(r.stderr).toMatch(new RegExp(`^warning: .*loose\\.yaml: batch-up: slos\\[0\\]\\.alerting\\.page: .*can never fire`, "m"));
  });
});

describe("sre-platform slo validate", () => {
  it("accepts the platform's own SLOs for every environment", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const r = run(["slo", "validate", SPECS, "--environment", env]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("ok: 4 SLOs valid\n");
    }
  });

  it("fails with exit 1 for a file that does not exist", () => {
    const r = run(["slo", "validate", join(tmp, "missing.yaml")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("missing.yaml: cannot read file: no such file");
    expect(r.stderr).not.toMatch(NO_STACK);
  });
});

describe("sre-platform slo validate --strict", () => {
  const lenient = write("sloth-lenient.yaml", `version: prometheus/v1
service: svc
labels:
slos:
  - name: avail
    objective: 99.9
    sli:
      raw:
        error_ratio_query: sum(rate(e_total[{{.window}}])) / sum(rate(t_total[{{.window}}]))
    alerting:
      name: SvcAvail
      ticketAlert:
        disable: true
`);

  it("warns about a key Sloth ignores and succeeds", () => {
    const r = run(["slo", "validate", lenient]);
    expect([r.status, r.stdout]).toEqual([0, "ok: 1 SLO valid\n"]);
    expect(r.stderr).toBe(`warning: ${lenient}: svc-avail: slos[0].alerting.ticketAlert: unknown field "ticketAlert" (did you mean "ticket_alert"?); allowed fields: name, labels, annotations, page_alert, ticket_alert; ignored, as Sloth ignores it (an error in strict mode)\n`);
  });

  it("fails with exit 1 on the same key with --strict", () => {
    const r = run(["slo", "validate", lenient, "--strict"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*slos\[0\]\.alerting\.ticketAlert: unknown field "ticketAlert" \(did you mean "ticket_alert"\?\)/);
    expect(r.stderr).toMatch(/1 problem found; nothing written\n$/);
  });
});

describe("sre-platform slo report", () => {
  it("reports the platform's own SLOs without files, from any directory", () => {
    const r = run(["slo", "report", "--environment", "prod"], tmpdir());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("checkout-api-availability");
    expect(r.stdout).toContain("payments-worker-up");
    expect(r.stdout).toMatch(/objective 99\.9%, period 30d, error budget 0\.1% = 43\.2 min/);
    expect(r.stdout).toMatch(/CheckoutApiAvailability\s+page\s+1h\/5m\s+2%\s+14\.4\s+1\.44%\s+52s/);
    expect(r.stdout).toMatch(/PaymentsWorkerUp\s+ticket\s+1d\/2h.*disabled/);
  });

  it("applies --period and --environment", () => {
    const r = run(["slo", "report", SPECS, "--period", "7d", "--environment", "dev"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/objective 99%, period 7d, error budget 1% = 100\.8 min/);
    expect(r.stdout).toMatch(/CheckoutApiAvailability\s+page\s+1h\/5m\s+8%\s+13\.44.*disabled/);
  });
});

describe("usage errors", () => {
  it.each([
    [["slo", "compile", SPECS, "--bogus"], /unknown option --bogus; allowed: --period, --environment, --strict, --help, --format, --out/],
    [["slo", "compile", SPECS, "--period", "1d"], /invalid --period "1d"; allowed: 30d, 28d, 7d/],
    [["slo", "compile", SPECS, "--format", "json"], /invalid --format "json"; allowed: rules, prometheusrule/],
    [["slo", "compile", SPECS, "--environment", "prdo"], /invalid --environment "prdo"; allowed: dev, staging, prod/],
    [["slo", "compile", SPECS, "--period"], /option --period needs a value/],
    [["slo", "compile"], /no SLO files given/],
    [["slo", "validate", SPECS, "--out", "x.yaml"], /unknown option --out; allowed: --period, --environment, --strict, --help$/m],
    [["slo", "frobnicate"], /unknown command "slo frobnicate"; allowed: compile, validate, report/],
    [["deploy"], /unknown command "deploy"; allowed: slo/],
    [[], /Usage: sre-platform slo <command>/],
  ])("exits 2 for %j", (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.each(["compile", "validate", "report"])("prints help for slo %s --help", (command) => {
    const r = run(["slo", command, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: sre-platform slo ${command}`));
    expect(r.stdout).toContain("--period 30d|28d|7d");
  });
});
