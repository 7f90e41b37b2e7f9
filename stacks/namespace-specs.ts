import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { AllowRuleConfig, NamespaceSettings } from "../lib/config/security/namespaces";
import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../lib/observability/monitoring-selection";
import { ISTIO_PORTS, teamDeployGroup } from "../lib/security/namespace-baseline";
import { FALCO_NAMESPACE } from "../lib/security/namespaces";
import type { ClusterAccessEntry } from "../constructs/cluster/cluster-access-entries";
import type { NamespaceBaselineSpec, NetworkAllow, NetworkPeer } from "../constructs/kubernetes/namespace-baseline/namespace-baseline-types";

/**
 * The subnets an environment's allows resolve to: the EKS control plane's ENIs (the Kubernetes API, and the source
 * of webhook calls) and the nodes (host-network pods, the kubelet). The Network construct's own plan, plain strings.
 */
export interface BaselineSubnets {
  readonly controlPlaneCidrs: readonly string[];
  readonly nodeCidrs: readonly string[];
}

/** The egress that lets Prometheus scrape every namespace's metrics ports (and the sidecars'), from configuration. */
export function prometheusScrapeAllow(config: EnvironmentConfig): NetworkAllow {
  const all = [...Object.values(config.security.namespaces.platform), ...config.security.namespaces.teams.flatMap((t) => Object.values(t.namespaces))];
  const ports = new Set(all.flatMap((s) => s.metricsPorts));
  if (all.some((s) => s.mesh === "sidecar")) [ISTIO_PORTS.mergedMetrics, ISTIO_PORTS.envoyMetrics].forEach((p) => ports.add(p));
  return { name: "prometheus-scrape", forPods: PROMETHEUS_POD_LABELS, peer: { namespace: "*" }, ports: [...ports].sort((a, b) => a - b).map((port) => ({ port })) };
}

/**
 * The baseline of one platform namespace, as configured: the monitoring namespace also gets Prometheus's scrapes, and
 * Falco's takes its Pod Security level and reason from `security.falco.podSecurity`.
 */
export function platformNamespaceSpec(config: EnvironmentConfig, name: string, subnets: BaselineSubnets): NamespaceBaselineSpec {
  const settings = config.security.namespaces.platform[name];
  // validateEnvironments() refused a configuration without every platform namespace.
  if (settings === undefined) throw new Error(`security.namespaces.platform.${name} is not configured`);
  const spec = namespaceSpec(name, settings, subnets);
  if (name === MONITORING_NAMESPACE) return { ...spec, egress: [...(spec.egress ?? []), prometheusScrapeAllow(config)] };
  // Falco's section says why its namespace is privileged (one home: validation refuses a second level here).
  if (name === FALCO_NAMESPACE) return { ...spec, podSecurity: config.security.falco.podSecurity };
  return spec;
}

/** Every team namespace's baseline, with its team's deploy group bound there. */
export function teamNamespaceSpecs(config: EnvironmentConfig, subnets: BaselineSubnets): NamespaceBaselineSpec[] {
  return config.security.namespaces.teams.flatMap((team) =>
    Object.entries(team.namespaces).map(([name, settings]) => ({
      ...namespaceSpec(name, settings, subnets),
      deployGroups: team.deployRoleArns.length > 0 ? [teamDeployGroup(team.name)] : [],
    })),
  );
}

/**
 * The teams' EKS access entries: viewers get `AmazonEKSViewPolicy` on the team's namespaces; deployers the same plus
 * the team's deploy group, which each team namespace binds to the workload-deployer ClusterRole.
 */
export function teamAccessEntries(config: EnvironmentConfig): ClusterAccessEntry[] {
  return config.security.namespaces.teams.flatMap((team) => {
    const namespaces = Object.keys(team.namespaces);
    return [
      ...team.viewRoleArns.map((principalArn) => ({ principalArn, accessPolicy: "view" as const, namespaces })),
      ...team.deployRoleArns.map((principalArn) => ({ principalArn, accessPolicy: "view" as const, namespaces, kubernetesGroups: [teamDeployGroup(team.name)] })),
    ];
  });
}

function namespaceSpec(name: string, s: NamespaceSettings, subnets: BaselineSubnets): NamespaceBaselineSpec {
  const allow = (rule: AllowRuleConfig): NetworkAllow => ({
    name: rule.name,
    forPods: rule.forPods,
    peer: peerOf(rule, subnets),
    ports: rule.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
  });
  return {
    name,
    podSecurity: s.podSecurity,
    mesh: s.mesh,
    metricsPorts: s.metricsPorts,
    ingress: s.ingress.map(allow),
    egress: s.egress.map(allow),
    quota: s.quota,
    containerDefaults: s.containerDefaults,
    optOut: s.optOut,
  };
}

function peerOf(rule: AllowRuleConfig, subnets: BaselineSubnets): NetworkPeer {
  if (rule.kubernetesApi) return { cidrs: subnets.controlPlaneCidrs };
  if (rule.nodes) return { cidrs: subnets.nodeCidrs };
  if (rule.cidr !== undefined) return { cidrs: [rule.cidr] };
  return { namespace: rule.anyNamespace ? "*" : rule.namespace, podLabels: rule.podLabels };
}
