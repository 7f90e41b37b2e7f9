import { resolvePeer, type PeerSubnets } from "../../../lib/security/network-allow";
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1Spec } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { SYSTEM_PRIORITY_CLASSES } from "../../../lib/security/admission/policies";
import { constructKey } from "../../../lib/naming/construct-key";
import { meshNamespaceLabels, MeshMode } from "../../../lib/security/namespaces";
import { ISTIO_PORTS } from "../../../lib/security/mesh";
import { CLUSTER_DNS, podSecurityLabels, PodSecurityLevel, WORKLOAD_DEPLOYER_CLUSTER_ROLE } from "../../../lib/security/namespace-baseline";
import { allowSpec, defaultDenySpec } from "./private/network-policies";
import { ContainerDefaults, DEFAULT_CONTAINER_DEFAULTS, DEFAULT_NAMESPACE_QUOTA, EKS_GP2_STORAGE_CLASS, NamespaceBaselineSpec, NamespaceQuota, NetworkAllow, NetworkPeer, StorageClassQuota } from "./namespace-baseline-types";

/** What {@link BaselinedNamespace} needs besides its spec; {@link NamespaceBaseline} resolves it once for all. */
export interface BaselineContext {
  readonly provider: TerraformProvider;
  /** Pod Security `-version` (the cluster's minor). */
  readonly kubernetesVersion: string;
  /** The Prometheus pods that scrape metrics ports. */
  readonly prometheus: NetworkPeer;
  /** istiod's pods (xDS and CA). */
  readonly istiod: NetworkPeer;
  /** Where the symbolic peers (`kubernetesApi`, `nodes`, `internet`, `vpcEndpoints`) point. @default - no such peer (validation refuses one) */
  readonly subnets?: PeerSubnets;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One namespace and its baseline: Pod Security labels, the mesh label, `default-deny` (ingress and egress), the
 * built-in allows (`allow-dns`, `allow-prometheus-scrape`, `allow-istiod`), the configured allows
 * (`allow-from-<name>`, `allow-to-<name>`), a ResourceQuota and a LimitRange, and the deployer RoleBindings.
 * Every child's construct id is what it is (`Namespace`, `DefaultDeny`, `Ingress-<name>`), never a position.
 */
export class BaselinedNamespace extends Construct {
  public readonly name: string;
  public readonly namespace: NamespaceV1;
  public readonly podSecurityLevel: PodSecurityLevel;
  public readonly mesh: MeshMode;
  /** Every NetworkPolicy by its Kubernetes name. */
  public readonly networkPolicies: Readonly<Record<string, NetworkPolicyV1>>;
  public readonly quota?: ResourceQuotaV1;
  /** Zero pods with a system PriorityClass; absent where the spec allows them (`allowSystemPriorityClasses`). */
  public readonly systemPriorityQuota?: ResourceQuotaV1;
  public readonly limitRange?: LimitRangeV1;
  public readonly deployBindings: readonly RoleBindingV1[];

  constructor(scope: Construct, id: string, spec: NamespaceBaselineSpec, ctx: BaselineContext) {
    super(scope, id);
    this.name = spec.name;
    this.podSecurityLevel = spec.podSecurity?.level ?? "restricted";
    this.mesh = spec.mesh ?? "sidecar";
    const provider = ctx.provider;
    // The exception's reason travels with the namespace, for whoever reads it in the cluster.
    const annotations = spec.podSecurity ? { "sre-platform.io/pod-security-reason": spec.podSecurity.reason } : undefined;
    this.namespace = new NamespaceV1(this, "Namespace", {
      provider,
      metadata: {
        name: spec.name,
        labels: { ...ctx.labels, ...podSecurityLabels(this.podSecurityLevel, ctx.kubernetesVersion), ...meshNamespaceLabels(this.mesh) },
        annotations,
      },
    });
    const meta = (name: string) => ({ name, namespace: this.namespace.metadata.name, labels: { ...ctx.labels } });

    const policies: Record<string, NetworkPolicyV1> = {};
    const policy = (constructId: string, name: string, spec: NetworkPolicyV1Spec) => {
      policies[name] = new NetworkPolicyV1(this, constructId, { provider, metadata: meta(name), spec });
    };
    if (spec.optOut?.defaultDenyNetworkPolicies === undefined) policy("DefaultDeny", "default-deny", defaultDenySpec());
    const dns = { namespace: CLUSTER_DNS.namespace, podLabels: CLUSTER_DNS.podLabels };
    policy("AllowDns", "allow-dns", allowSpec("egress", { name: "dns", peer: dns, ports: [{ port: CLUSTER_DNS.port, protocol: "UDP" }, { port: CLUSTER_DNS.port, protocol: "TCP" }] }));
    const scrapePorts = [...(spec.metricsPorts ?? []), ...(this.mesh === "sidecar" ? [ISTIO_PORTS.agent] : [])];
    if (scrapePorts.length > 0) {
      const ports = [...new Set(scrapePorts)].map((port) => ({ port }));
      policy("AllowPrometheusScrape", "allow-prometheus-scrape", allowSpec("ingress", { name: "prometheus-scrape", peer: ctx.prometheus, ports }));
    }
    if (this.mesh === "sidecar") {
      policy("AllowIstiod", "allow-istiod", allowSpec("egress", { name: "istiod", peer: ctx.istiod, ports: [{ port: ISTIO_PORTS.xds }] }));
    }
    const extra = (direction: "ingress" | "egress", allow: NetworkAllow) => {
      const peer = resolvePeer(allow.peer, ctx.subnets);
      // A peer with no address (a VPC without interface endpoints) has nothing to open: no policy.
      if (peer === undefined) return;
      policy(`${direction === "ingress" ? "Ingress" : "Egress"}-${constructKey(allow.name)}`, `allow-${direction === "ingress" ? "from" : "to"}-${allow.name}`, allowSpec(direction, { ...allow, peer }));
    };
    for (const allow of spec.ingress ?? []) extra("ingress", allow);
    for (const allow of spec.egress ?? []) extra("egress", allow);
    this.networkPolicies = policies;

    if (spec.optOut?.resourceQuota === undefined) {
      this.quota = new ResourceQuotaV1(this, "Quota", { provider, metadata: meta("baseline"), spec: { hard: quotaHard(spec.quota ?? DEFAULT_NAMESPACE_QUOTA) } });
    }
    // Not under the resourceQuota opt-out: this quota sizes nothing, it keeps the namespace's pods from preempting the
    // platform's controllers.
    if (spec.allowSystemPriorityClasses !== true) {
      this.systemPriorityQuota = new ResourceQuotaV1(this, "SystemPriorityQuota", {
        provider,
        metadata: meta("system-priority"),
        spec: {
          hard: { pods: "0" },
          scopeSelector: { matchExpression: [{ scopeName: "PriorityClass", operator: "In", values: [...SYSTEM_PRIORITY_CLASSES] }] },
        },
      });
    }
    if (spec.optOut?.limitRange === undefined) {
      this.limitRange = new LimitRangeV1(this, "LimitRange", { provider, metadata: meta("baseline"), spec: { limit: [containerLimit(spec.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS)] } });
    }
    this.deployBindings = (spec.deployGroups ?? []).map(
      (group) =>
        new RoleBindingV1(this, `DeployBinding-${constructKey(group)}`, {
          provider,
          metadata: meta(`deployers-${group.replace(/[^a-z0-9-]+/g, "-")}`),
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: WORKLOAD_DEPLOYER_CLUSTER_ROLE },
          subject: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
        }),
    );
  }
}

function quotaHard(q: NamespaceQuota): Record<string, string> {
  return {
    "requests.cpu": q.requestsCpu,
    "requests.memory": q.requestsMemory,
    "limits.memory": q.limitsMemory,
    pods: String(q.pods),
    // Zero unless the spec names a number: the quota backs the admission policy on Service types with a limit no
    // one with only namespace rights can lift.
    "services.loadbalancers": String(q.servicesLoadBalancers ?? 0),
    "services.nodeports": String(q.servicesNodePorts ?? 0),
    // Zero unless the spec names an amount: volumes are billed until deleted and outlive the pods that made them.
    "requests.storage": q.requestsStorage ?? "0",
    persistentvolumeclaims: String(q.persistentVolumeClaims ?? 0),
    ...storageClassHard({ [EKS_GP2_STORAGE_CLASS]: { persistentVolumeClaims: 0 }, ...(q.storageClasses ?? {}) }),
  };
}

function storageClassHard(classes: Readonly<Record<string, StorageClassQuota>>): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const [name, c] of Object.entries(classes).sort(([a], [b]) => a.localeCompare(b))) {
    if (c.requestsStorage !== undefined) hard[`${name}.storageclass.storage.k8s.io/requests.storage`] = c.requestsStorage;
    if (c.persistentVolumeClaims !== undefined) hard[`${name}.storageclass.storage.k8s.io/persistentvolumeclaims`] = String(c.persistentVolumeClaims);
  }
  return hard;
}

function containerLimit(d: ContainerDefaults) {
  return { type: "Container", defaultRequest: { cpu: d.requestCpu, memory: d.requestMemory }, default: { memory: d.limitMemory } };
}
