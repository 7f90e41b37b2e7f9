import type { KarpenterAmiFamily } from "../kubernetes/karpenter";

/**
 * The node AMI releases this platform has reviewed, per AMI family, newest first: what a Karpenter node pool's alias
 * (`al2023@<version>`) may name in configuration. Karpenter replaces every node of a pool whose alias resolves to a
 * different AMI (drift), so `latest` would start a fleet-wide rollout whenever AWS publishes an image, with no
 * reviewed diff and no way to tell staging's proven image from prod's next one. Raising a version is a reviewed diff
 * here: read the release's notes (kernel, containerd, runc, kubelet per Kubernetes minor), check that it ships AMIs
 * for every Kubernetes minor the platform supports, add it at the top, then move staging to it before prod.
 *
 * A family without a row here is not reviewed yet: configuration may pin any release of it, but not `latest`.
 * @see https://github.com/awslabs/amazon-eks-ami/releases (AL2023)
 */
export const REVIEWED_AMI_VERSIONS: Readonly<Partial<Record<KarpenterAmiFamily, readonly string[]>>> = {
  // v20260714: AL2023 standard AMIs for Kubernetes 1.30 to 1.36 (the platform supports 1.32 to 1.34).
  AL2023: ["v20260714"],
};

/** The newest reviewed release of a family, or undefined when the family has no reviewed row. */
export function newestReviewedAmiVersion(family: KarpenterAmiFamily): string | undefined {
  return REVIEWED_AMI_VERSIONS[family]?.[0];
}

/**
 * Why a node pool's AMI version is not acceptable in configuration, or undefined when it is: never `latest`, and for a
 * family with reviewed releases one of them.
 */
export function amiVersionProblem(family: KarpenterAmiFamily, version: string): string | undefined {
  const reviewed = REVIEWED_AMI_VERSIONS[family];
  const where = "lib/eks/ami-versions.ts";
  if (version === "latest") {
    return reviewed
      ? `a reviewed ${family} release (${reviewed.join(", ")}; ${where}): with latest Karpenter replaces every node when AWS publishes an AMI, without a reviewed diff`
      : `a pinned ${family} release: with latest Karpenter replaces every node when AWS publishes an AMI, without a reviewed diff`;
  }
  if (reviewed && !reviewed.includes(version)) {
    return `a reviewed ${family} release (${reviewed.join(", ")}; add a newer one to ${where} after reading its release notes)`;
  }
  return undefined;
}
