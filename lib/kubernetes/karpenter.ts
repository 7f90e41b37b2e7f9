/**
 * Karpenter's vocabulary, shared by the environment schema and the NodePool construct (one home per rule).
 * @see https://karpenter.sh/docs/concepts/nodepools/
 */

export const KARPENTER_AMI_FAMILIES = ["AL2023", "Bottlerocket"] as const;
export type KarpenterAmiFamily = (typeof KARPENTER_AMI_FAMILIES)[number];

export const KARPENTER_CAPACITY_TYPES = ["spot", "on-demand"] as const;
export type KarpenterCapacityType = (typeof KARPENTER_CAPACITY_TYPES)[number];

export const KARPENTER_ARCHITECTURES = ["amd64", "arm64"] as const;
export type KarpenterArchitecture = (typeof KARPENTER_ARCHITECTURES)[number];

export const KARPENTER_CONSOLIDATION_POLICIES = ["WhenEmptyOrUnderutilized", "WhenEmpty"] as const;
export type KarpenterConsolidationPolicy = (typeof KARPENTER_CONSOLIDATION_POLICIES)[number];

/** An EC2 instance family: `m7i`, `c6gn`, `r7iz`, `x2iedn`. */
export const INSTANCE_FAMILY = /^[a-z][a-z0-9-]*\d[a-z0-9-]*$/;

/** Go duration as the NodePool CRD takes it (`30s`, `1m`, `720h`, `1h30m`). */
const DURATION = /^(\d+(s|m|h))+$/;

/** Why a `consolidateAfter`/`expireAfter` value is refused, or undefined when it is fine. */
export function karpenterDurationProblem(value: string): string | undefined {
  if (value === "Never" || DURATION.test(value)) return undefined;
  return "a duration such as 30s, 10m or 720h, or Never";
}

/** Why a budget's `nodes` is refused: a count or a percentage from 0% to 100%. */
export function karpenterBudgetNodesProblem(value: string): string | undefined {
  const percent = /^(\d{1,3})%$/.exec(value);
  if (percent ? Number(percent[1]) <= 100 : /^\d+$/.test(value)) return undefined;
  return "a node count such as 1 or a percentage such as 10%";
}

/**
 * Karpenter refuses node labels in the domains it and Kubernetes own (`karpenter.sh/…`, `kubernetes.io/…` apart
 * from the well-known ones), and the API server would strip them from a joining node anyway.
 */
export function restrictedNodeLabelProblem(key: string): string | undefined {
  const domain = key.includes("/") ? key.split("/")[0]! : "";
  const restricted = ["karpenter.sh", "karpenter.k8s.aws", "kubernetes.io", "k8s.io"];
  if (restricted.some((r) => domain === r || domain.endsWith(`.${r}`)) && !domain.startsWith("node-restriction.kubernetes.io")) {
    return "a label outside the karpenter.sh, karpenter.k8s.aws, kubernetes.io and k8s.io domains (Karpenter and the kubelet own those)";
  }
  return undefined;
}
