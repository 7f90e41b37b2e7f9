/**
 * The canary-analysis compiler: the matcher rewrite on parsed PromQL, the canary query per SLI kind, the threshold the
 * SLO implies, the conditions, the budget gate and its overrides, the templates against the upstream CRD schema, and
 * the policy's P2 under promtool. Behaviour in a real Prometheus: test/e2e/canary-analysis.test.ts.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { compileSlos, type CompiledSlo } from "../../../lib/slo/compile";
import { parseSloYaml } from "../../../lib/slo/parse";
import { withMatcher } from "../../../lib/slo/promql-rewrite";
import {
  budgetExhaustedAlert, budgetGateQuery, budgetGateTemplate, canaryAnalysisTemplate, canaryErrorRatioQuery, canaryErrorThreshold, numericConditions,
  BUDGET_EXHAUSTED_ALERT, CANARY_HASH_PLACEHOLDER, DEFAULT_CANARY_LABEL,
} from "../../../lib/slo/canary-analysis";
import { SloError } from "../../../lib/slo/model";
import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";
import { measurementPhase } from "../../support/argo-expr";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";

const strict = parser.configure({ strict: true });
const parses = (q: string) => {
  strict.parse(q); // throws on a syntax error
  return true;
};

function compiled(sli: string, opts: { objective?: number; period?: string } = {}): CompiledSlo {
  const yaml = [
    "version: sre-platform/v1",
    "service: api",
    "labels: { team: payments }",
    "slos:",
    "  - name: availability",
    `    objective: ${opts.objective ?? 99.9}`,
    ...(opts.period ? [`    period: ${opts.period}`] : []),
    "    sli:",
    ...sli.split("\n").map((l) => `      ${l}`),
    "    alerting: { name: ApiAvailability }",
  ].join("\n");
  const parsed = parseSloYaml(yaml, "api.yaml");
  expect(parsed.errors).toEqual([]);
  return compileSlos(parsed.definitions).slos[0]!;
}

const EVENTS = 'events:\n  errorQuery: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))\n  totalQuery: sum(rate(http_requests_total{job="api"}[{{.window}}]))';

describe("withMatcher", () => {
  test("adds the matcher to every selector: numerator, denominator, bare names and an empty or trailing-comma brace", () => {
    const r = withMatcher('sum(rate(a{job="x"}[5m])) / sum(rate(b[5m])) + c{} - d{job="y",}', "h", "v1");
    expect(r).toEqual({ query: 'sum(rate(a{job="x",h="v1"}[5m])) / sum(rate(b{h="v1"}[5m])) + c{h="v1"} - d{job="y",h="v1"}' });
  });

  test("keeps an Argo Rollouts placeholder as a string literal that still parses", () => {
    const r = withMatcher('sum(rate(a{job="x"}[5m]))', DEFAULT_CANARY_LABEL, CANARY_HASH_PLACEHOLDER) as { query: string };
    expect(r.query).toBe('sum(rate(a{job="x",rollouts_pod_template_hash="{{args.canary-hash}}"}[5m]))');
    expect(parses(r.query)).toBe(true);
  });

  test("refuses a selector that already matches on the label, and a query that is not PromQL", () => {
    expect(withMatcher('sum(rate(a{h="stable"}[5m]))', "h", "v")).toEqual({ refused: expect.stringContaining("already matches on h") });
    expect(withMatcher("sum(rate(a[5m]", "h", "v")).toEqual({ refused: "the query is not valid PromQL" });
    expect(withMatcher("1 + 1", "h", "v")).toEqual({ refused: "the query selects no series" });
  });
});

describe("canaryErrorRatioQuery", () => {
  test("events: errors (or 0 where none are exported) over the total, both narrowed, the worst group", () => {
    const q = canaryErrorRatioQuery(compiled(EVENTS).slo, "5m", "h", "c1");
    expect(q).toContain('sum(rate(http_requests_total{job="api",code=~"5..",h="c1"}[5m]))');
    expect(q).toContain('0 * (sum(rate(http_requests_total{job="api",h="c1"}[5m])))');
    expect(q.startsWith("max(")).toBe(true);
    expect(parses(q)).toBe(true);
  });

  test("latency: count minus the good bucket over count, grouped as the SLI groups, narrowed", () => {
    const q = canaryErrorRatioQuery(compiled('latency:\n  metric: http_request_duration_seconds\n  selector: job="api"\n  threshold: "0.3"\n  groupBy: [route]').slo, "5m", "h", "c1");
    expect(q).toContain('sum by (route) (rate(http_request_duration_seconds_count{job="api",h="c1"}[5m]))');
    expect(q).toContain('sum by (route) (rate(http_request_duration_seconds_bucket{job="api",le="0.3",h="c1"}[5m]))');
    expect(parses(q)).toBe(true);
  });

  test("availability and raw SLIs are narrowed too", () => {
    expect(canaryErrorRatioQuery(compiled('availability:\n  gaugeQuery: up{job="api"}').slo, "5m", "h", "c1")).toContain('avg_over_time((up{job="api",h="c1"})[5m:])');
    const raw = canaryErrorRatioQuery(compiled('raw:\n  errorRatioQuery: sum(rate(e{job="api"}[{{.window}}])) / sum(rate(t{job="api"}[{{.window}}]))').slo, "5m", "h", "c1");
    expect(raw).toContain('sum(rate(e{job="api",h="c1"}[5m])) / sum(rate(t{job="api",h="c1"}[5m]))');
    expect(parses(raw)).toBe(true);
  });

  test("fails when the SLI already selects by the canary label, naming the file, SLO and field", () => {
    const slo = compiled('events:\n  errorQuery: sum(rate(r{h="s",code="500"}[{{.window}}]))\n  totalQuery: sum(rate(r[{{.window}}]))').slo;
    expect(() => canaryErrorRatioQuery(slo, "5m", "h", "c1")).toThrow(SloError);
    expect(() => canaryErrorRatioQuery(slo, "5m", "h", "c1")).toThrow(/^api\.yaml: api-availability: sli\.errorQuery: cannot narrow the SLI to the canary's pods: .*already matches on h/);
  });
});

describe("thresholds and conditions", () => {
  test("the page threshold is the fast page pair's factor × the budget, per period", () => {
    expect(canaryErrorThreshold(compiled(EVENTS))).toEqual({ factor: 14.4, threshold: 0.0144 });
    expect(canaryErrorThreshold(compiled(EVENTS, { objective: 99 }))).toEqual({ factor: 14.4, threshold: 0.144 });
    expect(canaryErrorThreshold(compiled(EVENTS, { period: "7d" }))).toEqual({ factor: 13.44, threshold: 0.01344 });
    expect(canaryErrorThreshold(compiled(EVENTS), 6)).toEqual({ factor: 6, threshold: 0.006 });
  });

  test("the conditions decide a number, and leave empty and NaN to Inconclusive", () => {
    const m = numericConditions("<=", 0.0144);
    expect(measurementPhase(m, [0.01])).toBe("Successful");
    expect(measurementPhase(m, [0.0144])).toBe("Successful");
    expect(measurementPhase(m, [0.02])).toBe("Failed");
    expect(measurementPhase(m, [])).toBe("Inconclusive");
    expect(measurementPhase(m, [NaN])).toBe("Inconclusive");
    const gate = numericConditions(">=", 0);
    expect(measurementPhase(gate, [-0.5])).toBe("Failed");
    expect(measurementPhase(gate, [0])).toBe("Successful");
  });
});

describe("templates", () => {
  const opts = { name: "api-availability-canary", namespace: "payments", prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring:9090", window: "5m", interval: "1m", count: 5, failureLimit: 1, inconclusiveLimit: 2 };

  test("the canary template takes the hash argument, its limits from the options, and passes the AnalysisTemplate schema", () => {
    const t = canaryAnalysisTemplate(compiled(EVENTS), opts);
    expect(t.spec.args).toEqual([{ name: "canary-hash" }]);
    expect(t.spec.metrics[0]).toMatchObject({ interval: "1m", count: 5, failureLimit: 1, inconclusiveLimit: 2, provider: { prometheus: { address: opts.prometheusUrl } } });
    expect(t.spec.metrics[0]!.provider.prometheus.query).toContain(`rollouts_pod_template_hash="${CANARY_HASH_PLACEHOLDER}"`);
    expect(crdSchemaProblems(t, "argoproj.io/analysistemplate_v1alpha1.json")).toEqual([]);
  });

  test("the schema check catches a misspelt field", () => {
    const t = canaryAnalysisTemplate(compiled(EVENTS), opts);
    const bad = { ...t, spec: { ...t.spec, metrics: [{ ...t.spec.metrics[0]!, failureLimt: 1 }] } };
    expect(crdSchemaProblems(bad, "argoproj.io/analysistemplate_v1alpha1.json")).not.toEqual([]);
  });

  test("the budget gate reads the period budget once; an override adds a ticket-labelled 1 until its expiry", () => {
    const slo = compiled(EVENTS);
    expect(budgetGateQuery(slo.slo)).toBe('min(slo:period_error_budget_remaining:ratio{sre_id="api-availability"})');
    const q = budgetGateQuery(slo.slo, [{ ticket: "CHG-7", approvedBy: "ic", expires: "2026-12-24T18:00:00Z" }]);
    expect(q).toContain('label_replace(vector(1), "sre_override", "CHG-7", "", "")');
    expect(q).toContain(`(vector(time()) < ${Date.UTC(2026, 11, 24, 18) / 1000})`);
    expect(parses(q)).toBe(true);
    const t = budgetGateTemplate(slo, { name: "g", namespace: "payments", prometheusUrl: "http://p:9090", floor: 0.1, overrides: [{ ticket: "CHG-7", approvedBy: "ic", expires: "2026-12-24T18:00:00Z" }] });
    expect(t.metadata.annotations).toEqual({ "sre-platform.io/error-budget-override": "ticket=CHG-7 approvedBy=ic expires=2026-12-24T18:00:00Z" });
    expect(t.spec.metrics[0]!.successCondition).toBe("len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.1");
    expect(crdSchemaProblems(t, "argoproj.io/analysistemplate_v1alpha1.json")).toEqual([]);
  });
});

describeWithPromtool("the error-budget policy's P2 under promtool", () => {
  let run: { code: number; output: string };
  beforeAll(() => {
    const slo = compiled(EVENTS);
    const rule = budgetExhaustedAlert(slo, 0.05);
    const groups = [{ name: "sre-error-budget-policy", rules: [rule] }];
    const series = (v: string) => ({ series: 'slo:period_error_budget_remaining:ratio{sre_id="api-availability",sre_service="api",sre_slo="availability",team="payments"}', values: v });
    const labels = { alertname: BUDGET_EXHAUSTED_ALERT, priority: "P2", severity: "warning", sre_id: "api-availability", sre_service: "api", sre_slo: "availability", team: "payments" };
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: ["sre-error-budget-policy"],
      tests: [
        {
          interval: "1m",
          // 10 % left, then 4 % (under the 5 % floor) for ten minutes.
          input_series: [series("0.1x4 0.04x10")],
          alert_rule_test: [
            { eval_time: "4m", alertname: BUDGET_EXHAUSTED_ALERT, exp_alerts: [] },
            { eval_time: "8m", alertname: BUDGET_EXHAUSTED_ALERT, exp_alerts: [] },
            { eval_time: "10m", alertname: BUDGET_EXHAUSTED_ALERT, exp_alerts: [{ exp_labels: labels, exp_annotations: { summary: "api availability: error budget under the promotion floor; canary promotions are stopped.", description: rule.annotations!.description!.replace("{{ $value | humanizePercentage }}", "4%").replace(/\{\{\$labels\.sre_service\}\}/g, "api").replace(/\{\{\$labels\.sre_slo\}\}/g, "availability") } }] },
          ],
        },
      ],
    };
    run = checkAndTestRules("budget-policy", groups, tests);
  });

  test("promtool accepts the rule; it fires as a P2 with the SLO's labels after 5 minutes under the floor, not before", () => {
    expect(run.output).toMatch(/SUCCESS: 1 rules found/);
    expect(run).toEqual({ code: 0, output: run.output });
  });
});
