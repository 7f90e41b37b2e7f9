/**
 * An environment's overrides of its specs' services (`slo.overrides`): merged over the spec's `serviceDown` for every
 * SLO of the service, refused for a service no spec defines (with the nearest one, naming where they are written), and
 * the same rules whether the synth or the CLI loads the specs.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { emitRulesYaml } from "../../../lib/slo/emit";
import { SloError } from "../../../lib/slo/model";
import { loadAndCompileSlos } from "../../../lib/slo/pipeline";
import { applyServiceOverrides, environmentServiceOverrides, serviceOverrideProblems, type ServiceOverrides } from "../../../lib/slo/service-overrides";
import { makeSlo } from "./support/factory";

const api = [makeSlo({ service: "checkout-api", name: "availability" }), makeSlo({ service: "checkout-api", name: "latency" })];
const worker = makeSlo({ service: "payments-worker", name: "processing" });
const at = (services: ServiceOverrides["services"], partial?: boolean): ServiceOverrides => ({ source: "environments/dev.ts", field: "slo.overrides", services, ...(partial !== undefined ? { partial } : {}) });

describe("applyServiceOverrides", () => {
  test("merges an override over the spec's service-down settings, for every SLO of the service and no other", () => {
    const specWorker = { ...worker, serviceDown: { disabled: false, for: "5m", trafficCanBeZero: true } };
    const { definitions, errors } = applyServiceOverrides([...api, specWorker], at({ "checkout-api": { serviceDown: { for: "10m" } }, "payments-worker": { serviceDown: { disabled: true } } }));
    expect(errors).toEqual([]);
    expect(definitions.slice(0, 2).map((d) => d.serviceDown)).toEqual([
      { disabled: false, for: "10m", trafficCanBeZero: false },
      { disabled: false, for: "10m", trafficCanBeZero: false },
    ]);
    // The spec's own settings stay where the override is silent.
    expect(definitions[2]!.serviceDown).toEqual({ disabled: true, for: "5m", trafficCanBeZero: true });
  });

  test("without overrides the definitions are the specs'", () => {
    expect(applyServiceOverrides(api, undefined).definitions).toEqual(api);
    expect(environmentServiceOverrides({}, "environments/dev.ts")).toBeUndefined();
  });

  test("fails on a service no spec defines, naming the file and field, with the nearest service", () => {
    const { errors } = applyServiceOverrides([...api, worker], at({ "chekout-api": { serviceDown: { disabled: true } } }));
    expect(errors).toEqual([
      {
        file: "environments/dev.ts",
        field: "slo.overrides.chekout-api",
        stage: "load",
        message: 'unknown service "chekout-api" (did you mean "checkout-api"?): no SLO spec of this environment defines it; the specs\' services: checkout-api, payments-worker',
      },
    ]);
  });

  test("given a part of the environment's specs, skips overrides of services not given, but still refuses a typo", () => {
    expect(applyServiceOverrides(api, at({ "payments-worker": { serviceDown: { disabled: true } } }, true)).errors).toEqual([]);
    expect(applyServiceOverrides(api, at({ "checkout-apu": { serviceDown: { disabled: true } } }, true)).errors.map((e) => e.field)).toEqual(["slo.overrides.checkout-apu"]);
    expect(applyServiceOverrides(api, at({ "payments-worker": { serviceDown: { disabled: true } } })).errors.map((e) => e.field)).toEqual(["slo.overrides.payments-worker"]);
  });

  test.each([
    ["for is not a duration", { "checkout-api": { serviceDown: { for: "10 minutes" } } }, "slo.overrides.checkout-api.serviceDown.for"],
    ["for is zero", { "checkout-api": { serviceDown: { for: "0s" } } }, "slo.overrides.checkout-api.serviceDown.for"],
    ["nothing is overridden", { "checkout-api": {} }, "slo.overrides.checkout-api"],
  ])("fails when %s", (_what, services, field) => {
    expect(serviceOverrideProblems(services).map((p) => p.path)).toEqual([field]);
    expect(applyServiceOverrides(api, at(services)).errors.map((e) => e.field)).toEqual([field]);
  });
});

describe("overrides where the specs are loaded", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "service-overrides-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const spec = path.join(dir, "checkout-api.yaml");
  fs.writeFileSync(
    spec,
    [
      "version: sre-platform/v1",
      "service: checkout-api",
      "serviceDown:",
      "  for: 3m",
      "slos:",
      "  - name: availability",
      "    objective: 99.9",
      "    sli:",
      "      events:",
      '        errorQuery: sum(rate(http_requests_total{namespace="payments",job="checkout-api",code=~"5.."}[{{.window}}]))',
      '        totalQuery: sum(rate(http_requests_total{namespace="payments",job="checkout-api"}[{{.window}}]))',
      "    alerting:",
      "      name: CheckoutApiAvailability",
      "",
    ].join("\n"),
  );
  const downRule = (serviceOverrides?: ServiceOverrides) => {
    const { result } = loadAndCompileSlos([spec], serviceOverrides !== undefined ? { serviceOverrides } : {});
    const groups = (parse(emitRulesYaml(result)) as { groups: Array<{ name: string; rules: Array<{ alert?: string; for?: string }> }> }).groups;
    return groups.find((g) => g.name === "sre-service-checkout-api-down")?.rules[0];
  };

  test("the compiled P0 waits the environment's for, and is gone where the environment disables it", () => {
    expect(downRule()).toMatchObject({ alert: "CheckoutApiDown", for: "3m" });
    expect(downRule(at({ "checkout-api": { serviceDown: { for: "15m" } } }))).toMatchObject({ alert: "CheckoutApiDown", for: "15m" });
    expect(downRule(at({ "checkout-api": { serviceDown: { disabled: true } } }))).toBeUndefined();
  });

  test("an unknown service stops the load with one line naming the file and field", () => {
    let error: unknown;
    try {
      downRule(at({ "checkout-apl": { serviceDown: { disabled: true } } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SloError);
    expect((error as Error).message).toContain('environments/dev.ts: slo.overrides.checkout-apl: unknown service "checkout-apl" (did you mean "checkout-api"?)');
  });
});
