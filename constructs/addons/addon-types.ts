/** Shapes the add-ons share in their props; the charts take them as Kubernetes writes them. */

/** A pod toleration. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: "Exists" | "Equal";
  readonly value?: string;
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  readonly tolerationSeconds?: number;
}

/** CPU and memory of a container, in Kubernetes quantities. */
export interface ContainerResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
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

export const DEFAULT_SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { "eks.amazonaws.com/capacityType": "ON_DEMAND" };
export const DEFAULT_SYSTEM_TOLERATIONS: readonly Toleration[] = [{ key: "CriticalAddonsOnly", operator: "Exists" }];
