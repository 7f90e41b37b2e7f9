import { ValidationProblem } from "../../common/validation";
import { SystemNodePlacement, DEFAULT_SYSTEM_NODE_LABELS, DEFAULT_SYSTEM_TOLERATIONS, Toleration } from "../addon-types";
import { isQualifiedName } from "../../../lib/kubernetes/names";

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
  const problems: ValidationProblem[] = [];
  const labels = placement?.nodeLabels;
  if (labels === undefined) return problems;
  if (Object.keys(labels).length === 0) {
    problems.push({ path: "systemNodePlacement.nodeLabels", value: labels, allowed: "at least one label, or leave it out for the default" });
  }
  for (const key of Object.keys(labels).filter((k) => !isQualifiedName(k))) {
    problems.push({ path: `systemNodePlacement.nodeLabels["${key}"]`, value: key, allowed: "a Kubernetes label key ([prefix/]name)" });
  }
  return problems;
}

/** The placement in use: the caller's, else the system node group defaults. */
export function resolvePlacement(placement: SystemNodePlacement | undefined): { nodeLabels: Readonly<Record<string, string>>; tolerations: Toleration[] } {
  return {
    nodeLabels: placement?.nodeLabels ?? DEFAULT_SYSTEM_NODE_LABELS,
    tolerations: [...(placement?.tolerations ?? DEFAULT_SYSTEM_TOLERATIONS)],
  };
}
