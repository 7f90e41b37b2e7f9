/**
 * The platform's own alerting rules (certificates, runtime detection, …) in one model, and the PrometheusRule an
 * add-on ships them in: framework-free, so the rules are proved with promtool and the object is built in one place.
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { MONITORING_SELECTOR_LABELS } from "./monitoring-selection";

/** One alerting rule as Prometheus reads it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule group as Prometheus (and a PrometheusRule's `spec.groups`) reads it. */
export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/**
 * A `monitoring.coreos.com/v1` PrometheusRule holding alert groups, labelled for the platform's Prometheus
 * ({@link MONITORING_SELECTOR_LABELS}); the groups are copied, so the object owns its data.
 */
export function alertsPrometheusRule(name: string, namespace: string, groups: readonly AlertGroup[]): IPrometheusRule {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name, namespace, labels: { ...MONITORING_SELECTOR_LABELS } },
    spec: { groups: groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r, labels: { ...r.labels }, annotations: { ...r.annotations } })) })) },
  };
}
