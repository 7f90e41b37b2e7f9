/**
 * Runtime detection is monitored in every environment: Falco and falcosidekick scraped from the falco namespace, Falco's
 * metrics turned on in its chart, and the P1 alerts loaded next to them.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;
const manifests = (tf: Json): Json[] => Object.values<Json>(tf.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);

describe.each(ENVIRONMENTS.map((c) => [c.name] as const))("%s runtime detection monitoring", (env) => {
  const resources = synthesizedStack(`${env}-observability-resources`);
  const security = synthesizedStack(`${env}-security`);
  const falco = manifests(resources).filter((m) => m.metadata.namespace === "falco");

  test("Falco and falcosidekick are scraped, and Falco serves its metrics", () => {
    expect(falco.filter((m) => m.kind === "PodMonitor").map((m) => [m.metadata.name, m.spec.podMetricsEndpoints[0].portNumber])).toEqual([["falco", 8765], ["falcosidekick", 2801]]);
    const values = parse(Object.values<Json>(security.resource.helm_release).find((r) => r.chart === "falco")!.values[0]);
    expect([values.metrics.enabled, values.falco.webserver.prometheus_metrics_enabled]).toEqual([true, true]);
  });

  test("a node without Falco and undelivered detections page (P1)", () => {
    const rules = falco.filter((m) => m.kind === "PrometheusRule").flatMap((m) => m.spec.groups.flatMap((g: Json) => g.rules));
    expect(rules.map((r: Json) => [r.alert, r.labels.priority])).toEqual([["FalcoDaemonSetNotFullyAvailable", "P1"], ["FalcosidekickOutputErrors", "P1"]]);
  });
});
