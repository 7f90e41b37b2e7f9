import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseSloYaml } from "../../../lib/slo/parse";
import { validateSloDefinitions } from "../../../lib/slo/validate";
import { fixturePath } from "../../support/fixtures";
import { samePromql } from "./support/promql-parse";

const fixture = (name: string): string => join(__dirname, "fixtures", "inputs", name);
const load = (name: string) => parseSloYaml(readFileSync(fixture(name), "utf8"), name);

describe("OpenSLO openslo/v1", () => {
  it("maps an SLO with indicatorRef to an SLI document (good/total → events)", () => {
    const r = load("openslo-ref.yaml");
    expect(r.errors).toEqual([]);
    expect(r.definitions).toHaveLength(1);
    const d = r.definitions[0]!;
    expect(d).toMatchObject({ id: "search-availability", service: "search", name: "availability", objective: 99.5, period: "28d", labels: { team: "discovery" }, description: "Search availability" });
    expect(d.sli).toEqual({
      kind: "events",
      errorQuery: samePromql('(sum(rate(http_requests_total{job="search"}[{{.window}}]))) - (sum(rate(http_requests_total{job="search",code!~"5.."}[{{.window}}])))'),
      totalQuery: samePromql('sum(rate(http_requests_total{job="search"}[{{.window}}]))'),
    });
    expect(d.alerting).toMatchObject({ name: "SearchAvailability", page: { disabled: false }, ticket: { disabled: false } });
    expect(d.source.fields?.["sli.totalQuery"]).toBe("docs[1].spec.ratioMetric.total.metricSource.spec.query");
    expect(validateSloDefinitions(r.definitions)).toEqual([]);
  });

  it.each([
    ["errors", { kind: "events", errorQuery: samePromql('sum(rate(http_requests_total{job="search",code=~"5.."}[{{.window}}]))') }, 99.9, "30d"],
    ["success-ratio", { kind: "raw", errorRatioQuery: samePromql("1 - (avg(rate(search_success_ratio_sum[{{.window}}]) / rate(search_success_ratio_count[{{.window}}])))") }, 99, "7d"],
    ["latency", { kind: "latency", metric: "http_request_duration_seconds", selector: 'job="search"', threshold: "0.25" }, 99, "28d"],
  ])("maps the inline indicator of %s", (name, sli, objective, period) => {
    const r = load("openslo-inline.yaml");
    expect(r.errors).toEqual([]);
    const d = r.definitions.find((x) => x.name === name)!;
    expect(d.sli).toMatchObject(sli);
    expect(d.objective).toBe(objective);
    expect(d.period).toBe(period);
    expect(validateSloDefinitions([d])).toEqual([]);
  });

  const base = (): any => ({
    apiVersion: "openslo/v1",
    kind: "SLO",
    metadata: { name: "avail" },
    spec: {
      service: "web",
      indicator: {
        metadata: { name: "web-sli" },
        spec: {
          ratioMetric: {
            good: { metricSource: { type: "Prometheus", spec: { query: "sum(rate(ok_total[{{.window}}]))" } } },
            total: { metricSource: { type: "Prometheus", spec: { query: "sum(rate(all_total[{{.window}}]))" } } },
          },
        },
      },
      timeWindow: [{ duration: "30d", isRolling: true }],
      budgetingMethod: "Occurrences",
      objectives: [{ target: 0.99 }],
    },
  });
  const sli = "spec.indicator.spec";

  const cases: Array<[string, (s: any) => void, string, RegExp]> = [
    ["the budgeting method is Timeslices", (s) => (s.spec.budgetingMethod = "Timeslices"), "spec.budgetingMethod", /"Timeslices" is not supported; allowed values: Occurrences/],
    ["the time window is 90d", (s) => (s.spec.timeWindow[0].duration = "90d"), "spec.timeWindow[0].duration", /unsupported duration "90d"; allowed: 30d, 28d \(4w\), 7d \(1w\)/],
    ["a misspelt required field is given (budgetMethod)", (s) => { s.spec.budgetMethod = s.spec.budgetingMethod; delete s.spec.budgetingMethod; }, "spec.budgetMethod", /unknown field "budgetMethod" \(did you mean "budgetingMethod"\?\)/],
    ["the time window is missing", (s) => delete s.spec.timeWindow, "spec.timeWindow", /^required field is missing: one rolling time window, e.g. \[\{duration: 30d, isRolling: true\}\]; allowed durations: 30d, 28d \(4w\), 7d \(1w\), 1M \(read as 30d\)$/],
    ["the time window is an empty list", (s) => (s.spec.timeWindow = []), "spec.timeWindow", /^required field is missing: one rolling time window/],
    ["the time window is calendar-aligned", (s) => (s.spec.timeWindow[0].isRolling = false), "spec.timeWindow[0].isRolling", /use a rolling window/],
    ["the target is a percentage", (s) => (s.spec.objectives[0].target = 99), "spec.objectives[0].target", /strictly between 0 and 1/],
    ["targetPercent is a ratio", (s) => { delete s.spec.objectives[0].target; s.spec.objectives[0].targetPercent = 0.995; }, "spec.objectives[0].targetPercent", /did you mean 99\.5\?/],
    ["a query has no {{.window}}", (s) => (s.spec.indicator.spec.ratioMetric.good.metricSource.spec.query = "sum(ok_total)"), `${sli}.ratioMetric.good.metricSource.spec.query`, /missing \{\{\.window\}\}: OpenSLO queries are instant/],
    ["a query is not PromQL", (s) => (s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = "sum(rate(all_total[{{.window}}])"), `${sli}.ratioMetric.total.metricSource.spec.query`, /not valid PromQL/],
    ["the metric source is not Prometheus", (s) => (s.spec.indicator.spec.ratioMetric.total.metricSource.type = "Datadog"), `${sli}.ratioMetric.total.metricSource.type`, /unsupported metric source type "Datadog"; allowed: Prometheus/],
    ["raw has no rawType", (s) => (s.spec.indicator.spec.ratioMetric = { raw: s.spec.indicator.spec.ratioMetric.good }), `${sli}.ratioMetric.rawType`, /required with raw: success .* or failure/],
    ["the threshold metric is not a histogram selector", (s) => (s.spec.indicator.spec = { thresholdMetric: { metricSource: { type: "Prometheus", spec: { query: "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))" } } } }), `${sli}.thresholdMetric.metricSource.spec.query`, /only as a classic histogram selector/],
    ["the threshold op is gte", (s) => { s.spec.indicator.spec = { thresholdMetric: { metricSource: { type: "Prometheus", spec: { query: "h_bucket" } } } }; s.spec.objectives[0] = { op: "gte", value: 1, target: 0.9 }; }, "spec.objectives[0].op", /must be lte/],
    ["there is no indicator", (s) => delete s.spec.indicator, "spec.indicator", /missing SLI: give spec.indicator/],
    ["indicatorRef names no SLI", (s) => { delete s.spec.indicator; s.spec.indicatorRef = "nope"; }, "spec.indicatorRef", /no SLI named "nope" in the files given/],
    ["a query is MetricsQL", (s) => (s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = "sum(rate(all_total[{{.window}}])) default 0"), `${sli}.ratioMetric.total.metricSource.spec.query`, /the default operator \(x default 0\) is MetricsQL \(VictoriaMetrics\), not PromQL/],
    ["a counter query has no window and counter is not set", (s) => (s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = "sum(all_total)"), `${sli}.ratioMetric.total.metricSource.spec.query`, /set ratioMetric.counter: true if the query selects counters/],
    ["a counter query is a ratio", (s) => { s.spec.indicator.spec.ratioMetric.counter = true; s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = "sum(a_total) / sum(b_total)"; }, `${sli}.ratioMetric.total.metricSource.spec.query`, /cannot be turned into a rate over each window: the operator "\/" between counters/],
    ["a counter query already takes a rate", (s) => { s.spec.indicator.spec.ratioMetric.counter = true; s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = "sum(rate(a_total[5m]))"; }, `${sli}.ratioMetric.total.metricSource.spec.query`, /rate\(\) is already applied, over a fixed range/],
    ["the window is a quarter", (s) => (s.spec.timeWindow[0].duration = "1Q"), "spec.timeWindow[0].duration", /unsupported duration "1Q"; allowed: 30d, 28d \(4w\), 7d \(1w\), 1M \(read as 30d\)/],
    ["the kind is unknown", (s) => (s.kind = "Objective"), "kind", /unsupported kind "Objective"; allowed kinds: SLO, SLI/],
    ["two objectives are given", (s) => s.spec.objectives.push({ target: 0.9 }), "spec.objectives", /only one objective per SLO/],
  ];

  it.each(cases)("fails when %s", (_name, mutate, field, message) => {
    const s = base();
    mutate(s);
    const r = parseSloYaml(stringify(s), "web.yaml");
    const all = [...r.errors, ...validateSloDefinitions(r.definitions)];
    const hit = all.find((d) => d.field === field && message.test(d.message));
    if (!hit) throw new Error(`no diagnostic at ${field} matching ${message}; got:\n${all.map((d) => JSON.stringify(d)).join("\n")}`);
    expect(hit.file).toBe("web.yaml");
    if (field !== "kind") expect(hit.slo).toBe("web-avail");
  });

  it("refuses openslo/v1alpha naming the supported version", () => {
    const text = readFileSync(fixturePath("sloth-golden/04-openslo-v1alpha/input.yaml"), "utf8");
    const r = parseSloYaml(text, "in.yaml");
    expect(r.errors).toEqual([expect.objectContaining({ field: "apiVersion", message: expect.stringMatching(/openslo\/v1alpha is not supported; allowed: openslo\/v1/) })]);
  });

  it("warns about an unknown key (did you mean), and fails on it in strict mode", () => {
    const s = base();
    s.spec.budgetMethod = "Occurrences";
    const expected = expect.objectContaining({ field: "spec.budgetMethod", message: expect.stringMatching(/^unknown field "budgetMethod" \(did you mean "budgetingMethod"\?\)/) });
    const lenient = parseSloYaml(stringify(s), "web.yaml");
    expect([lenient.errors, lenient.warnings, lenient.definitions.length]).toEqual([[], [expected], 1]);
    expect(parseSloYaml(stringify(s), "web.yaml", { strict: true }).errors).toEqual([expected]);
  });

  it("keeps {{.window}} queries as written when counter is true", () => {
    const s = base();
    s.spec.indicator.spec.ratioMetric.counter = true;
    expect(parseSloYaml(stringify(s), "web.yaml").definitions[0]!.sli).toMatchObject({ totalQuery: samePromql("sum(rate(all_total[{{.window}}]))") });
  });

  it("fails when two SLI documents share a name, or a metricSourceRef names no DataSource", () => {
    const sliDoc = (query: string) => ({
      apiVersion: "openslo/v1", kind: "SLI", metadata: { name: "web-sli" },
      spec: { ratioMetric: { counter: true, good: { metricSource: { metricSourceRef: "prom", spec: { query } } }, total: { metricSource: { type: "Prometheus", spec: { query: "sum(all_total)" } } } } },
    });
    const text = [sliDoc("sum(ok_total)"), sliDoc("sum(ok_total)")].map((d) => stringify(d)).join("---\n");
    const r = parseSloYaml(text, "slis.yaml");
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      "docs[1].metadata.name: duplicate SLI name \"web-sli\": already defined in slis.yaml (docs[0])",
      'docs[0].spec.ratioMetric.good.metricSource.type: required field is missing: metric source type (allowed: Prometheus) (no DataSource named "prom" in the files given)',
    ]);
  });

  it("warns that alert policies are not mapped", () => {
    const s = base();
    s.spec.alertPolicies = ["fast-burn"];
    const r = parseSloYaml(stringify(s), "web.yaml");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ field: "spec.alertPolicies", message: expect.stringMatching(/ignored/) })]);
  });
});
