import type { MeshMode } from "../../../lib/security/namespaces";
import type { PodSecurityLevel } from "../../../lib/security/namespace-baseline";

// One model of an allow for configuration and construct alike (lib/security/network-allow.ts).
export type { NetworkAllow, NetworkPeer, PolicyPort, PeerSubnets } from "../../../lib/security/network-allow";
import type { NetworkAllow } from "../../../lib/security/network-allow";

/** Total requests and limits a namespace may hold (ResourceQuota `hard`). */
export interface NamespaceQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsMemory: string;
  readonly pods: number;
  /**
   * `services.loadbalancers`: Services of type `LoadBalancer`. A load balancer is an entry into the cluster that
   * bypasses the mesh's ingress gateway, so a namespace gets none unless it says so (the gateway's namespace).
   * @default 0
   */
  readonly servicesLoadBalancers?: number;
  /**
   * `services.nodeports`: node ports, one per port of every `NodePort` Service and of every `LoadBalancer` Service
   * that allocates them (the default). A node port opens every node to the Service.
   * @default 0
   */
  readonly servicesNodePorts?: number;
  /**
   * `requests.storage`: the storage all the namespace's PersistentVolumeClaims may request together. Volumes are paid
   * for until deleted and outlive the pods, so a namespace gets none unless it says so.
   * @default "0"
   */
  readonly requestsStorage?: string;
  /**
   * `persistentvolumeclaims`: how many claims the namespace may hold (each an EBS volume, of which a node attaches a
   * limited number).
   * @default 0
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Limits per StorageClass, within the totals: `<class>.storageclass.storage.k8s.io/requests.storage` and
   * `/persistentvolumeclaims`. EKS's own `gp2` class (unencrypted on clusters created before EKS encrypted it, and not
   * the platform's default) is held at zero claims unless named here.
   * @default {} (only `gp2` held at zero)
   */
  readonly storageClasses?: Readonly<Record<string, StorageClassQuota>>;
}

/** What a namespace may claim from one StorageClass. */
export interface StorageClassQuota {
  /** @default - the namespace's total */
  readonly requestsStorage?: string;
  /** @default - the namespace's total */
  readonly persistentVolumeClaims?: number;
}

/** The StorageClass EKS creates on its own, which the platform's quotas keep namespaces off unless they name it. */
export const EKS_GP2_STORAGE_CLASS = "gp2";

/** LimitRange defaults for containers that set none: requests, and a memory limit (CPU is not throttled). */
export interface ContainerDefaults {
  readonly requestCpu: string;
  readonly requestMemory: string;
  readonly limitMemory: string;
}

/** A reason on record for turning one default off. */
export interface OptOutReason {
  readonly reason: string;
}

/** Named opt-outs of one namespace's defaults. */
export interface NamespaceOptOuts {
  /** Leaves out the `default-deny` policy; the allows stay. @default - the default-deny policy is created */
  readonly defaultDenyNetworkPolicies?: OptOutReason;
  /** @default - the ResourceQuota is created */
  readonly resourceQuota?: OptOutReason;
  /** @default - the LimitRange is created */
  readonly limitRange?: OptOutReason;
}

/** One namespace of a {@link NamespaceBaseline}. */
export interface NamespaceBaselineSpec {
  /** The namespace's name. */
  readonly name: string;
  /**
   * A Pod Security level weaker than `restricted`, and why.
   * @default - `restricted`
   */
  readonly podSecurity?: { readonly level: Exclude<PodSecurityLevel, "restricted">; readonly reason: string };
  /**
   * How the namespace's pods join the mesh; `sidecar` also allows egress to istiod and scrapes of the sidecars.
   * @default "sidecar"
   */
  readonly mesh?: MeshMode;
  /**
   * Ports of this namespace's pods Prometheus may scrape.
   * @default [] - none (the sidecar's metrics ports still are, in a `sidecar` namespace)
   */
  readonly metricsPorts?: readonly number[];
  /** @default [] */
  readonly ingress?: readonly NetworkAllow[];
  /** @default [] */
  readonly egress?: readonly NetworkAllow[];
  /** @default DEFAULT_NAMESPACE_QUOTA */
  readonly quota?: NamespaceQuota;
  /** @default DEFAULT_CONTAINER_DEFAULTS */
  readonly containerDefaults?: ContainerDefaults;
  /** @default - every default on */
  readonly optOut?: NamespaceOptOuts;
  /**
   * Kubernetes groups bound, in this namespace only, to the platform's workload-deployer ClusterRole (the
   * groups a team's deploy roles carry through their EKS access entries).
   * @default [] - no binding
   */
  readonly deployGroups?: readonly string[];
  /**
   * Pods here may take a system PriorityClass (`system-node-critical`, `system-cluster-critical`), which preempts
   * anything else on a node. Without it a ResourceQuota named `system-priority` allows zero such pods: since
   * Kubernetes 1.17 nothing else keeps these classes out of a namespace. Only the platform's own namespaces set it.
   * @default false
   */
  readonly allowSystemPriorityClasses?: boolean;
}

/** A small team namespace: what a namespace gets when its spec names no quota. */
export const DEFAULT_NAMESPACE_QUOTA: NamespaceQuota = { requestsCpu: "4", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: 50 };

/** What a container without requests or limits gets when the spec names no defaults. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = { requestCpu: "100m", requestMemory: "128Mi", limitMemory: "256Mi" };
