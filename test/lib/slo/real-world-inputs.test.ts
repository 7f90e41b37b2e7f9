/**
 * Spec files of the shapes Sloth and OpenSLO users publish (fixtures/inputs): empty optional keys, lenient
 * keys, plugins, AlertWindows, OpenSLO counters, SLIs in other files, monthly windows. Each problem is
 * asserted by file, field and message; accepted files are compiled and their queries parsed.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml } from "../../../lib/slo/emit";
import { loadSloFilesWithWarnings } from "../../../lib/slo/load";
import { parseSloYaml } from "../../../lib/slo/parse";
import { SloError, type SloDiagnostic } from "../../../lib/slo/model";
import { checkRulesText, describeWithPromtool } from "../../support/promtool";
import { runSuite } from "./support/promtool-tests";
import * as sc from "./support/scenarios";
import { samePromql } from "./support/promql-parse";

const input = (name: string): string => join(__dirname, "fixtures", "inputs", name);

function problems(files: string[], strict = false): SloDiagnostic[] {
  try {
    loadSloFilesWithWarnings(files.map(input), { strict });
  } catch (e) {
    if (e instanceof SloError) return [...e.diagnostics];
    throw e;
  }
  throw new Error("expected an SloError");
}
const NS = " has no namespace matcher: it reads every namespace's series, which any scraped pod can forge (and a team's rules see only their own namespace); add namespace=\"<the service's namespace>\"";
const line = (d: SloDiagnostic) => `${d.field ?? ""}: ${d.message}`;

describe("Sloth files as users write them", () => {
  it("reads empty optional keys as absent and ignores Sloth's ignored keys with a warning", () => {
    const r = loadSloFilesWithWarnings([input("sloth-everyday.yaml")]);
    expect(r.definitions.map((d) => d.id)).toEqual(["checkout-requests-availability", "checkout-requests-latency"]);
    const [avail] = r.definitions;
    expect(avail!.labels).toEqual({ tier: "2", generated: "true" });
    // pageAlert is not Sloth's prometheus/v1 spelling: Sloth ignores it, so the page alert keeps no labels.
    expect(avail!.alerting.page.labels).toEqual({});
    expect(r.warnings.map(line)).toEqual([
      'slos[0].alerting.pageAlert: unknown field "pageAlert" (did you mean "page_alert"?); allowed fields: name, labels, annotations, page_alert, ticket_alert; ignored, as Sloth ignores it (an error in strict mode)',
      // Real-world Sloth specs select by job alone: every namespace's series, so a warning per query.
      'slos[0].sli.events.error_query: SLI selector `http_requests_total{job="checkout",code=~"(5..|429)"}`' + NS,
      'slos[0].sli.events.total_query: SLI selector `http_requests_total{job="checkout"}`' + NS,
      'slos[1].sli.raw.error_ratio_query: SLI selector `http_request_duration_seconds_bucket{job="checkout",le="0.5"}`, `http_request_duration_seconds_count{job="checkout"}`' + NS,
    ]);
  });

  it("fails under strict mode on the keys Sloth ignores", () => {
    expect(problems(["sloth-everyday.yaml"], true).map(line)).toEqual([
      expect.stringMatching(/^slos\[0\]\.alerting\.pageAlert: unknown field "pageAlert" \(did you mean "page_alert"\?\)/),
      // Strict also refuses an SLI that reads every namespace (slos[0], rejected above, is not compiled).
      expect.stringMatching(/^slos\[1\]\.sli\.raw\.error_ratio_query: SLI selector .* has no namespace matcher/),
    ]);
  });

  it("fails when plugins or an AlertWindows file are given, one line each", () => {
    expect(problems(["sloth-plugins-and-windows.yaml"]).map(line)).toEqual([
      expect.stringMatching(/^docs\[0\]\.slo_plugins: Sloth SLO plugins are not supported \(plugins are Go code/),
      expect.stringMatching(/^docs\[0\]\.slos\[0\]\.plugins: Sloth SLO plugins are not supported/),
      expect.stringMatching(/^docs\[0\]\.slos\[0\]\.sli\.plugin: Sloth SLI plugins are not supported \(plugins are Go code/),
      expect.stringMatching(/^docs\[1\]\.kind: Sloth AlertWindows files are not supported: .* 30d, 28d, 7d/),
    ]);
  });
});

describe("OpenSLO files as users write them", () => {
  it("rewrites counter queries into rates per window and resolves an SLI of another file", () => {
    const r = loadSloFilesWithWarnings([input("openslo-counters-slis.yaml"), input("openslo-counters-slo.yaml")]);
    expect(r.definitions.map((d) => [d.id, d.period])).toEqual([["web-web-availability", "30d"], ["checkout-checkout-availability", "28d"]]);
    expect(r.definitions[0]!.sli).toEqual({
      kind: "events",
      errorQuery: samePromql('(sum by (cluster) (rate(http_requests_total{component="web"}[{{.window}}]))) - (sum by (cluster) (rate(http_requests_total{component="web",status_code!~"5.."}[{{.window}}])))'),
      totalQuery: samePromql('sum by (cluster) (rate(http_requests_total{component="web"}[{{.window}}]))'),
    });
    expect(r.definitions[1]!.sli).toMatchObject({ totalQuery: samePromql('sum(rate(http_requests_total{job="checkout"}[{{.window}}]))') });
    expect(r.definitions[0]!.source.fields?.["sli.totalQuery"]).toBe("[1].spec.ratioMetric.total.metricSource.spec.query");
    expect(r.warnings.filter((w) => w.stage === "parse").map(line).sort()).toEqual([
      "[2].metadata.name: SLI \"web-error-ratio\" is not used by any SLO in the files given; checked, but compiles to nothing",
      "docs[0].spec.timeWindow[0].duration: 1M (a month, 28 to 31 days) is read as a rolling 30d period",
    ]);
    // Every query selects without a namespace: one warning each, named by the field the user wrote.
    expect(r.warnings.filter((w) => w.stage === "validate").map((w) => w.field)).toEqual([
      "[1].spec.ratioMetric.good.metricSource.spec.query",
      "[1].spec.ratioMetric.total.metricSource.spec.query",
      "docs[1].spec.indicator.spec.ratioMetric.good.metricSource.spec.query",
      "docs[1].spec.indicator.spec.ratioMetric.total.metricSource.spec.query",
    ]);
  });

  it("fails when an unused SLI cannot be rewritten safely, naming the construct", () => {
    const p = problems(["openslo-unused-sli.yaml"]);
    expect(p.map(line)).toEqual([
      expect.stringMatching(/^\[0\]\.spec\.ratioMetric\.bad\.metricSource\.spec\.query: counter: true, but the query cannot be turned into a rate over each window: max\(\) over counters/),
    ]);
  });

  it("fails when indicatorRef names an SLI of a file not given", () => {
    expect(problems(["openslo-counters-slo.yaml"]).map(line)).toContain(
      'docs[0].spec.indicatorRef: no SLI named "web-good-requests" in the files given; load the file with the kind: SLI document too, or inline it as spec.indicator',
    );
  });

  it("reports the real problems of a file with empty keys, not its nulls", () => {
    expect(problems(["openslo-occurrences.yaml"]).map(line)).toEqual([
      expect.stringMatching(/^spec\.timeWindow\[0\]\.duration: unsupported duration "2w"; allowed: 30d, 28d \(4w\), 7d \(1w\), 1M/),
      'spec.indicator.spec.thresholdMetric.metricSource.type: unsupported metric source type "Any"; allowed: Prometheus',
    ]);
  });
});

describeWithPromtool("accepted real-world files compile to rules promtool accepts", () => {
  test("Sloth and OpenSLO files together, one promtool run", () => {
    const r = loadSloFilesWithWarnings(["sloth-everyday.yaml", "openslo-counters-slis.yaml", "openslo-counters-slo.yaml"].map(input));
    const run = checkRulesText(emitRulesYaml(compileSlos(r.definitions)));
    expect([run.code, run.output]).toEqual([0, expect.stringMatching(/SUCCESS/)]);
  });
});

/** An OpenSLO counter SLI as its users write it, over the scenario series (`http_requests_total{job="api"}`). */
const OPENSLO_COUNTERS = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: requests
spec:
  service: api
  indicator:
    metadata:
      name: api-good
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="api",code!~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="api"}
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`;

describeWithPromtool("promtool test rules: OpenSLO counters rewritten into rates", () => {
  test("a total outage pages within the Workbook time and stops after recovery; zero traffic keeps the budget", () => {
    const parsed = parseSloYaml(OPENSLO_COUNTERS, "openslo.yaml");
    expect(parsed.errors).toEqual([]);
    const def = parsed.definitions[0]!;
    expect(def.sli).toMatchObject({ totalQuery: samePromql('sum(rate(http_requests_total{job="api"}[{{.window}}]))') });
    const result = compileSlos([def]);
    const scenarios = [sc.outageThenRecovery(def, result.slos[0]!.windows), sc.zeroTraffic(def)];
    const run = runSuite({
      rules: emitRulesYaml(result),
      groupOrder: result.slos[0]!.groups.map((g) => g.name),
      evaluationInterval: sc.EVAL,
      groups: scenarios.map((s) => s.group),
    }, "slo-openslo");
    if (run.code !== 0) throw new Error(`promtool test rules failed (files kept in ${run.dir}):\n${run.output}`);
    fs.rmSync(run.dir, { recursive: true, force: true });
  });
});
