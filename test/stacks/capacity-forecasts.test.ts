/**
 * The P4 capacity forecasts ship in every environment: one PrometheusRule beside Prometheus, every alert P4 (the
 * weekly digest), with the environment's own horizons and threshold, and kube-state-metrics exporting the node
 * labels the pool alert joins on.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { DEFAULT_CAPACITY_THRESHOLDS } from "../../lib/observability/capacity-alerts";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;
const manifests = (tf: Json): Json[] => Object.values<Json>(tf.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s capacity forecasts", (env, config) => {
  const capacity = config.observability.capacity ?? DEFAULT_CAPACITY_THRESHOLDS;
  const rule = manifests(synthesizedStack(`${env}-observability-resources`)).find((m) => m.kind === "PrometheusRule" && m.metadata.name === "platform-capacity");
  const rules: Json[] = rule?.spec.groups.flatMap((g: Json) => g.rules) ?? [];
  const expr = (alert: string) => rules.find((r) => r.alert === alert)?.expr ?? "";

  test("one PrometheusRule in monitoring, every alert P4", () => {
    expect(rule?.metadata.namespace).toBe("monitoring");
    expect(rules.map((r) => [r.alert, r.labels.priority])).toEqual([
      ["PersistentVolumeFullSoon", "P4"], ["NodeFilesystemFullSoon", "P4"], ["PrometheusStorageFullSoon", "P4"], ["NodePoolRequestsHigh", "P4"], ["SLOErrorBudgetExhaustedBeforePeriodEnd", "P4"],
    ]);
  });

  test("the environment's horizons, trend window and pool threshold are the ones compiled", () => {
    expect(expr("PersistentVolumeFullSoon")).toContain(`[${capacity.trendWindow}], ${capacity.volumesFullWithinDays} * 86400)`);
    expect(expr("NodeFilesystemFullSoon")).toContain(`[${capacity.trendWindow}], ${capacity.filesystemsFullWithinDays} * 86400)`);
    expect(expr("PrometheusStorageFullSoon")).toContain(`[${capacity.trendWindow}], ${capacity.prometheusFullWithinDays} * 86400)`);
    expect(expr("NodePoolRequestsHigh").endsWith(`> ${capacity.poolRequestsPercent / 100}`)).toBe(true);
  });

  test("kube-state-metrics exports the pool labels on kube_node_labels", () => {
    const release = Object.values<Json>(synthesizedStack(`${env}-observability`).resource.helm_release).find((r) => r.chart === "kube-prometheus-stack")!;
    expect(parse(release.values[0])["kube-state-metrics"].metricLabelsAllowlist).toEqual(["nodes=[karpenter.sh/nodepool,sre-platform.io/node-role]"]);
  });
});
