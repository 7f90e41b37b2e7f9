/**
 * The rules every namespace's baseline follows, in one place for the configuration schema, the construct that
 * builds the baseline and the stacks that place it: Pod Security Standards levels and labels, the ports of the
 * traffic every namespace may need (DNS, the mesh control plane, the Kubernetes API), and team RBAC names.
 */

/**
 * Pod Security Standards levels, strictest first. `restricted` is every namespace's default; a namespace gets a
 * weaker level only where its configuration names it with a reason.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const POD_SECURITY_LEVELS = ["restricted", "baseline", "privileged"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The levels a namespace may be relaxed to (each needs a reason in configuration). */
export const POD_SECURITY_EXCEPTIONS = ["baseline", "privileged"] as const satisfies readonly PodSecurityLevel[];

const PSS_PREFIX = "pod-security.kubernetes.io";

/**
 * Pod Security admission labels of a namespace. `enforce` is the namespace's level; `audit` and `warn` stay at
 * `restricted` everywhere, so a relaxed namespace still reports (audit log, `kubectl` warnings) every pod that
 * would fail the strict profile. Each mode's `-version` is pinned to the cluster's Kubernetes minor rather than
 * `latest`: with `latest`, a control-plane upgrade would change what is enforced with no diff in this code; pinned,
 * the profile moves in the same reviewed change that moves the cluster version.
 * @param version the cluster's Kubernetes minor, e.g. `1.34`
 */
export function podSecurityLabels(level: PodSecurityLevel, version: string): Readonly<Record<string, string>> {
  const v = `v${version}`;
  return {
    [`${PSS_PREFIX}/enforce`]: level,
    [`${PSS_PREFIX}/enforce-version`]: v,
    [`${PSS_PREFIX}/audit`]: "restricted",
    [`${PSS_PREFIX}/audit-version`]: v,
    [`${PSS_PREFIX}/warn`]: "restricted",
    [`${PSS_PREFIX}/warn-version`]: v,
  };
}

/** The label every namespace carries with its own name (set by the API server); policies select namespaces by it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** CoreDNS: the EKS add-on's pods in `kube-system`, which every pod resolves names through. */
export const CLUSTER_DNS = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" }, port: 53 } as const;

/** istiod's pod labels (the istiod chart's `app` label); its ports are `ISTIO_PORTS` in `lib/security/mesh.ts`. */
export const ISTIOD_POD_LABELS: Readonly<Record<string, string>> = { app: "istiod" };

/**
 * The Kubernetes API as pods reach it: the `kubernetes` Service's ClusterIP is DNATed (kube-proxy) to the EKS
 * control plane's cross-account ENIs before the VPC CNI's network policy agent evaluates egress, so a policy must
 * allow the ENIs' addresses on 443, not the ClusterIP. Those ENIs live in the cluster's control-plane subnets.
 */
export const KUBERNETES_API_PORT = 443;

/** Ports on nodes Prometheus scrapes: the kubelet (and cAdvisor) and node-exporter (host network). */
export const NODE_METRICS_PORTS = { kubelet: 10250, nodeExporter: 9100 } as const;

/** Protocols a NetworkPolicy port may name. */
export const NETWORK_PROTOCOLS = ["TCP", "UDP"] as const;
export type NetworkProtocol = (typeof NETWORK_PROTOCOLS)[number];

/** True for a TCP/UDP port number. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** What {@link isPort} allows, for messages. */
export const PORT_RULE = "a port number from 1 to 65535";

/**
 * The name of an allow, which names its NetworkPolicy (`allow-from-<name>`, `allow-to-<name>`): short enough that
 * the policy name stays a DNS label.
 */
export const ALLOW_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
export const ALLOW_NAME_RULE = "lowercase letters, digits and '-', at most 40 characters";

/** Namespaces the platform never manages a baseline for: Kubernetes' and EKS's own. */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "default"] as const;

/**
 * The ClusterRole team deployers are bound to in their namespaces (never cluster-wide): workloads, their
 * configuration and scaling, but no Secrets, no exec/attach/port-forward, no RBAC, no policies or quotas.
 */
export const WORKLOAD_DEPLOYER_CLUSTER_ROLE = "sre-platform:workload-deployer";

/**
 * The Kubernetes group a team's deploy roles carry through their EKS access entry; a RoleBinding in each of the
 * team's namespaces binds it to {@link WORKLOAD_DEPLOYER_CLUSTER_ROLE}. EKS refuses groups starting `system:`,
 * `eks:`, `amazon:`, `aws:` or `iam:`, which this prefix avoids.
 */
export function teamDeployGroup(team: string): string {
  return `sre-platform:team:${team}:deploy`;
}

/** Verbs that change objects; with the read verbs, what a deployer may do to the kinds it owns. */
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];
const READ = ["get", "list", "watch"];

/** One RBAC rule of {@link WORKLOAD_DEPLOYER_RULES}. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What a team deployer may do in its namespaces. Not `AmazonEKSEditPolicy`: that grants `pods/exec`, `pods/attach`,
 * `pods/portforward` and read/write on Secrets, so anyone who may deploy could read every credential in the
 * namespace and get a shell in a running pod. Secrets reach workloads through external-secrets instead.
 * Deliberately absent: `secrets`, `pods/exec|attach|portforward|proxy`, `serviceaccounts/token`, anything in
 * `rbac.authorization.k8s.io`, `networkpolicies`, `resourcequotas`, `limitranges` and the namespace itself.
 */
export const WORKLOAD_DEPLOYER_RULES: readonly RbacRule[] = [
  { apiGroups: [""], resources: ["pods"], verbs: [...READ, "delete"] },
  { apiGroups: [""], resources: ["pods/log", "events", "endpoints"], verbs: READ },
  { apiGroups: [""], resources: ["services", "configmaps", "serviceaccounts", "persistentvolumeclaims"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale"], verbs: ["get", "update", "patch"] },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: [...READ, ...WRITE] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  // A team's alerting and SLO rules and the monitors that scrape its services live in its own namespace, where
  // Prometheus confines them (enforcedNamespaceLabel): its rules see only its namespace's series, and whatever its
  // monitors scrape is labelled with its namespace, after any relabeling of its own, so it cannot pass for a platform
  // target. Not in monitoring, where an edit role would read the platform's Secrets. Not Probes or ScrapeConfigs: a
  // Probe sends a prober to any URL, a ScrapeConfig scrapes any address, neither bound to the namespace's own pods.
  { apiGroups: ["monitoring.coreos.com"], resources: ["prometheusrules", "servicemonitors", "podmonitors"], verbs: [...READ, ...WRITE] },
];

