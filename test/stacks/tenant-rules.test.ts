/**
 * Teams ship PrometheusRules in their own namespaces, where Prometheus confines them to that namespace's series; the
 * platform's own rules and monitors (monitoring, the add-ons' namespaces) keep the cluster-wide view.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s rules by namespace", (env, config) => {
  const observability = synthesizedStack(`${env}-observability`);
  const values: Json = parse(Object.values<Json>(observability.resource.helm_release).find((r) => r.chart === "kube-prometheus-stack")!.values[0]);
  const spec = values.prometheus.prometheusSpec;
  const teamNamespaces = config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
  const excluded = new Set<string>(((spec.excludedFromEnforcement ?? []) as Json[]).map((r) => r.namespace));

  test("a team namespace's rules see only that namespace's series (enforcedNamespaceLabel: namespace)", () => {
    expect(spec.enforcedNamespaceLabel).toBe("namespace");
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const ns of teamNamespaces) {
      expect(values.prometheusOperator.namespaces.additional).toContain(ns);
      expect(excluded.has(ns)).toBe(false);
    }
  });

  test("the platform's rules keep their cross-namespace view: monitoring (the SLO rules), cert-manager and istio-system", () => {
    for (const ns of ["monitoring", "cert-manager", "istio-system"]) {
      expect(((spec.excludedFromEnforcement ?? []) as Json[]).filter((r) => r.namespace === ns).map((r) => r.resource).sort()).toEqual(["podmonitors", "probes", "prometheusrules", "servicemonitors"]);
    }
    // Every watched namespace is either a team's (enforced) or the platform's (excluded): none is left in between.
    const watched = ["monitoring", ...values.prometheusOperator.namespaces.additional];
    expect(watched.filter((ns) => !excluded.has(ns)).sort()).toEqual([...teamNamespaces].sort());
  });
});

describe.each(ENVIRONMENTS.map((c) => [c.name] as const))("%s team deployers", (env) => {
  test("may ship PrometheusRules in their own namespaces (the deployer ClusterRole bound there), nothing else of monitoring.coreos.com", () => {
    const security = synthesizedStack(`${env}-security`);
    const role = Object.values<Json>(security.resource.kubernetes_cluster_role_v1).find((r) => (r.metadata[0] ?? r.metadata).name === "sre-platform:workload-deployer")!;
    const monitoringRules = (role.rule as Json[]).filter((r) => r.api_groups.includes("monitoring.coreos.com"));
    expect(monitoringRules.map((r) => [r.resources, [...r.verbs].sort()])).toEqual([[["prometheusrules"], ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]]]);
  });
});
