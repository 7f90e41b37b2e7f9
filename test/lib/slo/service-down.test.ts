/**
 * The service-down (P0) alert compiled from the specs: which targets it watches, one alert per service, the
 * spec's settings and their errors, and — with `promtool test rules`, one run for the suite — when it fires.
 */
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml } from "../../../lib/slo/emit";
import type { ServiceDown, SloDefinition } from "../../../lib/slo/model";
import { parseSloDocuments } from "../../../lib/slo/parse";
import { derivedTargetSelectors } from "../../../lib/slo/service-down";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";
import { AVAILABILITY_SLI, EVENTS_SLI, LATENCY_SLI, makeSlo, RAW_SLI } from "./support/factory";

const withDown = (def: SloDefinition, serviceDown: Partial<ServiceDown>): SloDefinition => ({
  ...def,
  serviceDown: { disabled: false, for: "2m", trafficCanBeZero: false, ...serviceDown },
});

type Group = { name: string; interval?: string; rules: Array<Record<string, unknown>> };
const groupsOf = (defs: SloDefinition[]): Group[] => (parse(emitRulesYaml(compileSlos(defs))) as { groups: Group[] }).groups;
const downGroups = (defs: SloDefinition[]) => groupsOf(defs).filter((g) => g.name.startsWith("sre-service-"));

describe("service-down targets from the SLI", () => {
  it("reads job and namespace equality matchers with the PromQL grammar, not other matchers", () => {
    const def = makeSlo({
      sli: {
        kind: "events",
        errorQuery: 'sum(rate(http_requests_total{code=~"5..", job="checkout-api",namespace="payments"}[{{.window}}]))',
        totalQuery: 'sum(rate(http_requests_total{namespace="payments",job="checkout-api"}[{{.window}}])) + 0 * sum(rate(other_total{job=~"x|y"}[{{.window}}]))',
      },
    });
    expect(derivedTargetSelectors(def)).toEqual(['up{namespace="payments",job="checkout-api"}']);
  });

  it.each([
    ["events", EVENTS_SLI, ['up{job="api"}']],
    ["latency", LATENCY_SLI, ['up{job="api"}']],
    ["availability", AVAILABILITY_SLI, ['up{job="api"}']],
    ["raw", RAW_SLI, ['up{job="api"}']],
  ])("%s SLI", (_kind, sli, expected) => {
    expect(derivedTargetSelectors(makeSlo({ sli }))).toEqual(expected);
  });

  it("names no targets when no selector has a job equality matcher", () => {
    expect(derivedTargetSelectors(makeSlo({ sli: { kind: "availability", gaugeQuery: 'up{job=~"api.*"}' } }))).toEqual([]);
  });
});

describe("one service-down alert per service", () => {
  it("dedupes the service's SLOs into one P0 with the sre_service label, the service's shared labels and the traffic of its events and latency SLOs", () => {
    const groups = downGroups([
      makeSlo({ name: "a", labels: { team: "payments", tier: "1" } }),
      makeSlo({ name: "b", sli: LATENCY_SLI, labels: { team: "payments", tier: "2" } }),
      makeSlo({ name: "c", sli: AVAILABILITY_SLI, labels: { team: "payments" } }),
      makeSlo({ service: "other", name: "x", sli: { kind: "availability", gaugeQuery: 'up{job="other"}' } }),
    ]);
    expect(groups.map((g) => g.name)).toEqual(["sre-service-api-down", "sre-service-other-down"]);
    const [api, other] = groups.map((g) => g.rules[0]!);
    expect(api).toMatchObject({
      alert: "ApiDown",
      for: "2m",
      labels: { priority: "P0", severity: "critical", sre_service: "api", team: "payments" },
    });
    expect(Object.keys(api!["labels"] as object)).not.toContain("tier");
    expect(api!["expr"]).toBe('(max(up{job="api"}) or vector(0)) == 0\nor\n(sum(sre_slo:requests:rate5m{sre_id=~"api-a|api-b"}) or vector(0)) <= 0');
    // An availability SLI counts gauge samples, not requests: no traffic condition.
    expect(other!["expr"]).toBe('(max(up{job="other"}) or vector(0)) == 0');
  });

  it("watches only the targets when traffic can be zero, the spec's own selector when given, nothing when disabled", () => {
    expect(downGroups([withDown(makeSlo(), { trafficCanBeZero: true, for: "10m" })])[0]!.rules[0]).toMatchObject({ expr: '(max(up{job="api"}) or vector(0)) == 0', for: "10m" });
    expect(downGroups([withDown(makeSlo(), { trafficCanBeZero: true, targets: 'up{job="api-pods",namespace="web"}' })])[0]!.rules[0]!["expr"]).toBe('(max(up{job="api-pods",namespace="web"}) or vector(0)) == 0');
    expect(downGroups([withDown(makeSlo(), { disabled: true })])).toEqual([]);
  });

  it("warns when a service has nothing to watch, and refuses two different settings for one service", () => {
    const raw = makeSlo({ sli: { kind: "raw", errorRatioQuery: "sum(rate(errors_total[{{.window}}])) / sum(rate(requests_total[{{.window}}]))" } });
    const r = compileSlos([raw]);
    expect(r.services).toEqual([]);
    expect(r.warnings.map((w) => `${w.field}: ${w.message}`)).toEqual([expect.stringMatching(/^serviceDown: service "api" gets no service-down \(P0\) alert: .*give serviceDown.targets/)]);
    expect(() => compileSlos([withDown(makeSlo({ name: "a" }), { for: "1m" }), withDown(makeSlo({ name: "b" }), { for: "5m" })])).toThrow(
      /<test>: api-b: serviceDown: service "api" has a different serviceDown in <test>/,
    );
  });
});

describe("serviceDown in sre-platform/v1", () => {
  const spec = (serviceDown: unknown) => ({
    version: "sre-platform/v1",
    service: "api",
    serviceDown,
    slos: [{ name: "a", objective: 99, sli: { events: { errorQuery: 'sum(rate(x_total{job="api",code="500"}[{{.window}}]))', totalQuery: 'sum(rate(x_total{job="api"}[{{.window}}]))' } } }],
  });
  const errors = (serviceDown: unknown) => parseSloDocuments([spec(serviceDown)], "api.yaml").errors.map((e) => `${e.field}: ${e.message}`);

  it("reads the settings with defaults onto every SLO of the service", () => {
    const r = parseSloDocuments([spec({ trafficCanBeZero: true })], "api.yaml");
    expect(r.errors).toEqual([]);
    expect(r.definitions[0]!.serviceDown).toEqual({ disabled: false, for: "2m", trafficCanBeZero: true });
  });

  it.each([
    [{ for: "2 minutes" }, 'serviceDown.for: must be a Prometheus duration of one unit, more than zero (e.g. 30s, 2m, 1h; units s, m, h, d, w), got "2 minutes"'],
    [{ for: "0s" }, 'serviceDown.for: must be a Prometheus duration of one unit, more than zero (e.g. 30s, 2m, 1h; units s, m, h, d, w), got "0s"'],
    [{ targets: 'max(up{job="api"})' }, 'serviceDown.targets: must be a plain vector selector such as up{namespace="payments",job="checkout-api"}, got "max(up{job=\\"api\\"})"'],
    [{ trafficCanbeZero: true }, 'serviceDown.trafficCanbeZero: unknown field "trafficCanbeZero" (did you mean "trafficCanBeZero"?); allowed fields: disabled, for, trafficCanBeZero, targets'],
    [{ disabled: "yes" }, 'serviceDown.disabled: expected a boolean, got "yes"'],
  ])("refuses %j naming the field and the allowed values", (serviceDown, message) => {
    expect(errors(serviceDown)).toEqual([message]);
  });
});

describeWithPromtool("promtool test rules: the service-down alert", () => {
  // `api` must always have traffic; `batch` (a consumer) may legitimately be idle at night.
  const defs = [
    makeSlo({ name: "requests", labels: {} }),
    withDown(makeSlo({ service: "batch", name: "jobs", labels: {}, sli: { kind: "events", errorQuery: 'sum(rate(jobs_total{job="batch",result="failed"}[{{.window}}]))', totalQuery: 'sum(rate(jobs_total{job="batch"}[{{.window}}]))' } }), { trafficCanBeZero: true }),
  ];
  const groups = groupsOf(defs);
  const p0 = (service: string, description: string) => ({
    exp_labels: { priority: "P0", severity: "critical", sre_service: service },
    exp_annotations: { description, summary: `${service} is down.`, title: `(P0) ${service} is down.` },
  });
  const API_DOWN = p0("api", 'api: every scrape target (up{job="api"}) is down or absent, or it has received no requests, for 2m.');
  const BATCH_DOWN = p0("batch", 'batch: every scrape target (up{job="batch"}) is down or absent, for 2m.');
  const test = (name: string, input: Array<[string, string]>, checks: Array<[string, number, unknown[]]>) => ({
    name,
    interval: "30s",
    input_series: input.map(([series, values]) => ({ series, values })),
    alert_rule_test: checks.map(([alertname, at, exp_alerts]) => ({ alertname, eval_time: `${at}s`, exp_alerts })),
  });
  const tests = {
    rule_files: ["rules.yaml"],
    evaluation_interval: "30s",
    group_eval_order: groups.map((g) => g.name),
    tests: [
      // Healthy: targets up, requests flowing.
      test("healthy", [['up{job="api",instance="a"}', "1x60"], ['http_requests_total{job="api",code="200"}', "0+60x60"]], [
        ["ApiDown", 1800, []],
      ]),
      // The only target goes down at 270s (its counters stop with it): pending from 270s, firing 2m later,
      // while the requests' 5m rate still sees the last samples (so the targets, not the traffic, fire it).
      test("targets down", [['up{job="api",instance="a"}', "1x8 0x40"], ['http_requests_total{job="api",code="200"}', "0+60x8"]], [
        ["ApiDown", 360, []],
        ["ApiDown", 420, [API_DOWN]],
      ]),
      // Targets up, but no request arrives after 300s: the 5m rate reaches 0 by 600s, the P0 fires 2m later.
      test("traffic gone", [['up{job="api",instance="a"}', "1x60"], ['http_requests_total{job="api",code="200"}', "0+60x10 600x50"]], [
        ["ApiDown", 540, []],
        ["ApiDown", 660, []],
        ["ApiDown", 780, [API_DOWN]],
      ]),
      // A quiet night for the batch consumer: targets up, no jobs at all for 30m. Silent, as its spec allows.
      test("quiet but healthy", [['up{job="batch",instance="b"}', "1x60"], ['jobs_total{job="batch",result="done"}', "5x60"]], [
        ["BatchDown", 1800, []],
      ]),
      // The batch consumer's targets vanish from service discovery (no `up` at all): firing 2m after.
      test("targets absent", [['jobs_total{job="batch",result="done"}', "5x60"]], [
        ["BatchDown", 90, []],
        ["BatchDown", 150, [BATCH_DOWN]],
      ]),
    ],
  };

  it("fires on an outage at the right time, stays silent when healthy or quietly idle", () => {
    const run = checkAndTestRules("service-down", groups, tests);
    if (run.code !== 0) throw new Error(run.output);
    expect(run.output).toMatch(/SUCCESS/);
  });
});
