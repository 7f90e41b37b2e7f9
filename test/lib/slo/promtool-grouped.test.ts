/**
 * Grouped SLIs (`sum by (cluster)`, `groupBy`) keep every group's series: a cluster that never failed has
 * no error series at all, and must still get its error ratios (0), its burn rates and its remaining budget
 * (1), while a failing cluster gets its own. One promtool process runs every SLI kind, each in its own test file.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml } from "../../../lib/slo/emit";
import type { Sli, SloDefinition } from "../../../lib/slo/model";
import { describeWithPromtool } from "../../support/promtool";
import { makeSlo } from "./support/factory";
import { readSubset } from "./support/alerting-rules";
import { runSuitesAsync, type ExprCheck, type PromtoolSuite, type TestGroup } from "./support/promtool-tests";
import type { InputSeries } from "./support/series";

const STEP = 30;
const END = 2 * 3600;
const PER_SCRAPE = 1000;
const ERRORS_A = 50; // cluster "a": 5 % errors (burn rate 5 at 99 %); cluster "b": never a single error

const ratio = (sel: string) => `sum by (cluster) (rate(http_requests_total{job="api"${sel}}[{{.window}}]))`;
const SLIS: Record<string, Sli> = {
  events: { kind: "events", errorQuery: ratio(',code=~"5.."'), totalQuery: ratio("") },
  raw: { kind: "raw", errorRatioQuery: `${ratio(',code=~"5.."')}\n/\n${ratio("")}` },
  latency: { kind: "latency", metric: "http_request_duration_seconds", selector: 'job="api"', threshold: "0.3", groupBy: ["cluster"] },
};

const counter = (perScrape: number) => `0+${perScrape}x${END / STEP}`;

function seriesOf(kind: string): InputSeries[] {
  if (kind === "latency") {
    return ["a", "b"].flatMap((cl) => [
      { series: `http_request_duration_seconds_count{job="api",cluster="${cl}"}`, values: counter(PER_SCRAPE) },
      { series: `http_request_duration_seconds_bucket{job="api",cluster="${cl}",le="0.3"}`, values: counter(cl === "a" ? PER_SCRAPE - ERRORS_A : PER_SCRAPE) },
      { series: `http_request_duration_seconds_bucket{job="api",cluster="${cl}",le="+Inf"}`, values: counter(PER_SCRAPE) },
    ]);
  }
  return [
    { series: 'http_requests_total{job="api",cluster="a",code="200"}', values: counter(PER_SCRAPE - ERRORS_A) },
    { series: 'http_requests_total{job="api",cluster="a",code="500"}', values: counter(ERRORS_A) },
    // Cluster "b" has never failed, so it has no 5xx series at all, as in real life.
    { series: 'http_requests_total{job="api",cluster="b",code="200"}', values: counter(PER_SCRAPE) },
  ];
}

/** Expected values from the inputs: 5 % errors in "a" (budget 1 − 5/1 = −4 burnt), none in "b". */
function checks(def: SloDefinition): ExprCheck[] {
  const s = (metric: string, cluster: string) => `${metric}{sre_id="${def.id}",cluster="${cluster}"}`;
  const out: ExprCheck[] = [];
  const ratios = ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"].map((w) => `slo:sli_error:ratio_rate${w}`);
  for (const m of ratios) {
    out.push({ expr: `max(${s(m, "b")})`, at: END, expect: [{ labels: "{}", value: 0 }], why: `${m}: cluster b never failed` });
    out.push({ expr: `count(${s(m, "a")} > 0.049 < 0.051)`, at: END, expect: [{ labels: "{}", value: 1 }], why: `${m}: cluster a fails 5 %` });
  }
  for (const [m, b] of [["slo:current_burn_rate:ratio", 0], ["slo:period_burn_rate:ratio", 0], ["slo:period_error_budget_remaining:ratio", 1]] as const) {
    out.push({ expr: `max(${s(m, "b")})`, at: END, expect: [{ labels: "{}", value: b }], why: `${m} of cluster b` });
    out.push({ expr: `count(${s(m, "a")})`, at: END, expect: [{ labels: "{}", value: 1 }], why: `${m} of cluster a` });
  }
  out.push({ expr: `count(slo:period_error_budget_remaining:ratio{sre_id="${def.id}"})`, at: END, expect: [{ labels: "{}", value: 2 }], why: "one budget per cluster, no fallback series" });
  out.push({ expr: `count by (cluster) (ALERTS{sre_id="${def.id}",alertstate="firing"})`, at: END, expect: [{ labels: '{cluster="a"}', value: 1 }], why: "burn 5 opens a ticket for a only (1d/2h pair: factor 3)" });
  return out;
}

/** The service-down alert reads every SLO of the service and is proved in service-down.test.ts; off here. */
const NO_SERVICE_DOWN = { disabled: true, for: "2m", trafficCanBeZero: false } as const;

describeWithPromtool("promtool test rules: grouped SLIs keep every group's series", () => {
  test("events, raw and latency SLIs grouped by cluster, one promtool run", async () => {
    const defs = Object.entries(SLIS).map(([kind, sli]) => makeSlo({ name: `${kind}-grouped`, objective: 99, sli, serviceDown: NO_SERVICE_DOWN }));
    const result = compileSlos(defs);
    const rules = emitRulesYaml(result);
    const idsOf = (text: string) =>
      new Set((parse(text) as { groups: Array<{ rules: Array<{ labels: { sre_id: string } }> }> }).groups.flatMap((g) => g.rules.map((r) => r.labels.sre_id)));
    // Each SLI's test file holds the rules its checks read (support/alerting-rules.ts). Every check names its SLO's
    // sre_id, so that is its own SLO's rules (all but the constants no check reads), never the two other SLOs'.
    const suites: PromtoolSuite[] = defs.map((def) => {
      const group: TestGroup = { name: `${def.sli.kind} grouped`, step: STEP, series: seriesOf(def.sli.kind), checks: checks(def) };
      const subset = readSubset(rules, group.checks.map((c) => c.expr));
      expect(idsOf(subset.rules)).toEqual(new Set([def.id]));
      return { rules: subset.rules, groupOrder: subset.groupOrder, evaluationInterval: STEP, groups: [group] };
    });
    const run = await runSuitesAsync(suites, "slo-grouped");
    if (run.code !== 0) throw new Error(`promtool test rules failed (files kept in ${run.dir}):\n${run.output}`);
    expect(run.output.match(/^\s*SUCCESS$/gm)).toHaveLength(defs.length);
    fs.rmSync(run.dir, { recursive: true, force: true });
  });
});
