import { SystemNodePlacement, DEFAULT_SYSTEM_NODE_LABELS, DEFAULT_SYSTEM_TOLERATIONS, Toleration } from "../addon-types";

/** One `matchExpressions` entry of a node selector term. */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: string[];
}

/**
 * A `nodeAffinity` requiring every label (one term, so all expressions must hold), plus any extra
 * expressions the chart's own default needs to keep (Helm replaces lists, it never merges them).
 */
export function requiredNodeAffinity(labels: Readonly<Record<string, string>>, extra: readonly NodeSelectorRequirement[] = []) {
  const matchExpressions: NodeSelectorRequirement[] = [
    ...extra,
    ...Object.entries(labels).map(([key, value]) => ({ key, operator: "In" as const, values: [value] })),
  ];
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } };
}

/** The keys that are not valid Kubernetes label keys (`[prefix/]name`). */
export function invalidLabelKeys(labels: Readonly<Record<string, string>>): string[] {
  const key = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
  return Object.keys(labels).filter((k) => !key.test(k));
}

/** The placement in use: the caller's, else the system node group defaults. */
export function resolvePlacement(placement: SystemNodePlacement | undefined): { nodeLabels: Readonly<Record<string, string>>; tolerations: Toleration[] } {
  return {
    nodeLabels: placement?.nodeLabels ?? DEFAULT_SYSTEM_NODE_LABELS,
    tolerations: [...(placement?.tolerations ?? DEFAULT_SYSTEM_TOLERATIONS)],
  };
}
