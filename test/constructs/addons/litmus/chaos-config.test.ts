/** `chaos.litmus` targets in the environments: the rules checked before anything is built, and what the synth makes of them. */
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../../../environments";
import { validateEnvironment } from "../../../../lib/config/validate-environment";
import type { EnvironmentConfig } from "../../../../lib/config/environment-schema";
import { addonConfigProblems } from "../../../../stacks/addon-config";
import { buildEnvironmentWithAddons } from "../../../../stacks/environment-stacks";
import { litmusAddon } from "../../../../constructs/addons/litmus/addon";
import type { EnvironmentChaos } from "../../../../constructs/addons/litmus/chaos-config";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { kubePrometheusStackAddon } from "../../../../constructs/addons/registry";

const byName = Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, e])) as Record<string, EnvironmentConfig>;
const copy = (name: string) => structuredClone(byName[name]!) as any;
const chaosOf = (config: EnvironmentConfig) => {
  const { addons } = buildEnvironmentWithAddons(Testing.app(), config);
  return { chaos: addons.contribution<EnvironmentChaos>(litmusAddon, "observability-resources"), kps: addons.find(kubePrometheusStackAddon) as KubePrometheusStack };
};

describe("chaos targets in the environments", () => {
  test("dev runs on demand only, staging on a schedule with node-drain opted in, prod none", () => {
    expect(byName.dev!.chaos.litmus.targets!.every((t) => t.schedule === undefined)).toBe(true);
    expect(byName.staging!.chaos.litmus.targets!.length).toBeGreaterThan(0);
    expect(byName.staging!.chaos.litmus.targets!.every((t) => t.schedule !== undefined)).toBe(true);
    expect(byName.staging!.chaos.litmus.nodeDrain?.optIn.reason.length).toBeGreaterThanOrEqual(20);
    expect(byName.prod!.chaos.litmus.targets ?? []).toEqual([]);
    expect(byName.prod!.chaos.litmus.nodeDrain).toBeUndefined();
  });

  test("staging's engines carry probes against the Prometheus the monitoring construct serves, one CronJob per schedule", () => {
    const { chaos, kps } = chaosOf(byName.staging!);
    expect(kps.prometheusUrl).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    const engines = Object.values(chaos!.experiments.engines).map((e) => e.manifest as any);
    expect(engines.map((e) => e.metadata.name).sort()).toEqual(byName.staging!.chaos.litmus.targets!.map((t) => t.name).sort());
    for (const e of engines) {
      const probes = e.spec.experiments.flatMap((x: any) => x.spec.probe);
      expect(probes.length).toBeGreaterThan(0);
      for (const p of probes) expect(p["promProbe/inputs"].endpoint).toBe(kps.prometheusUrl);
    }
    expect(Object.keys(chaos!.schedule!.cronJobs).sort()).toEqual(engines.map((e) => e.metadata.name).sort());
    expect(chaos!.experiments.nodeDrainRole).toBeDefined();
  });

  test("dev has engines but no scheduler and no node rights", () => {
    const { chaos } = chaosOf(byName.dev!);
    expect(Object.keys(chaos!.experiments.engines).length).toBeGreaterThan(0);
    expect(chaos!.schedule).toBeUndefined();
    expect(chaos!.experiments.nodeDrainRole).toBeUndefined();
  });

  test("a target opted out of SLO probes, with its reason, gets an engine without probes", () => {
    const dev = copy("dev");
    dev.chaos.litmus.targets[0].steadyState = { optOut: { reason: "a batch job with no request traffic and no SLO to judge it by" } };
    const { chaos } = chaosOf(dev);
    const engine = chaos!.experiments.engines[dev.chaos.litmus.targets[0].name]!.manifest as any;
    expect(engine.spec.experiments.every((x: any) => x.spec.probe === undefined)).toBe(true);
  });

  test("fails when a target's service has no SLO, naming the field and the services that have one", () => {
    const dev = copy("dev");
    dev.chaos.litmus.targets[0].steadyState = { service: "no-such-service" };
    expect(() => chaosOf(dev)).toThrow(/chaos\.litmus\.targets\[0\]\.steadyState\.service.*no-such-service.*checkout-api, payments-worker/s);
  });

  test("fails when a target's namespace is not a team's, naming the field", () => {
    const dev = copy("dev");
    dev.chaos.litmus.targets[0].namespace = "monitoring";
    expect(addonConfigProblems(dev)).toContainEqual(expect.objectContaining({ path: "chaos.litmus.targets[0].namespace", value: "monitoring" }));
  });

  test("fails when a target runs node-drain without chaos.litmus.nodeDrain.optIn, naming the field", () => {
    const dev = copy("dev");
    dev.chaos.litmus.targets[0].experiments = { "node-drain": {} };
    expect(addonConfigProblems(dev)).toContainEqual(expect.objectContaining({ path: "chaos.litmus.targets[0].experiments.node-drain" }));
  });

  test.each([
    ["a bad schedule", (t: any) => (t.schedule = { cron: "every tuesday" }), "chaos.litmus.targets[0].schedule.cron"],
    ["no experiment", (t: any) => (t.experiments = {}), "chaos.litmus.targets[0].experiments"],
    ["an unknown experiment", (t: any) => (t.experiments = { "pod-explode": {} }), "chaos.litmus.targets[0].experiments.pod-explode"],
    ["a latency out of range", (t: any) => (t.experiments = { "pod-network-latency": { latencyMs: 0 } }), "chaos.litmus.targets[0].experiments.pod-network-latency.latencyMs"],
    ["a selector that is not key=value", (t: any) => (t.app.label = "checkout-api"), "chaos.litmus.targets[0].app.label"],
    ["neither a service nor an opt-out", (t: any) => (t.steadyState = {}), "chaos.litmus.targets[0].steadyState"],
    ["an opt-out without a real reason", (t: any) => (t.steadyState = { optOut: { reason: "none" } }), "chaos.litmus.targets[0].steadyState"],
  ])("fails on %s, naming the field", (_what, change, path) => {
    const dev = copy("dev");
    change(dev.chaos.litmus.targets[0]);
    const { problems } = validateEnvironment(dev);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${path.replace(/[.[\]]/g, "\\$&")}`))]));
  });

  test("fails on a budget floor of 1 or more, naming the field", () => {
    const staging = copy("staging");
    staging.chaos.litmus.steadyState.budgetFloor = 1;
    expect(validateEnvironment(staging).problems.map((p) => p.path)).toContain("chaos.litmus.steadyState.budgetFloor");
  });
});
