/** Shapes the add-ons share in their props; the charts take them as Kubernetes writes them. */

/** A pod toleration. */
export interface Toleration {
  /** Taint key to tolerate. @default - every key (only with operator `Exists`) */
  readonly key?: string;
  /** @default "Equal" */
  readonly operator?: "Exists" | "Equal";
  /** Taint value to match with operator `Equal`. @default "" */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  /** How long a `NoExecute` taint is tolerated before eviction. @default - forever */
  readonly tolerationSeconds?: number;
}

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

export const DEFAULT_SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { "eks.amazonaws.com/capacityType": "ON_DEMAND" };
export const DEFAULT_SYSTEM_TOLERATIONS: readonly Toleration[] = [{ key: "CriticalAddonsOnly", operator: "Exists" }];
