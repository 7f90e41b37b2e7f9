import { SloError } from "../../../lib/slo/model";
import { steadyStateOptionProblems, steadyStateProbes, STEADY_STATE_DEFAULTS } from "../../../lib/slo/steady-state";
import { CURRENT_BURN_RATE, LABEL_ID, PERIOD_BUDGET_REMAINING } from "../../../lib/slo/conventions";
import { compileHistorySlos } from "../../support/slo-history";

const URL = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";
const compiled = compileHistorySlos([
  { service: "api", requestsPerSecond: 1, errorShare: 0 },
  { service: "weekly", requestsPerSecond: 1, errorShare: 0, objective: 99.5 },
]).slos;

describe("steadyStateProbes", () => {
  test("two probes per SLO of the service, on the compiler's series, in Litmus 3 form", () => {
    const [burn, budget] = steadyStateProbes(compiled, "api", { prometheusUrl: URL });
    expect(burn).toEqual({
      name: "api-availability-burn-rate-under-page",
      type: "promProbe",
      mode: "Continuous",
      "promProbe/inputs": { endpoint: URL, query: `max(${CURRENT_BURN_RATE}{${LABEL_ID}='api-availability'})`, comparator: { criteria: "<", value: "14.4" } },
      runProperties: { probeTimeout: "5s", interval: "10s", probePollingInterval: "10s", attempt: 2, stopOnFailure: true },
    });
    expect(budget).toEqual({
      name: "api-availability-budget-above-floor",
      type: "promProbe",
      mode: "Edge",
      "promProbe/inputs": { endpoint: URL, query: `min(${PERIOD_BUDGET_REMAINING}{${LABEL_ID}='api-availability'})`, comparator: { criteria: ">", value: String(STEADY_STATE_DEFAULTS.budgetFloor) } },
      runProperties: { probeTimeout: "5s", interval: "10s", attempt: 2, stopOnFailure: false },
    });
  });

  test("the floor and timings come from the options", () => {
    const [burn, budget] = steadyStateProbes(compiled, "weekly", { prometheusUrl: URL, budgetFloor: 0.5, probeTimeout: "3s", interval: "30s", attempt: 1 });
    expect(budget!["promProbe/inputs"].comparator.value).toBe("0.5");
    expect(burn!.runProperties).toMatchObject({ probeTimeout: "3s", interval: "30s", attempt: 1 });
  });

  test("fails when the service has no SLO, naming the services that have one", () => {
    expect(() => steadyStateProbes(compiled, "nope", { prometheusUrl: URL })).toThrow(SloError);
    expect(() => steadyStateProbes(compiled, "nope", { prometheusUrl: URL })).toThrow(/service "nope" has no SLO; services with SLOs: api, weekly/);
  });

  test.each([
    [{ prometheusUrl: "kube-prometheus-stack-prometheus:9090" }, "prometheusUrl"],
    [{ prometheusUrl: 'http://x:9090/"' }, "prometheusUrl"],
    [{ prometheusUrl: URL, budgetFloor: 1 }, "budgetFloor"],
    [{ prometheusUrl: URL, budgetFloor: -0.1 }, "budgetFloor"],
    [{ prometheusUrl: URL, probeTimeout: "5" }, "probeTimeout"],
    [{ prometheusUrl: URL, interval: "ten seconds" }, "interval"],
    [{ prometheusUrl: URL, attempt: 0 }, "attempt"],
  ])("fails when %j (field %s)", (opts, field) => {
    expect(steadyStateOptionProblems(opts).map((p) => p.field)).toEqual([field]);
    expect(() => steadyStateProbes(compiled, "api", opts)).toThrow(SloError);
  });
});
