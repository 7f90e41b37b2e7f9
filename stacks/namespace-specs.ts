import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { NamespaceSettings } from "../lib/config/security/namespaces";
import { ALERTMANAGER_POD_LABELS, MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../lib/observability/monitoring-selection";
import { smsTopicsOf } from "./observability-artifacts";
import { teamDeployGroup } from "../lib/security/namespace-baseline";
import { INGRESS_GATEWAY_SELECTOR, ISTIO_PORTS } from "../lib/security/mesh";
import { CERT_MANAGER_NAMESPACE, ISTIO_INGRESS_NAMESPACE } from "../lib/security/namespaces";
import { namespacesCreatedIn, podSecurityOwnedByAddons } from "../constructs/addons/registry";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import type { IClusterAccess } from "../constructs/cluster/cluster-access";
import type { EnvironmentStack } from "./environment-stack";
import type { ClusterAccessEntry } from "../constructs/cluster/cluster-access-entries";
import type { NamespaceBaselineSpec, NetworkAllow } from "../constructs/kubernetes/namespace-baseline/namespace-baseline-types";
import { OTEL_COLLECTOR_LABELS, OTEL_COLLECTOR_NAMESPACE } from "../constructs/addons/opentelemetry-collector/opentelemetry-collector";
import { tracingEnabled } from "../constructs/addons/tempo/addon";
import { COLLECTOR_PORTS } from "../lib/observability/tracing/collector-config";

/**
 * The subnets an environment's allows resolve to: the EKS control plane's ENIs (the Kubernetes API, and the source
 * of webhook calls), the nodes (host-network pods, the kubelet), the VPC (left out of the internet) and the interface
 * endpoints' subnets (none without endpoints). The Network construct's own plan, plain strings.
 */
export interface BaselineSubnets {
  readonly controlPlaneCidrs: readonly string[];
  readonly nodeCidrs: readonly string[];
  readonly vpcCidrs: readonly string[];
  readonly endpointCidrs: readonly string[];
}

/** The egress that lets Prometheus scrape every namespace's metrics ports (and the sidecars'), from configuration. */
export function prometheusScrapeAllow(config: EnvironmentConfig): NetworkAllow {
  const all = [...Object.values(config.security.namespaces.platform), ...config.security.namespaces.teams.flatMap((t) => Object.values(t.namespaces))];
  const ports = new Set(all.flatMap((s) => s.metricsPorts));
  if (all.some((s) => s.mesh === "sidecar")) ports.add(ISTIO_PORTS.agent);
  return { name: "prometheus-scrape", forPods: PROMETHEUS_POD_LABELS, peer: { namespace: "*" }, ports: [...ports].sort((a, b) => a - b).map((port) => ({ port })) };
}

/**
 * The baseline of one platform namespace, as configured: the monitoring namespace also gets Prometheus's scrapes;
 * a namespace whose add-on owns its Pod Security exception (Falco's, istio-system) takes the level and reason from
 * that add-on's section.
 */
export function platformNamespaceSpec(config: EnvironmentConfig, name: string): NamespaceBaselineSpec {
  const settings = config.security.namespaces.platform[name];
  // validateEnvironments() refused a configuration without every platform namespace.
  if (settings === undefined) throw new Error(`security.namespaces.platform.${name} is not configured`);
  // The platform's node agents (Falco, the mesh's CNI agent) run with system-node-critical.
  const spec: NamespaceBaselineSpec = { ...withTracingAllows(config, withIssuerAllows(config, withMeshAllows(config, namespaceSpec(name, settings)))), allowSystemPriorityClasses: true };
  if (name === MONITORING_NAMESPACE) return { ...spec, egress: [...(spec.egress ?? []), prometheusScrapeAllow(config), ...alertmanagerAwsAllows(config)] };
  // An add-on's own section says why its namespace needs more than restricted (Falco's, the mesh's CNI agent's): one
  // home, validation refuses a second level under security.namespaces.
  const podSecurity = podSecurityOwnedByAddons(config)[name];
  return podSecurity ? { ...spec, podSecurity } : spec;
}

/**
 * Where P0s page by SMS, the Alertmanager signs its SNS requests with IRSA credentials from STS: in an environment with
 * interface endpoints, private DNS answers with their addresses, inside the VPC the receivers' internet allow leaves
 * out. Nothing where nothing pages by SMS (the Alertmanager then has no AWS credentials to fetch).
 */
function alertmanagerAwsAllows(config: EnvironmentConfig): NetworkAllow[] {
  if (smsTopicsOf(config) === undefined) return [];
  return [{ name: "alertmanager-aws-endpoints", forPods: { ...ALERTMANAGER_POD_LABELS }, peer: { vpcEndpoints: true }, ports: [{ port: 443 }] }];
}

/** Every team namespace's baseline, with its team's deploy group bound there. */
export function teamNamespaceSpecs(config: EnvironmentConfig): NamespaceBaselineSpec[] {
  return config.security.namespaces.teams.flatMap((team) =>
    Object.entries(team.namespaces).map(([name, settings]) => withTracingAllows(config, withMeshAllows(config, {
      ...namespaceSpec(name, settings),
      deployGroups: team.deployRoleArns.length > 0 ? [teamDeployGroup(team.name)] : [],
    }))),
  );
}

/**
 * What cert-manager's issuer reaches outside the cluster, from `security.certManager.issuer`: ACME (the directory,
 * Route 53 and STS on 443, and the zones' authoritative name servers on 53 for the DNS-01 propagation check), AWS
 * Private CA (ACM PCA and STS on 443, from the issuer plugin), or nothing for a self-signed CA.
 */
function withIssuerAllows(config: EnvironmentConfig, spec: NamespaceBaselineSpec): NamespaceBaselineSpec {
  if (spec.name !== CERT_MANAGER_NAMESPACE) return spec;
  const internet = { internet: true } as const;
  const issuer = config.security.certManager.issuer;
  // STS (IRSA's AssumeRoleWithWebIdentity) answers at an interface endpoint where the VPC has one.
  const awsEndpoints = (forPods: Record<string, string>): NetworkAllow => ({ name: "aws-endpoints", forPods, peer: { vpcEndpoints: true }, ports: [{ port: 443 }] });
  const extra: NetworkAllow[] =
    issuer.type === "acme"
      ? [
          { name: "acme", forPods: CERT_MANAGER_CONTROLLER_PODS, peer: internet, ports: [{ port: 443 }] },
          { name: "dns01-propagation", forPods: CERT_MANAGER_CONTROLLER_PODS, peer: internet, ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] },
          awsEndpoints(CERT_MANAGER_CONTROLLER_PODS),
        ]
      : issuer.type === "awsPrivateCA"
        ? [{ name: "aws-private-ca", forPods: AWS_PRIVATECA_ISSUER_PODS, peer: internet, ports: [{ port: 443 }] }, awsEndpoints(AWS_PRIVATECA_ISSUER_PODS)]
        : [];
  return { ...spec, egress: [...(spec.egress ?? []), ...extra] };
}

/** The charts' own pod labels: cert-manager's controller and the AWS Private CA issuer plugin. */
const CERT_MANAGER_CONTROLLER_PODS = { "app.kubernetes.io/name": "cert-manager" };
const AWS_PRIVATECA_ISSUER_PODS = { "app.kubernetes.io/name": "aws-privateca-issuer" };

/**
 * The network side of the mesh's own configuration, so the two layers of policy agree from one list: the ingress
 * gateway may reach what `security.mesh.expose` names (and those pods admit it), and the API server may reach the
 * webhooks `security.mesh.webhooks` names.
 */
function withMeshAllows(config: EnvironmentConfig, spec: NamespaceBaselineSpec): NamespaceBaselineSpec {
  const m = config.security.mesh;
  const ingress: NetworkAllow[] = [...(spec.ingress ?? [])];
  const egress: NetworkAllow[] = [...(spec.egress ?? [])];
  const gateway = { namespace: ISTIO_INGRESS_NAMESPACE, podLabels: INGRESS_GATEWAY_SELECTOR };
  m.expose.forEach((e) => {
    const ports = e.ports.map((port) => ({ port }));
    if (spec.name === ISTIO_INGRESS_NAMESPACE) egress.push({ name: `expose-${e.namespace}`.slice(0, 40).replace(/-+$/, ""), forPods: INGRESS_GATEWAY_SELECTOR, peer: { namespace: e.namespace, podLabels: e.selector }, ports });
    if (spec.name === e.namespace) ingress.push({ name: "ingress-gateway", forPods: e.selector, peer: gateway, ports });
  });
  for (const w of m.webhooks) {
    if (spec.name === w.namespace) ingress.push({ name: `${w.name}-webhook`.slice(0, 40).replace(/-+$/, ""), forPods: w.selector, peer: { kubernetesApi: true }, ports: [{ port: w.port }] });
  }
  return { ...spec, ingress, egress };
}

/**
 * Where the environment traces (`observability.tracing.enabled`), the team namespaces send OTLP (gRPC and HTTP) to the
 * collector: an egress allow in each team namespace and, in the collector's namespace, an ingress allow from each team
 * namespace by name. Derived from `security.namespaces.teams`, so a new team can send traces without a second list, and
 * nothing else may.
 */
function withTracingAllows(config: EnvironmentConfig, spec: NamespaceBaselineSpec): NamespaceBaselineSpec {
  if (!tracingEnabled(config)) return spec;
  const ports = [{ port: COLLECTOR_PORTS.otlpGrpc }, { port: COLLECTOR_PORTS.otlpHttp }];
  const teamNamespaces = config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
  if (spec.name === OTEL_COLLECTOR_NAMESPACE) {
    const ingress = teamNamespaces.map((ns): NetworkAllow => ({ name: `otlp-${ns}`.slice(0, 40).replace(/-+$/, ""), forPods: OTEL_COLLECTOR_LABELS, peer: { namespace: ns }, ports }));
    return { ...spec, ingress: [...(spec.ingress ?? []), ...ingress] };
  }
  if (teamNamespaces.includes(spec.name)) {
    const egress: NetworkAllow = { name: "otlp", peer: { namespace: OTEL_COLLECTOR_NAMESPACE, podLabels: OTEL_COLLECTOR_LABELS }, ports };
    return { ...spec, egress: [...(spec.egress ?? []), egress] };
  }
  return spec;
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

/** The configured settings are the construct's spec: one model of an allow, resolved by the baseline from its subnets. */
function namespaceSpec(name: string, s: NamespaceSettings): NamespaceBaselineSpec {
  return {
    name,
    podSecurity: s.podSecurity,
    mesh: s.mesh,
    metricsPorts: s.metricsPorts,
    ingress: s.ingress,
    egress: s.egress,
    quota: s.quota,
    containerDefaults: s.containerDefaults,
    optOut: s.optOut,
  };
}

/**
 * The namespace baseline of one layer: the namespaces the registry's enabled add-ons need made in it (and `extra`, the
 * teams' in the security layer), on the environment's Kubernetes version and subnets.
 */
export function layerNamespaceBaseline(stack: EnvironmentStack, access: IClusterAccess, subnets: BaselineSubnets, extra: readonly NamespaceBaselineSpec[] = []): NamespaceBaseline {
  const config = stack.config;
  return new NamespaceBaseline(stack, "NamespaceBaseline", {
    access,
    kubernetesVersion: config.cluster.kubernetesVersion,
    subnets,
    namespaces: [...namespacesCreatedIn(config, stack.layer).map((name) => platformNamespaceSpec(config, name)), ...extra],
  });
}
