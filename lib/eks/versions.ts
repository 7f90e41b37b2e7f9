/**
 * Kubernetes versions this platform deploys: those in EKS standard support at the time of the pinned
 * provider, newest last. A version leaves this list when it leaves EKS standard support (extended support
 * costs six times as much per cluster hour), so configuration that names it fails at synth time.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.31", "1.32", "1.33", "1.34"] as const;

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** Default version for new environments: the newest supported one. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.34";

export function isSupportedKubernetesVersion(v: string): v is KubernetesVersion {
  return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(v);
}
