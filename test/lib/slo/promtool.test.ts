/**
 * promtool proofs: every emitted rule file passes `promtool check rules`, and generated `promtool test rules`
 * suites show, per SLI kind, the alert behaviour the SRE Workbook asks for (see support/scenarios.ts for the
 * math behind each expected value). Set SLO_PROBE=1 to also print observed detection/resolution times.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml, toPrometheusRule } from "../../../lib/slo/emit";
import { SUPPORTED_PERIODS } from "../../../lib/slo/windows";
import { describeWithPromtool, runPromtool, tempDir } from "../../support/promtool";
import { makeSlo, SLI_BY_KIND } from "./support/factory";
import { alertingSubset, readSubset } from "./support/alerting-rules";
import { probe, runSuitesAsync, type PromtoolSuite, type SuiteRun } from "./support/promtool-tests";
import * as sc from "./support/scenarios";

const KINDS = Object.keys(SLI_BY_KIND) as Array<keyof typeof SLI_BY_KIND>;

describeWithPromtool("promtool check rules", () => {
  const goldenDir = path.join(__dirname, "fixtures", "golden");
  const goldenFiles = fs.readdirSync(goldenDir).filter((f) => f.endsWith(".yaml"));
  const defs = KINDS.map((k) => makeSlo({ name: k, sli: SLI_BY_KIND[k] }));
  /** Every rules file to check, by file name. */
  const texts = new Map<string, string>([
    ...SUPPORTED_PERIODS.map((period) => [`period-${period}.yaml`, emitRulesYaml(compileSlos(defs, { period, runbookBaseUrl: "https://rb" }))] as const),
    ["prometheusrule-groups.yaml", JSON.stringify({ groups: toPrometheusRule(compileSlos([makeSlo()]), { name: "x" }).spec.groups })],
    ...goldenFiles.map((f) => {
      const doc = parse(fs.readFileSync(path.join(goldenDir, f), "utf8"));
      return [`golden-${f}`, JSON.stringify(doc.kind === "PrometheusRule" ? { groups: doc.spec.groups } : doc)] as const;
    }),
  ]);

  // ONE promtool run checks every file; each test reads its own file's block of the output.
  let blocks: Map<string, string> | undefined;
  const blockOf = (name: string): string => {
    if (!blocks) {
      const dir = tempDir("promtool-check");
      for (const [file, text] of texts) fs.writeFileSync(path.join(dir, file), text);
      const run = runPromtool(["check", "rules", ...texts.keys()], dir);
      fs.rmSync(dir, { recursive: true, force: true });
      blocks = new Map(run.output.split(/^Checking /m).slice(1).map((b) => [b.split("\n")[0]!.trim(), b] as const));
      if (blocks.size !== texts.size) throw new Error(`promtool check rules reported on ${blocks.size} of ${texts.size} files:\n${run.output}`);
    }
    return blocks.get(name) ?? "(no report)";
  };
  const passes = expect.stringMatching(/^[^\n]*\n\s*SUCCESS: \d+ rules found/);

  test.each(SUPPORTED_PERIODS)("every SLI kind, period %s", (period) => {
    expect(blockOf(`period-${period}.yaml`)).toEqual(passes);
  });

  test("the PrometheusRule's spec.groups", () => {
    expect(blockOf("prometheusrule-groups.yaml")).toEqual(passes);
  });

  test.each(goldenFiles)("golden file %s", (f) => {
    expect(blockOf(`golden-${f}`)).toEqual(passes);
  });
});

/**
 * Alert-stage scenarios (burn rates over hours and days) are the expensive ones. Their behaviour depends only on the
 * window and alert groups, which read the base group's 5m recordings; SLI kinds whose window and alert groups are the
 * same as another kind's (proved by the test below) run only the scenarios that exercise their own base group.
 */
const ALERT_STAGE_KINDS = new Set<string>(["events", "raw", "availability"]);
/** Kinds whose 5m signal is exactly constant under a constant burn (counters), so 0.9 needs a day, not three (support/scenarios.ts). */
const STEADY_KINDS = new Set<string>(["events", "raw", "latency"]);

/** The compiled groups of one SLI kind, their `-period` group apart (it feeds no alert). */
function compiledKind(kind: (typeof KINDS)[number]) {
  const def = makeSlo({ name: kind, sli: SLI_BY_KIND[kind] });
  const result = compileSlos([def]);
  return { def, result, slo: result.slos[0]! };
}

/** The window and alert groups of a kind with its own id and kind written as placeholders, to compare kinds. */
function alertStage(kind: (typeof KINDS)[number]): unknown {
  const { def, slo } = compiledKind(kind);
  const text = JSON.stringify(slo.groups.filter((g) => !g.name.endsWith("-base") && !g.name.endsWith("-period")));
  return JSON.parse(text.split(def.id).join("<id>").split(`"${kind}"`).join('"<kind>"').split(`-${kind}-`).join("-<kind>-"));
}

/**
 * The scenarios of one SLI kind, as promtool files: one per scenario, each with the rules its checks read
 * (support/alerting-rules.ts: a rule no check reads, directly or through other rules, cannot change what a check
 * sees), except zero traffic, which runs the complete file so every rule of every kind still evaluates under
 * `promtool test rules`. Page-only scenarios thus skip the ticket windows (1d, 3d), budget-only ones every burn-rate
 * window: those re-read hours to days of history at every evaluation, and were most of this suite's time.
 */
function scenarioRuns(kind: (typeof KINDS)[number]) {
  const { def, result, slo } = compiledKind(kind);
  const w = slo.windows;
  const alertScenarios = ALERT_STAGE_KINDS.has(kind) ? [sc.burnRate10(def, w), sc.burnRate09(def, w, STEADY_KINDS.has(kind))] : [];
  const complete = sc.zeroTraffic(def);
  const scenarios = [sc.outageThenRecovery(def, w), ...alertScenarios, complete, sc.trafficThenSilence(def)];
  const base = {
    rules: emitRulesYaml(result),
    groupOrder: slo.groups.map((g) => g.name),
  };
  const files: PromtoolSuite[] = scenarios.map((s) => {
    const rules = s === complete ? base : readSubset(base.rules, s.group.checks.map((c) => c.expr));
    return { rules: rules.rules, groupOrder: rules.groupOrder, evaluationInterval: s.evaluationInterval, groups: [s.group] };
  });
  return { base, scenarios, files };
}

test("every SLI kind's window and alert groups equal those of a kind whose burn-rate scenarios run", () => {
  const proved = [...ALERT_STAGE_KINDS].map((k) => alertStage(k as (typeof KINDS)[number]));
  for (const kind of KINDS.filter((k) => !ALERT_STAGE_KINDS.has(k))) {
    expect(proved).toContainEqual(alertStage(kind));
  }
  // The comparison can tell kinds apart: raw's windows average ratios, the others average rates.
  expect(alertStage("raw")).not.toEqual(alertStage("events"));
});

describe("the rules a promtool check reads (support/alerting-rules.ts)", () => {
  // Two SLOs record the same names; only their static labels tell them apart.
  const FILE = `groups:
  - name: base
    rules:
      - record: ratio:rate5m
        expr: sum(rate(errors_total{job="a"}[5m])) / sum(rate(requests_total{job="a"}[5m]))
        labels: { slo: a }
      - record: ratio:rate5m
        expr: sum(rate(errors_total{job="b"}[5m])) / sum(rate(requests_total{job="b"}[5m]))
        labels: { slo: b }
      - record: ratio:rate3d
        expr: avg_over_time(ratio:rate5m{slo="a"}[3d])
        labels: { slo: a }
      - record: requests:rate5m
        expr: sum by (slo) (rate(requests_total[5m]))
  - name: alerts
    rules:
      - alert: Burn
        expr: ratio:rate5m{slo="a"} > 0.0144 and on() requests:rate5m{slo="a"} > 0
        labels: { severity: page }
      - alert: Burn
        expr: ratio:rate3d{slo=~"a|c"} > 0.001
        labels: { severity: ticket }
      - alert: Other
        expr: ratio:rate5m{slo!="a"} > 1
        labels: { severity: "{{ $labels.slo }}" }
`;
  const kept = (exprs: string[]) => {
    const groups = (parse(readSubset(FILE, exprs).rules) as { groups: Array<{ rules: Array<{ record?: string; alert?: string; labels?: Record<string, string> }> }> }).groups;
    return groups.flatMap((g) => g.rules.map((r) => `${r.record ?? r.alert}${r.labels ? ` ${Object.values(r.labels).join(",")}` : ""}`));
  };

  test("a label the rule always sets tells apart rules recording the same name", () => {
    expect(kept(['ratio:rate5m{slo=~"b|c"}'])).toEqual(["ratio:rate5m b"]);
  });

  test("an alert is read through ALERTS by its name and static labels, with everything it reads", () => {
    expect(kept(['count(ALERTS{alertname="Burn", severity="page"})'])).toEqual(["ratio:rate5m a", "requests:rate5m", "Burn page"]);
  });

  test("a label the rule does not set, or sets from a template, may match: such rules are kept", () => {
    // `requests:rate5m` gets `slo` from its expression; `Other`'s severity is a template.
    expect(kept(['requests:rate5m{slo="zzz"}'])).toEqual(["requests:rate5m"]);
    expect(kept(['ALERTS{severity="ticket"}'])).toEqual(["ratio:rate5m a", "ratio:rate5m b", "ratio:rate3d a", "Burn ticket", "Other {{ $labels.slo }}"]);
  });

  test("an expression that is not PromQL is refused, not guessed", () => {
    expect(() => readSubset(FILE, ["count(ALERTS"])).toThrow(/not valid PromQL.*\n.*count\(ALERTS/s);
  });

  test.each(KINDS)("%s: page-only scenarios keep the page alert and drop the ticket windows; zero traffic keeps every rule", (kind) => {
    const { base, scenarios, files } = scenarioRuns(kind);
    const rulesOf = (text: string) => (parse(text) as { groups: Array<{ rules: Array<{ record?: string; alert?: string; labels?: Record<string, string> }> }> }).groups.flatMap((g) => g.rules);
    const severities = (text: string) => rulesOf(text).filter((r) => r.alert !== undefined).map((r) => r.labels!.sre_severity);
    const records = (text: string) => new Set(rulesOf(text).map((r) => r.record).filter((r) => r !== undefined));
    scenarios.forEach((s, i) => {
      const text = files[i]!.rules;
      if (s.group.name.endsWith("zero traffic: no alert, budget is a number")) {
        expect(text).toBe(base.rules);
      } else if (s.group.name.includes("pages")) {
        expect(severities(text)).toEqual(["page"]);
        expect(records(text)).not.toContain("slo:sli_error:ratio_rate3d");
      } else if (s.group.name.includes("never alerts")) {
        // "No alert fires" holds only if every alert runs with all it reads: exactly the alerting subset.
        expect(severities(text)).toEqual(["page", "ticket"]);
        expect(text).toBe(alertingSubset(base.rules).rules);
      } else {
        expect(severities(text)).toEqual([]);
        expect(records(text)).toContain("slo:period_error_budget_remaining:ratio");
      }
    });
  });
});

describeWithPromtool("promtool test rules: Workbook scenarios per SLI kind", () => {
  // Every kind's files are independent: the first test starts one promtool process per kind over all of that kind's
  // files (as many processes at once as cores), and each test waits for its own kind's.
  let started: Map<string, Promise<SuiteRun>> | undefined;
  const runOf = (kind: string) => {
    started ??= new Map(KINDS.map((k) => [k, runSuitesAsync(scenarioRuns(k).files)]));
    for (const p of started.values()) p.catch(() => undefined); // each test reports its own failure
    return started.get(kind)!;
  };

  test.each(KINDS)("%s SLI", async (kind) => {
    const run = await runOf(kind);
    if (run.code !== 0) throw new Error(`promtool test rules failed (files kept in ${run.dir}):\n${run.output}`);
    expect(run.output.match(/^\s*SUCCESS$/gm)).toHaveLength(scenarioRuns(kind).files.length);
    fs.rmSync(run.dir, { recursive: true, force: true });

    if (process.env.SLO_PROBE === "1") {
      const { base, scenarios } = scenarioRuns(kind);
      const withProbes = scenarios.filter((s) => s.probes.length > 0);
      const probed = probe({ ...base, evaluationInterval: sc.EVAL, groups: withProbes.map((s) => ({ ...s.group, checks: s.probes })) });
      const rows = withProbes.map((s) => `${s.group.name}: observed ${s.probes.map((_, i) => probed.get(`${s.group.name}/${i}`)?.join(",")).join(" / ")} s; bound ${JSON.stringify(s.bound)}`);
      console.log(rows.join("\n"));
    }
  }, 300_000);
});
