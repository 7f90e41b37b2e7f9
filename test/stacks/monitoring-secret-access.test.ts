/**
 * What the monitoring stack's service accounts can read, as each environment renders the kube-prometheus-stack values:
 * no component of it may read every Secret in the cluster, so one workload node running it does not yield them all.
 * Grafana's sidecar reads ConfigMaps in the release's namespace only (a Role, not a ClusterRole); kube-state-metrics
 * runs without its Secrets collector; the operator watches the namespaces that ship rules and monitors, not the cluster.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

const FIXTURES = path.resolve(__dirname, "../fixtures/helm-values");
const chartDefaults = (file: string): Json => parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as Json;

function resourcesOf(env: string, type: string): Json[] {
  return Object.keys(synthesizedManifest().stacks)
    .filter((s) => s.startsWith(`${env}-`))
    .flatMap((s) => Object.values<Json>(synthesizedStack(s).resource?.[type] ?? {}));
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s monitoring stack's access to Secrets", (name, env) => {
  const release = resourcesOf(name, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
  const values = parse(release.values[0]) as Json;

  test("Grafana has a namespaced Role, and its dashboard sidecar reads ConfigMaps only where the dashboards are", () => {
    expect(values.grafana.rbac.namespaced).toBe(true);
    const dashboards = resourcesOf(name, "kubernetes_config_map_v1").filter((c) => c.metadata.labels?.grafana_dashboard !== undefined);
    expect(dashboards.length).toBeGreaterThan(0);
    const where = [...new Set(dashboards.map((c) => c.metadata.namespace))];
    expect(where).toEqual([release.namespace]);
    expect(values.grafana.sidecar.dashboards.searchNamespace).toEqual(where);
    expect(values.grafana.sidecar.dashboards.resource).toBe("configmap");
    expect(JSON.stringify(values.grafana.sidecar)).not.toMatch(/"searchNamespace":"ALL"/);
  });

  test("kube-state-metrics runs every collector its chart defaults to except secrets", () => {
    const defaults: string[] = chartDefaults("kube-state-metrics-8.4.0.values.yaml").collectors;
    expect(defaults).toContain("secrets");
    expect(values["kube-state-metrics"].collectors).toEqual(defaults.filter((c) => c !== "secrets"));
  });

  test("the operator watches its own namespace, every namespace a rule or monitor is shipped to and the team namespaces, not the cluster", () => {
    const watched = values.prometheusOperator.namespaces;
    expect(watched.releaseNamespace).toBe(true);
    const namespaces = new Set<string>([release.namespace, ...watched.additional]);
    const shipped = resourcesOf(name, "kubernetes_manifest")
      .map((m) => m.manifest)
      .filter((m) => m.apiVersion === "monitoring.coreos.com/v1" && ["PrometheusRule", "ServiceMonitor", "PodMonitor", "Probe"].includes(m.kind));
    expect(shipped.length).toBeGreaterThan(0);
    for (const m of shipped) expect([m.kind, m.metadata.name, namespaces.has(m.metadata.namespace)]).toEqual([m.kind, m.metadata.name, true]);
    for (const team of env.security.namespaces.teams) for (const ns of Object.keys(team.namespaces)) expect([ns, namespaces.has(ns)]).toEqual([ns, true]);
    for (const system of ["kube-system", "default", "kube-public"]) expect(namespaces.has(system)).toBe(false);
    // The chart's own default is the whole cluster.
    expect(chartDefaults("kube-prometheus-stack-88.5.3.values.yaml").prometheusOperator.namespaces).toEqual({});
  });

  test("no receiver URL that can carry a credential is inline in the synthesized Alertmanager configuration: webhooks read theirs from the mounted Secret", () => {
    const config = values.alertmanager.config as Json;
    const mounted = `/etc/alertmanager/secrets/${values.alertmanager.alertmanagerSpec.secrets[0]}/`;
    const hooks = (config.receivers as Json[]).flatMap((r) => (r.webhook_configs ?? []) as Json[]);
    // staging and prod have a heartbeat (and prod the incident webhook); dev has neither.
    expect(hooks.length).toBe(name === "dev" ? 0 : name === "prod" ? 2 : 1);
    for (const hook of hooks) {
      expect(hook.url).toBeUndefined();
      expect(hook.url_file).toMatch(new RegExp(`^${mounted.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}[a-z-]+$`));
    }
    // What URLs remain inline: public endpoints only, with no user, password, query or token in them.
    const urls = JSON.stringify(config).match(/https?:\/\/[^"\s]+/g) ?? [];
    for (const u of urls) {
      const url = new URL(u);
      expect([u, url.username, url.password, url.search]).toEqual([u, "", "", ""]);
      expect([u, url.hostname]).toEqual([u, "events.pagerduty.com"]);
    }
  });

  // The chart's operator ClusterRole has `*` on secrets and configmaps (templates/prometheus-operator/clusterrole.yaml
  // at 88.5.3), and only `global.rbac.create` turns it off.
  test("no ClusterRole bound to the operator grants Secrets cluster-wide: the chart's RBAC is off, the platform's confines Secrets to the release's namespace", () => {
    expect(chartDefaults("kube-prometheus-stack-88.5.3.values.yaml").global.rbac.create).toBe(true);
    expect(values.global.rbac.create).toBe(false);
    const operator = { kind: "ServiceAccount", name: `${release.name}-operator`, namespace: release.namespace };
    const boundTo = (b: Json) => (b.subject as Json[]).some((s) => s.kind === operator.kind && s.name === operator.name && s.namespace === operator.namespace);
    const clusterRoles = resourcesOf(name, "kubernetes_cluster_role_v1");
    const roleNamed = (ref: string) => clusterRoles.find((r) => r.metadata.name === ref) ?? resolvedRole(name, ref);
    const operatorClusterBindings = resourcesOf(name, "kubernetes_cluster_role_binding_v1").filter(boundTo);
    expect(operatorClusterBindings.length).toBeGreaterThan(0);
    for (const binding of operatorClusterBindings) {
      const role = roleNamed(binding.role_ref.name);
      expect(role).toBeDefined();
      for (const rule of role.rule as Json[]) {
        const core = (rule.api_groups ?? []).some((g: string) => g === "" || g === "*");
        const secrets = (rule.resources ?? []).some((r: string) => r === "secrets" || r === "*");
        expect([role.metadata.name, rule.resources, core && secrets]).toEqual([role.metadata.name, rule.resources, false]);
      }
    }
    // Its Secret rights are a Role in the release's namespace, and no RoleBinding elsewhere lends it any.
    const operatorRoleBindings = resourcesOf(name, "kubernetes_role_binding_v1").filter(boundTo);
    expect(operatorRoleBindings.map((b) => b.metadata.namespace)).toEqual([release.namespace]);
    expect(operatorRoleBindings.every((b) => b.role_ref.kind === "Role")).toBe(true);
    // Where the Secrets are: the operator's Prometheus and Alertmanager objects, in that namespace alone.
    for (const key of ["prometheusInstanceNamespaces", "alertmanagerInstanceNamespaces", "alertmanagerConfigNamespaces", "thanosRulerInstanceNamespaces"]) {
      expect([key, values.prometheusOperator[key]]).toEqual([key, [release.namespace]]);
    }
  });
});

/** A ClusterRole a binding names through a cdktf reference (`${kubernetes_cluster_role_v1.<id>.metadata[0].name}`). */
function resolvedRole(env: string, ref: string): Json {
  const id = /\$\{kubernetes_cluster_role_v1\.([^.]+)\.metadata\[0\]\.name\}/.exec(ref)?.[1];
  for (const s of Object.keys(synthesizedManifest().stacks).filter((x) => x.startsWith(`${env}-`))) {
    const found = synthesizedStack(s).resource?.kubernetes_cluster_role_v1?.[id ?? ""];
    if (found) return found as Json;
  }
  return undefined as unknown as Json;
}
