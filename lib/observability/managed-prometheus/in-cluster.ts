/**
 * No double pages. With Amazon Managed Prometheus on, the workspace evaluates the SLO rules (their P1/P2 burn-rate
 * alerts, the services' P0s and the P0 escalation) and pages through its alert manager. The in-cluster Prometheus
 * keeps the same recording rules, for the dashboards Grafana draws from it, but not the alerting rules: an alert
 * evaluated in both places would page twice, once per alert manager. Every other in-cluster alert (capacity,
 * Watchdog, Falco, delivery, the platform's own) is unaffected: the workspace does not evaluate it.
 */
import { SLO_RULE_METADATA_LABELS, type PrometheusRuleObject } from "../../slo/emit";

/** A copy of the SLOs' PrometheusRule with its alerting rules removed, and the groups left empty by that. */
export function withoutAlertingRules(rule: PrometheusRuleObject): PrometheusRuleObject {
  const groups = rule.spec.groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.alert === undefined) }))
    .filter((g) => g.rules.length > 0);
  return { ...rule, spec: { groups } };
}

/** Whether a PrometheusRule object is the SLO compiler's (by the labels it sets on every object it emits). */
export function isSloPrometheusRule(rule: { readonly metadata?: { readonly labels?: Readonly<Record<string, string>> } }): boolean {
  const labels = rule.metadata?.labels ?? {};
  return Object.entries(SLO_RULE_METADATA_LABELS).every(([k, v]) => labels[k] === v);
}

/**
 * The copy of a PrometheusRule the cluster loads while the workspace evaluates the SLO rules: the SLO compiler's
 * without alerts ({@link withoutAlertingRules}); any other rule unchanged (the workspace does not evaluate it).
 */
export function inClusterPrometheusRule<T extends { readonly metadata?: { readonly labels?: Readonly<Record<string, string>> } }>(rule: T): T {
  return isSloPrometheusRule(rule) ? (withoutAlertingRules(rule as unknown as PrometheusRuleObject) as unknown as T) : rule;
}

/** The alert names of a rule object's groups (what pages from wherever it is evaluated). */
export function alertNames(groups: ReadonlyArray<{ readonly rules: ReadonlyArray<Record<string, unknown>> }>): string[] {
  return [...new Set(groups.flatMap((g) => g.rules.map((r) => r.alert).filter((a): a is string => typeof a === "string")))].sort();
}
