/**
 * The CLI as users run it: the compiled dist/bin/sre-platform.js under plain node. `npm test` builds first
 * (tsc -p tsconfig.build.json) and says so (SRE_PLATFORM_DIST_BUILT=1); otherwise, when dist is missing or older
 * than the sources, this test builds it itself.
 *
 * Each node process costs about 0.3 s of loading before the CLI does anything, so the cases run in ONE plain
 * node process that calls the compiled file's exported `main(argv, io)` once per case, in the case's working
 * directory. What a real process adds to `main` (its exit code, its stdout and stderr) is proved equal to that
 * batch for one case of every exit code and stream, each spawned as its own `node dist/bin/sre-platform.js`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ensureCliBuilt, ROOT } from "../support/cli-dist";
import { ENVIRONMENTS } from "../../environments";
import { parse } from "yaml";
import { MONITORING_NAMESPACE, MONITORING_SELECTOR_LABELS } from "../../lib/observability/monitoring-selection";
import { fixturePath } from "../support/fixtures";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";

const SPECS = join(ROOT, "environments/slos");
const GOLDEN = fixturePath("sloth-golden");

beforeAll(ensureCliBuilt, 200_000);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Case {
  readonly args: readonly string[];
  readonly cwd: string;
}

/** Runs under plain node: `main` of the compiled CLI for every case read from stdin; the results as JSON on stdout. */
const DRIVER = `
const { main } = require(process.argv[1]);
const cases = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const results = cases.map(({ args, cwd }) => {
  let stdout = "";
  let stderr = "";
  process.chdir(cwd);
  const status = main(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
});
process.stdout.write(JSON.stringify(results));
`;

const cases: Case[] = [];
let results: Run[] | undefined;

/**
 * Adds a CLI call to the batch (while jest collects the tests) and returns how to read its result (in a test);
 * the first read runs the whole batch.
 */
function cli(args: readonly string[], cwd: string = ROOT): () => Run {
  const i = cases.push({ args, cwd }) - 1;
  return () => {
    if (results === undefined) {
      const r = spawnSync(process.execPath, ["-e", DRIVER, CLI], { input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
      if (r.status !== 0) throw new Error(`the batch of CLI calls failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
      results = JSON.parse(r.stdout) as Run[];
    }
    return results[i]!;
  };
}

/** One real `node dist/bin/sre-platform.js …` process. */
function spawnCli(c: Case): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...c.args], { cwd: c.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
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
const KEEP = write("keep.yaml", "previous content\n");

describe("sre-platform slo compile", () => {
  const outFile = join(tmp, "sub", "rules.yaml");
  const withOut = cli(["slo", "compile", SPECS, "--environment", "prod", "--out", outFile]);
  it("writes a rules file with --out, nothing on stdout, and one line on stderr saying what it wrote", () => {
    const r = withOut();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const text = readFileSync(outFile, "utf8");
    const rules = text.split("\n").filter((l) => /^\s+- (record|alert): /.test(l)).length;
    expect(rules).toBeGreaterThan(20);
    expect(r.stderr).toBe(`compiled 4 SLOs (prod) into ${rules} rules, a rules file, written to ${outFile}\n`);
    expect(text).toMatch(/^groups:/m);
    expect(text).toContain("alert: CheckoutApiAvailability");
    expect(readdirSync(join(tmp, "sub"))).toEqual(["rules.yaml"]);
  });

  // dev overrides its services' service-down alerts (slo.overrides in environments/dev.ts): the CLI applies them as
  // the synth does, to the same rules.
  const devRunbooks = "https://runbooks.example.com/sre-platform/dev";
  const devRules = cli(["slo", "compile", SPECS, "--environment", "dev", "--runbook-base-url", devRunbooks]);
  const devPart = cli(["slo", "validate", join(SPECS, "checkout-api.yaml"), "--environment", "dev"]);
  it("applies the environment's overrides of its services, compiling what the synth compiles", () => {
    const r = devRules();
    expect(r.status).toBe(0);
    const dev = ENVIRONMENTS.find((e) => e.name === "dev")!;
    expect(dev.slo?.runbooks?.baseUrl && `${dev.slo.runbooks.baseUrl}/dev`).toBe(devRunbooks);
    const groups = (text: string) => (parse(text) as { groups: Array<{ name: string; rules: Array<{ alert?: string; for?: string }> }> }).groups;
    expect(groups(r.stdout)).toEqual(groups(compileEnvironmentSlos(dev, ENVIRONMENTS.map((e) => e.name)).rulesYaml));
    const down = groups(r.stdout).filter((g) => g.name.startsWith("sre-service-")).map((g) => [g.rules[0]!.alert, g.rules[0]!.for]);
    expect(down).toEqual([["CheckoutApiDown", "10m"]]);
    // Given one of dev's specs, the override of the other service is skipped, not refused.
    expect(devPart()).toMatchObject({ status: 0, stderr: "" });
  });

  const prometheusRule = cli(["slo", "compile", SPECS, "--format", "prometheusrule", "--name", "checkout-slos", "--namespace", "monitoring"]);
  it("prints a PrometheusRule object with --format prometheusrule", () => {
    const r = prometheusRule();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/kind: PrometheusRule/);
    expect(r.stdout).toMatch(/name: checkout-slos/);
    expect(r.stdout).toMatch(/namespace: monitoring/);
    expect(r.stderr).toMatch(/^compiled 4 SLOs into \d+ rules, PrometheusRule monitoring\/checkout-slos \(release=kube-prometheus-stack\), on stdout\n$/);
  });

  const platformDefaults = cli(["slo", "compile", SPECS, "--format", "prometheusrule"]);
  const otherRelease = cli(["slo", "compile", SPECS, "--format", "prometheusrule", "--namespace", "team-a", "--release", "team-prometheus"]);
  it("gives a PrometheusRule the namespace and the labels the platform's Prometheus selects on, or the ones asked for", () => {
    // The same constants the kube-prometheus-stack values build their ruleSelector from.
    const ours = parse(platformDefaults().stdout);
    expect(ours.metadata.namespace).toBe(MONITORING_NAMESPACE);
    expect(ours.metadata.labels).toMatchObject(MONITORING_SELECTOR_LABELS);
    const theirs = parse(otherRelease().stdout);
    expect(theirs.metadata.namespace).toBe("team-a");
    expect(theirs.metadata.labels.release).toBe("team-prometheus");
  });

  it.each(([
    ["01-base-30d", []],
    ["02-base-28d", ["--period", "28d"]],
    ["03-custom-windows-7d", ["--period", "7d"]],
    ["05-k8s-prometheusrule", []],
  ] as Array<[string, string[]]>).map(([c, extra]) => [c, cli(["slo", "compile", join(GOLDEN, c, "input.yaml"), ...extra])] as const))("compiles Sloth's input %s", (_c, result) => {
    const r = result();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("alert: myServiceAlert");
  });

  const invalid = cli(["slo", "compile", BAD, "--out", KEEP]);
  it("fails with exit 1, every problem on stderr, and leaves an existing --out file untouched", () => {
    const r = invalid();
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
    expect(readFileSync(KEEP, "utf8")).toBe("previous content\n");
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  const never = join(tmp, "never.yaml");
  const invalidNew = cli(["slo", "compile", BAD, "--out", never]);
  it("creates no --out file when the input is invalid", () => {
    const r = invalidNew();
    expect(r.status).toBe(1);
    expect(existsSync(never)).toBe(false);
  });

  const broken = write("broken.yaml", "version: sre-platform/v1\nservice: api\nslos:\n  - name: a\n   objective: 99\n");
  const badYaml = cli(["slo", "compile", broken]);
  it("reports bad YAML with line and column", () => {
    const r = badYaml();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: ${broken.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: invalid YAML at line 5, column \\d+`));
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  const loose = write("loose.yaml", "version: sre-platform/v1\nservice: batch\nslos:\n  - name: up\n    objective: 90\n    sli:\n      availability:\n        gaugeQuery: up{job=\"batch\"}\n");
  const warned = cli(["slo", "compile", loose]);
  it("prints warnings on stderr and still succeeds when an alert can never fire", () => {
    const r = warned();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^groups:/m);
    expect(r.stderr).toMatch(new RegExp(`^warning: .*loose\\.yaml: batch-up: slos\\[0\\]\\.alerting\\.page: .*can never fire`, "m"));
  });
});

describe("sre-platform slo validate", () => {
  const perEnvironment = ENVIRONMENTS.map((e) => e.name).map((env) => [env, cli(["slo", "validate", SPECS, "--environment", env])] as const);
  it("accepts the platform's own SLOs for every environment", () => {
    for (const [env, result] of perEnvironment) {
      const r = result();
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`ok: 4 SLOs valid in ${env}\n`);
      // Every SLI selects its namespace: no warning.
      expect(r.stderr).toBe("");
    }
  });

  const everywhere = cli(["slo", "validate", SPECS]);
  it("without --environment validates the specs as written and with every environment's overrides", () => {
    const r = everywhere();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("ok: 4 SLOs valid as written and in dev, staging, prod\n");
  });

  const ratioInProd = write("ratio-in-prod.yaml", `version: sre-platform/v1
service: shop
slos:
  - name: availability
    objective: 99.5
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{namespace="shop",job="shop",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{namespace="shop",job="shop"}[{{.window}}]))
    alerting:
      name: ShopAvailability
    environments:
      prod:
        objective: 0.999
`);
  const overrideCaught = cli(["slo", "validate", ratioInProd]);
  it("refuses an environment's bad override without being told the environment", () => {
    const r = overrideCaught();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: ${ratioInProd}: shop-availability: slos[0].environments.prod.objective: in environment prod: objective 0.999 is a percentage below 1; did you mean 99.9? (objectives are percentages, e.g. 99.5 for 99.5%)\n1 problem found; nothing written\n`,
    );
  });

  const missing = cli(["slo", "validate", join(tmp, "missing.yaml")]);
  it("fails with exit 1 for a file that does not exist", () => {
    const r = missing();
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
        error_ratio_query: sum(rate(e_total{namespace="svc"}[{{.window}}])) / sum(rate(t_total{namespace="svc"}[{{.window}}]))
    alerting:
      name: SvcAvail
      ticketAlert:
        disable: true
`);

  const warns = cli(["slo", "validate", lenient]);
  it("warns about a key Sloth ignores and succeeds", () => {
    const r = warns();
    expect([r.status, r.stdout]).toEqual([0, "ok: 1 SLO valid as written and in dev, staging, prod\n"]);
    expect(r.stderr).toBe(`warning: ${lenient}: svc-avail: slos[0].alerting.ticketAlert: unknown field "ticketAlert" (did you mean "ticket_alert"?); allowed fields: name, labels, annotations, page_alert, ticket_alert; ignored, as Sloth ignores it (an error in strict mode)\n`);
  });

  const strict = cli(["slo", "validate", lenient, "--strict"]);
  it("fails with exit 1 on the same key with --strict", () => {
    const r = strict();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*slos\[0\]\.alerting\.ticketAlert: unknown field "ticketAlert" \(did you mean "ticket_alert"\?\)/);
    expect(r.stderr).toMatch(/1 problem found; nothing written\n$/);
  });
});

describe("an SLI selector without a namespace matcher", () => {
  const open = write("open-selector.yaml", `version: sre-platform/v1
service: svc
slos:
  - name: avail
    objective: 99.9
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{namespace="svc",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{job="svc"}[{{.window}}]))
    alerting:
      name: SvcAvail
`);
  const line = (level: string) =>
    `${level}: ${open}: svc-avail: slos[0].sli.events.totalQuery: SLI selector \`http_requests_total{job="svc"}\` has no namespace matcher: ` +
    `it reads every namespace's series, which any scraped pod can forge (and a team's rules see only their own namespace); add namespace="<the service's namespace>"\n`;

  const warns = cli(["slo", "validate", open]);
  it("is a warning: one line naming the file, the SLO, the field and the selector; the spec is valid", () => {
    const r = warns();
    expect([r.status, r.stdout]).toEqual([0, "ok: 1 SLO valid as written and in dev, staging, prod\n"]);
    expect(r.stderr).toBe(line("warning"));
  });

  const strict = cli(["slo", "compile", open, "--strict", "--out", join(tmp, "open-selector-rules.yaml")]);
  it("is an error under --strict: exit 1, nothing written", () => {
    const r = strict();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${line("error")}1 problem found; nothing written\n`);
    expect(existsSync(join(tmp, "open-selector-rules.yaml"))).toBe(false);
  });
});

describe("a spec's team, with --environment", () => {
  const stranger = write("stranger.yaml", `version: sre-platform/v1
service: svc
labels:
  team: ops
slos:
  - name: avail
    objective: 99.9
    sli:
      availability:
        gaugeQuery: up{namespace="ops",job="svc"}
    alerting:
      name: SvcAvail
`);
  const against = cli(["slo", "validate", stranger, "--environment", "staging"]);
  it("is refused when the environment has no such team, naming the file and the teams allowed", () => {
    const r = against();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `error: ${stranger}: svc-avail: labels.team: team "ops" is not a team of this environment; allowed: payments (security.namespaces.teams of environment "staging"), or no team for a platform SLO\n1 problem found; nothing written\n`,
    );
  });
  const alone = cli(["slo", "validate", stranger]);
  it("without an environment is held against every environment's teams, as the synth holds it", () => {
    const r = alone();
    expect(r.status).toBe(1);
    for (const env of ENVIRONMENTS.map((e) => e.name)) expect(r.stderr).toMatch(new RegExp(`labels\\.team: in environment ${env}: team "ops" is not a team of this environment`));
  });
});

const REPORT_ELSEWHERE: Case = { args: ["slo", "report", "--environment", "prod"], cwd: tmpdir() };

describe("sre-platform slo report", () => {
  const elsewhere = cli(REPORT_ELSEWHERE.args, REPORT_ELSEWHERE.cwd);
  it("reports the platform's own SLOs without files, from any directory", () => {
    const r = elsewhere();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("checkout-api-availability");
    expect(r.stdout).toContain("payments-worker-up");
    expect(r.stdout).toMatch(/objective 99\.9%, period 30d, error budget 0\.1% = 43\.2 min/);
    expect(r.stdout).toMatch(/CheckoutApiAvailability\s+page\s+1h\/5m\s+2%\s+14\.4\s+1\.44%\s+52s/);
    expect(r.stdout).toMatch(/PaymentsWorkerUp\s+ticket\s+1d\/2h.*disabled/);
  });

  const weekly = cli(["slo", "report", SPECS, "--period", "7d", "--environment", "dev"]);
  it("applies --period and --environment", () => {
    const r = weekly();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/objective 99%, period 7d, error budget 1% = 100\.8 min/);
    expect(r.stdout).toMatch(/CheckoutApiAvailability\s+page\s+1h\/5m\s+8%\s+13\.44.*disabled/);
  });
});

describe("usage errors", () => {
  it.each(([
    [["slo", "compile", SPECS, "--bogus"], /unknown option --bogus; allowed: --period, --environment, --strict, --help, --format, --out/],
    [["slo", "compile", SPECS, "--period", "1d"], /invalid --period "1d"; allowed: 30d, 28d, 7d/],
    [["slo", "compile", SPECS, "--format", "json"], /invalid --format "json"; allowed: rules, prometheusrule/],
    [["slo", "compile", SPECS, "--environment", "prdo"], /^sre-platform: --environment: unknown environment "prdo" \(did you mean "prod"\?\); allowed: dev, staging, prod\n$/],
    [["slo", "report", SPECS, "--environment", "prd"], /^sre-platform: --environment: unknown environment "prd" \(did you mean "prod"\?\); allowed: dev, staging, prod\n$/],
    [["slo", "compil", SPECS], /^sre-platform: unknown command "slo compil" \(did you mean "compile"\?\); allowed: compile, validate, report\n$/],
    [["sol", "validate"], /^sre-platform: unknown command "sol" \(did you mean "slo"\?\); allowed: slo, diagram, cost, --version, --help\n$/],
    [["slo", "compile", SPECS, "--formt", "rules"], /^sre-platform: unknown option --formt \(did you mean "--format"\?\); allowed: /],
    [["slo", "compile", SPECS, "--period"], /option --period needs a value/],
    [["slo", "compile"], /no SLO files given/],
    [["slo", "validate", SPECS, "--out", "x.yaml"], /unknown option --out; allowed: --period, --environment, --strict, --help$/m],
    [["slo", "frobnicate"], /unknown command "slo frobnicate"; allowed: compile, validate, report/],
    [["deploy"], /unknown command "deploy"; allowed: slo, diagram, cost, --version, --help\n$/],
    [[], /Usage: sre-platform <command>/],
  ] as Array<[string[], RegExp]>).map(([args, message]) => [args, message, cli(args)] as const))("exits 2 for %j", (_args, message, result) => {
    const r = result();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.each(["compile", "validate", "report"].map((command) => [command, cli(["slo", command, "--help"])] as const))("prints help for slo %s --help", (command, result) => {
    const r = result();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: sre-platform slo ${command}`));
    expect(r.stdout).toContain("--period 30d|28d|7d");
  });
});

describe("sre-platform --version", () => {
  const version = cli(["--version"]);
  it("prints the package's version", () => {
    const r = version();
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `sre-platform ${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`, ""]);
  });
});

describe("a PromQL error", () => {
  const unclosed = write("unclosed.yaml", `version: sre-platform/v1
service: shop
slos:
  - name: availability
    objective: 99.5
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{job="shop",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{job="shop"}[{{.window}}])
    alerting:
      name: ShopAvailability
`);
  const result = cli(["slo", "validate", unclosed]);
  it("shows the query with a caret under the column the message names", () => {
    const r = result();
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n");
    const at = lines.findIndex((l) => l.includes("slos[0].sli.events.totalQuery: not valid PromQL"));
    expect(at).toBeGreaterThanOrEqual(0);
    const column = Number(/at line 1, column (\d+)/.exec(lines[at]!)![1]);
    expect(lines[at + 1]).toBe(`    sum(rate(http_requests_total{job="shop"}[{{.window}}])`);
    expect(lines[at + 2]).toMatch(/^ +\^$/);
    expect(lines[at + 2]!.indexOf("^") - 4 + 1).toBe(column);
    // The query is missing its last ")": the caret stands just past its end.
    expect(column).toBe(`sum(rate(http_requests_total{job="shop"}[{{.window}}])`.length + 1);
  });
});

describe("a real process of the CLI", () => {
  // One case per exit code and per stream, including a long stdout and another working directory.
  const PROCESS_CASES: Case[] = [
    { args: ["slo", "compile", SPECS, "--format", "prometheusrule", "--name", "checkout-slos", "--namespace", "monitoring"], cwd: ROOT },
    { args: ["slo", "compile", BAD, "--out", KEEP], cwd: ROOT },
    { args: ["slo", "frobnicate"], cwd: ROOT },
    { args: [], cwd: ROOT },
    REPORT_ELSEWHERE,
  ];
  const batched = PROCESS_CASES.map((c) => cli(c.args, c.cwd));

  it("exits with main's code and prints exactly what main writes to stdout and stderr", async () => {
    const spawned = await Promise.all(PROCESS_CASES.map(spawnCli));
    expect(spawned.map((r) => r.status)).toEqual([0, 1, 2, 2, 0]); // every exit code, and the cases are not all alike
    expect(spawned).toEqual(batched.map((b) => b()));
  });
});
