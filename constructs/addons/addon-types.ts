/** Shapes the add-ons share in their props; the charts take them as Kubernetes writes them. */

/** A pod toleration (defined with the workload profile in lib, where the configuration schemas can use it too). */
export type { Toleration } from "../../lib/kubernetes/workload-profile";
export { DEFAULT_SYSTEM_NODE_LABELS, DEFAULT_SYSTEM_TOLERATIONS } from "../../lib/kubernetes/workload-profile";
import type { Toleration } from "../../lib/kubernetes/workload-profile";

/** CPU and memory of a container, in Kubernetes quantities. */
export interface ContainerResources {
  /** @default - none (the pod is BestEffort for what is not requested) */
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /** @default - none (the container may use what the node has free) */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Where a cluster-critical controller runs: the system (on-demand, managed) node group. */
export interface SystemNodePlacement {
  /**
   * Node labels the pods require. EKS managed node groups label every node with
   * `eks.amazonaws.com/capacityType`; nodes that Karpenter launches never carry that label, so this
   * keeps controllers off the capacity they manage.
   * @default { "eks.amazonaws.com/capacityType": "ON_DEMAND" }
   */
  readonly nodeLabels?: Record<string, string>;
  /**
   * Tolerations for the system node group's taint.
   * @default [{ key: "CriticalAddonsOnly", operator: "Exists" }]
   */
  readonly tolerations?: readonly Toleration[];
}
