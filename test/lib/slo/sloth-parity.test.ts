/**
 * Sloth parity: Sloth's own golden inputs (`<case>/input.yaml` in the reference data test/support/shared.ts
 * finds) compiled by us, and Sloth's own expected rules for them (expected.yaml), run through promtool on the SAME input series. We first read
 * Sloth's alert timeline (firing or not at every evaluation), then ask promtool to check OUR rules against
 * exactly that timeline. Where they differ, the difference is at an episode's edge and within the bound of
 * the derivation (docs/slo-compiler.md): our derived windows may lag the exact ones by up to the 5m base
 * window, and our 1h/6h floors may fire one evaluation earlier at the start of an outage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml } from "../../../lib/slo/emit";
import { loadSloFiles } from "../../../lib/slo/load";
import type { SloPeriod } from "../../../lib/slo/model";
import { describeWithPromtool } from "../../support/promtool";
import { runSuiteAsync } from "./support/promtool-tests";
import { alertingSubset, mergeAlertVariants } from "./support/alerting-rules";
import { compress, counter, type Segment } from "./support/series";
import { episodes, everyEval, secondsOf, timelinesAsync } from "./support/timeline";
import { fixturePath } from "../../support/fixtures";

const GOLDEN = fixturePath("sloth-golden");
const STEP = 30;
const EVAL = 60; // Sloth's groups have no `interval:` (checked below): the Prometheus global, 1m by default.
const BASE = 300;
const H = 3600;
const T0 = 6 * H + 600;
const PER_SCRAPE = 100000;
/** Good traffic, a 10 minute outage, recovery, a burn-rate-10 stretch, a burn-rate-4 stretch, recovery. */
const PROFILE: Segment[] = [
  { from: 0, rps: PER_SCRAPE / STEP, errorRatio: 0 },
  { from: T0, rps: PER_SCRAPE / STEP, errorRatio: 1 },
  { from: T0 + 600, rps: PER_SCRAPE / STEP, errorRatio: 0 },
  { from: T0 + 3 * H, rps: PER_SCRAPE / STEP, errorRatio: 0.01 },
  { from: T0 + 8 * H, rps: PER_SCRAPE / STEP, errorRatio: 0.004 },
  { from: T0 + 11 * H, rps: PER_SCRAPE / STEP, errorRatio: 0 },
];
const END = T0 + 18 * H; // long enough for the ticket's 6h short window to clear after the last errors

const CASES: Array<[string, SloPeriod]> = [
  ["01-base-30d", "30d"],
  ["02-base-28d", "28d"],
  ["03-custom-windows-7d", "7d"],
];

function series() {
  const m = "http_request_duration_seconds_count";
  return [
    { series: `${m}{job="myservice",code="200"}`, values: compress(counter(PROFILE, STEP, END, (s) => s.rps * (1 - s.errorRatio))) },
    { series: `${m}{job="myservice",code="500"}`, values: compress(counter(PROFILE, STEP, END, (s) => s.rps * s.errorRatio)) },
  ];
}

/** The label that tells the cases' alerts apart where their rule files are run as one (see {@link proveAll}). */
const CASE = "parity_case";
const alertExpr = (severityLabel: string, sev: string, name: string) =>
  `count(ALERTS{alertname="myServiceAlert", alertstate="firing", ${severityLabel}="${sev}", ${CASE}="${name}"})`;

const sevs = ["page", "ticket"] as const;
const slothExprs = (name: string) => sevs.map((sev) => alertExpr("sloth_severity", sev, name));
const ourExprs = (name: string) => sevs.map((sev) => alertExpr("sre_severity", sev, name));

interface Case {
  readonly name: string;
  readonly slothGroups: Array<{ name: string; interval?: string }>;
  /** Each side's alerts and what they read (support/alerting-rules.ts). */
  readonly sloth: string;
  readonly ours: string;
}

function loadCase(name: string, period: SloPeriod): Case {
  const dir = path.join(GOLDEN, name);
  const slothRules = fs.readFileSync(path.join(dir, "expected.yaml"), "utf8");
  const result = compileSlos(loadSloFiles([path.join(dir, "input.yaml")]), { period });
  // Both sides run only their alerts and what those read: the timelines compared are the same. Reads are told apart
  // by labels too, so the second SLO of a case, whose alerts are disabled, is left out although it records the same
  // names as the first.
  return { name, slothGroups: parse(slothRules).groups, sloth: alertingSubset(slothRules).rules, ours: alertingSubset(emitRulesYaml(result)).rules };
}

/** Both sides of a batch of cases as one rule file each, or undefined when their recordings differ. */
function mergeBatch(batch: readonly Case[]) {
  const sloth = mergeAlertVariants(batch.map((c) => ({ key: c.name, rules: c.sloth })), CASE);
  const ours = mergeAlertVariants(batch.map((c) => ({ key: c.name, rules: c.ours })), CASE);
  return sloth && ours ? { sloth, ours } : undefined;
}

/**
 * Every case's timelines. The cases differ in their periods and window tables, but the windows are the same lengths,
 * so on each side their recording rules come out the same and only the alerts' factors differ (checked below, and by
 * mergeAlertVariants, which refuses anything else). Cases whose files differ only in alerts run as ONE file
 * per side (support/alerting-rules.ts, mergeAlertVariants: every alert unchanged at its place, labelled with its
 * case), which evaluates the windows, nearly all of promtool's work, once instead of once per case. Two promtool
 * runs per batch: Sloth's alert timelines, then ours checked against exactly those timelines.
 */
async function proveAll() {
  const batches: Case[][] = [];
  for (const c of CASES.map(([name, period]) => loadCase(name, period))) {
    const batch = batches.find((b) => mergeBatch([...b, c]) !== undefined);
    if (batch) batch.push(c);
    else batches.push([c]);
  }
  const input = series();
  const proofs = await Promise.all(batches.map(async (batch) => {
    const { sloth, ours } = mergeBatch(batch)!;
    const slothTimes = await timelinesAsync({
      ...sloth,
      evaluationInterval: EVAL,
      groups: [{ name: "sloth", step: STEP, series: input, checks: batch.flatMap((c) => slothExprs(c.name).flatMap((e) => everyEval(e, END, EVAL))) }],
    });
    const checks = batch.flatMap((c) => ourExprs(c.name).flatMap((e, i) => everyEval(e, END, EVAL, slothTimes.get(slothExprs(c.name)[i]!)!)));
    const run = await runSuiteAsync({ ...ours, evaluationInterval: EVAL, groups: [{ name: "ours", step: STEP, series: input, checks }] }, "slo-parity");
    fs.rmSync(run.dir, { recursive: true, force: true });
    return batch.map((c) => [c.name, { slothGroups: c.slothGroups, slothTimes, run }] as const);
  }));
  return { batches: batches.map((b) => b.map((c) => c.name)), byCase: new Map(proofs.flat()) };
}

describe("rule files that differ only in their alerts, as one (support/alerting-rules.ts)", () => {
  const file = (factor: number, extra = "") => `groups:
  - name: windows
    rules:
      - record: ratio:rate1h
        expr: sum(rate(errors_total[1h])) / sum(rate(requests_total[1h]))${extra}
      - alert: Burn
        expr: ratio:rate1h > ${factor} * 0.001
        labels: { severity: page }
`;
  const merged = (files: Array<[string, string]>) => mergeAlertVariants(files.map(([key, rules]) => ({ key, rules })), "case");

  test("keeps each recording once and puts every file's alert at its place, labelled with its file", () => {
    const m = merged([["30d", file(14.4)], ["7d", file(13.44)]])!;
    expect(parse(m.rules).groups).toEqual([{
      name: "windows",
      rules: [
        { record: "ratio:rate1h", expr: "sum(rate(errors_total[1h])) / sum(rate(requests_total[1h]))" },
        { alert: "Burn", expr: "ratio:rate1h > 14.4 * 0.001", labels: { severity: "page", case: "30d" } },
        { alert: "Burn", expr: "ratio:rate1h > 13.44 * 0.001", labels: { severity: "page", case: "7d" } },
      ],
    }]);
    expect(m.groupOrder).toEqual(["windows"]);
  });

  test("refuses files whose recordings differ, and rules that read alerts", () => {
    expect(merged([["a", file(1)], ["b", file(1, " * 2")]])).toBeUndefined();
    expect(merged([["a", file(1)], ["b", file(1).replace("ratio:rate1h > 1", "ratio:rate1h + count(ALERTS) > 1")]])).toBeUndefined();
  });
});

describeWithPromtool("Sloth parity on Sloth's own inputs (promtool)", () => {
  const report: string[] = [];
  afterAll(() => console.log(["Sloth parity (episode [start, end] in minutes after T0; Δ in s):", ...report].join("\n")));

  // The first test starts every batch (as many promtool runs at once as cores); each test reads its own case.
  let proofs: ReturnType<typeof proveAll> | undefined;
  const all = () => (proofs ??= proveAll());
  const proofOf = async (name: string) => (await all()).byCase.get(name)!;

  test("the cases' recordings are the same on each side, so each side runs them as one file", async () => {
    expect((await all()).batches).toEqual([CASES.map(([n]) => n)]);
  }, 300_000);

  test.each(CASES)("%s", async (name) => {
    const { slothGroups, slothTimes, run } = await proofOf(name);
    expect(slothGroups.filter((g) => g.interval !== undefined)).toEqual([]);

    sevs.forEach((sev, i) => {
      const expected = slothTimes.get(slothExprs(name)[i]!)!;
      expect(expected.size).toBeGreaterThan(0); // the profile exercises every alert
      // Our timeline = Sloth's, corrected where promtool reported a difference.
      const failures = run.failures.filter((f) => f.expr === ourExprs(name)[i]);
      const ourTimes = new Set(expected);
      for (const f of failures) {
        if (f.got.length > 0) ourTimes.add(secondsOf(f.time));
        else ourTimes.delete(secondsOf(f.time));
      }
      const se = episodes(expected, EVAL);
      const oe = episodes(ourTimes, EVAL);
      const fmt = (e: Array<[number, number]>) => e.map(([a, b]) => `[${(a - T0) / 60}, ${(b - T0) / 60}]`).join(" ");
      const deltas = se.map((x, k) => [oe[k] ? oe[k]![0] - x[0] : NaN, oe[k] ? oe[k]![1] - x[1] : NaN]);
      report.push(
        `${name} ${sev}: sloth ${fmt(se)} | ours ${fmt(oe)} | Δstart,Δend ${deltas.map((d) => d.join(",")).join(" ")} | ` +
          `${failures.length} of ${END / EVAL + 1} evaluations differ`,
      );

      // Same episodes, edges within the documented bound: start in [−1 eval, +S + 1 eval], end in [−1 eval, +S + 2 evals].
      expect(oe.length).toBe(se.length);
      for (const [ds, de] of deltas) {
        expect(ds).toBeGreaterThanOrEqual(-EVAL);
        expect(ds).toBeLessThanOrEqual(BASE + EVAL);
        expect(de).toBeGreaterThanOrEqual(-EVAL);
        expect(de).toBeLessThanOrEqual(BASE + 2 * EVAL);
      }
    });
  }, 300_000);
});
