import { ValidationProblem } from "../../common/validation";
import { SystemNodePlacement, Toleration } from "../addon-types";
import { nodePlacementProblems, resolveNodePlacement } from "../../../lib/kubernetes/workload-profile";

/** One `matchExpressions` entry of a node selector term. */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  /** Required for `In` and `NotIn`, empty for `Exists` and `DoesNotExist`. @default [] */
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

/** Checks a {@link SystemNodePlacement}; paths start at `systemNodePlacement`. */
export function validateSystemNodePlacement(placement: SystemNodePlacement | undefined): ValidationProblem[] {
  return nodePlacementProblems("systemNodePlacement", placement);
}

/** The placement in use: the caller's, else the system node group defaults. */
export function resolvePlacement(placement: SystemNodePlacement | undefined): { nodeLabels: Readonly<Record<string, string>>; tolerations: Toleration[] } {
  return resolveNodePlacement(placement);
}
