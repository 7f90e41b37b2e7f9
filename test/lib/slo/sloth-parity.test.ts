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
import { runSuiteAsync, type PromtoolSuite } from "./support/promtool-tests";
import { alertingSubset } from "./support/alerting-rules";
import { compress, counter, type Segment } from "./support/series";
import { episodes, everyEval, secondsOf, timelinesAsync } from "./support/timeline";
import { sharedPath, withShared } from "../../support/shared";

const GOLDEN = sharedPath("slo/sloth-golden");
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

const alertExpr = (severityLabel: string, sev: string) =>
  `count(ALERTS{alertname="myServiceAlert", alertstate="firing", ${severityLabel}="${sev}"})`;

const sevs = ["page", "ticket"] as const;
const slothExprs = sevs.map((sev) => alertExpr("sloth_severity", sev));
const ourExprs = sevs.map((sev) => alertExpr("sre_severity", sev));

/** One case's two promtool runs: Sloth's alert timeline, then ours checked against exactly that timeline. */
async function prove(name: string, period: SloPeriod) {
  const dir = path.join(GOLDEN, name);
  const slothRules = fs.readFileSync(path.join(dir, "expected.yaml"), "utf8");
  const slothGroups = parse(slothRules).groups as Array<{ name: string; interval?: string }>;
  const result = compileSlos(loadSloFiles([path.join(dir, "input.yaml")]), { period });
  // Both sides run only their alerts and what those read (support/alerting-rules.ts): the timelines compared are the
  // same. Reads are told apart by labels too, so the second SLO of a case, whose alerts are disabled, is left out
  // although it records the same names as the first.
  const ourSubset = alertingSubset(emitRulesYaml(result));
  const slothSubset = alertingSubset(slothRules);
  const ours: Omit<PromtoolSuite, "groups"> = { rules: ourSubset.rules, groupOrder: ourSubset.groupOrder, evaluationInterval: EVAL };
  const sloth: Omit<PromtoolSuite, "groups"> = { rules: slothSubset.rules, groupOrder: slothSubset.groupOrder, evaluationInterval: EVAL };
  const input = series();
  const slothTimes = await timelinesAsync({ ...sloth, groups: [{ name: "sloth", step: STEP, series: input, checks: slothExprs.flatMap((e) => everyEval(e, END, EVAL)) }] });
  const run = await runSuiteAsync(
    { ...ours, groups: [{ name: "ours", step: STEP, series: input, checks: ourExprs.flatMap((e, i) => everyEval(e, END, EVAL, slothTimes.get(slothExprs[i]!)!)) }] },
    "slo-parity",
  );
  fs.rmSync(run.dir, { recursive: true, force: true });
  return { slothGroups, slothTimes, run };
}

describeWithPromtool("Sloth parity on Sloth's own inputs (promtool)", () => {
  const report: string[] = [];
  afterAll(() => console.log(["Sloth parity (episode [start, end] in minutes after T0; Δ in s):", ...report].join("\n")));

  // The cases are independent: the first test starts all of them (as many promtool runs at once as cores).
  let proofs: Map<string, Promise<Awaited<ReturnType<typeof prove>>>> | undefined;
  const proofOf = (name: string) => {
    proofs ??= new Map(CASES.map(([n, period]) => [n, prove(n, period)]));
    for (const p of proofs.values()) p.catch(() => undefined); // each test reports its own failure
    return proofs.get(name)!;
  };

  withShared(test, "Sloth parity").each(CASES)("%s", async (name) => {
    const { slothGroups, slothTimes, run } = await proofOf(name);
    expect(slothGroups.filter((g) => g.interval !== undefined)).toEqual([]);

    sevs.forEach((sev, i) => {
      const expected = slothTimes.get(slothExprs[i]!)!;
      expect(expected.size).toBeGreaterThan(0); // the profile exercises every alert
      // Our timeline = Sloth's, corrected where promtool reported a difference.
      const failures = run.failures.filter((f) => f.expr === ourExprs[i]);
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
