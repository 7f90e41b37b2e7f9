/**
 * Teams ship PrometheusRules in their own namespaces, where Prometheus confines them to that namespace's series; the
 * platform's own rules and monitors (monitoring, the add-ons' namespaces) keep the cluster-wide view.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { MONITORING_SELECTOR_LABELS } from "../../lib/observability/monitoring-selection";
import { ADMISSION_POLICY_NAMES, type AdmissionPolicyDefinition } from "../../lib/security/admission/policies";
import { evaluatePolicy } from "../lib/security/admission/support/evaluate";

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

  test("a team's ServiceMonitors and PodMonitors are selected from its namespace and confined to it like its rules", () => {
    // Selected: every namespace the operator watches (team namespaces among them), by the release label.
    for (const kind of ["serviceMonitor", "podMonitor"]) {
      expect([kind, spec[`${kind}NamespaceSelector`], spec[`${kind}Selector`]]).toEqual([kind, {}, { matchLabels: MONITORING_SELECTOR_LABELS }]);
    }
    // Confined: prometheus-operator appends `namespace: <the monitor's namespace>` as the last target relabeling and
    // the last metric relabeling of every monitor outside excludedFromEnforcement, so neither a relabeling of the
    // team's own nor a scraped `namespace` label (honorLabels) can make a team's target pass for a platform one; the
    // platform's rules match on namespace (and job) and so never read a team's series.
    for (const ns of teamNamespaces) {
      const kinds = ((spec.excludedFromEnforcement ?? []) as Json[]).filter((r) => r.namespace === ns).map((r) => r.resource);
      expect([ns, kinds]).toEqual([ns, []]);
    }
    // Bounded: the ceilings hold for every monitor whatever it asks for; a target over them fails its scrape.
    expect([spec.enforcedSampleLimit, spec.enforcedLabelLimit, spec.enforcedBodySizeLimit]).toEqual([200000, 64, "64MB"]);
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
  test("may ship PrometheusRules, ServiceMonitors and PodMonitors in their own namespaces (the deployer ClusterRole bound there), no Probes or ScrapeConfigs", () => {
    const security = synthesizedStack(`${env}-security`);
    const role = Object.values<Json>(security.resource.kubernetes_cluster_role_v1).find((r) => (r.metadata[0] ?? r.metadata).name === "sre-platform:workload-deployer")!;
    const monitoringRules = (role.rule as Json[]).filter((r) => r.api_groups.includes("monitoring.coreos.com"));
    expect(monitoringRules.map((r) => [[...r.resources].sort(), [...r.verbs].sort()])).toEqual([
      [["podmonitors", "prometheusrules", "servicemonitors"], ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]],
    ]);
    // Bound by RoleBindings in team namespaces only: never cluster-wide, so never in monitoring.
    const clusterBindings = Object.values<Json>(security.resource.kubernetes_cluster_role_binding_v1 ?? {});
    expect(clusterBindings.filter((b) => (b.role_ref[0] ?? b.role_ref).name === "sre-platform:workload-deployer")).toEqual([]);
  });
});

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s team monitors' scope", (env, config) => {
  const manifests = Object.keys(synthesizedManifest().stacks)
    .filter((stack) => stack.startsWith(`${env}-`))
    .flatMap((stack) => Object.values<Json>(synthesizedStack(stack).resource?.kubernetes_manifest ?? {}).map((r) => r.manifest as Json));
  const policy = manifests.find((m) => m.kind === "ValidatingAdmissionPolicy" && m.metadata.name === ADMISSION_POLICY_NAMES.monitorScope)!;
  const binding = manifests.find((m) => m.kind === "ValidatingAdmissionPolicyBinding" && m.metadata.name === ADMISSION_POLICY_NAMES.monitorScope)!;
  const applied = (): AdmissionPolicyDefinition => ({ key: "monitorScope", name: policy.metadata.name, description: "", ...policy.spec, resourceRules: policy.spec.matchConstraints.resourceRules });
  const team = config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces))[0]!;
  const judge = (object: Json, namespace: string) => evaluatePolicy(applied(), { object, namespace }).allowed;

  test("applied and bound in the environment's mode, with no namespace left out", () => {
    expect(binding.spec.validationActions).toEqual(config.security.admission.mode === "enforce" ? ["Deny"] : ["Audit", "Warn"]);
    expect(binding.spec.matchResources).toBeUndefined();
  });

  test("every monitor the platform synthesizes is admitted where it lives", () => {
    const monitors = manifests.filter((m) => m.kind === "ServiceMonitor" || m.kind === "PodMonitor");
    expect(monitors.length).toBeGreaterThan(0);
    for (const m of monitors) expect([m.kind, m.metadata.namespace, m.metadata.name, judge(m, m.metadata.namespace)]).toEqual([m.kind, m.metadata.namespace, m.metadata.name, true]);
  });

  test("a team's monitor scraping other namespaces, or sending Prometheus's token, is refused in its namespace", () => {
    const sm = (spec: Json, endpoint: Json = {}) => ({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "x", namespace: team }, spec: { selector: {}, endpoints: [{ port: "http", ...endpoint }], ...spec } });
    expect([
      judge(sm({}), team),
      judge(sm({ namespaceSelector: { any: true } }), team),
      judge(sm({}, { bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }), team),
      judge({ apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: "x", namespace: team }, spec: { selector: {}, namespaceSelector: { matchNames: ["monitoring"] }, podMetricsEndpoints: [{ port: "m" }] } }, team),
    ]).toEqual([true, false, false, false]);
  });
});
