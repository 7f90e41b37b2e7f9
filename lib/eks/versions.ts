/**
 * Kubernetes versions this platform deploys, newest last: those in EKS standard support at the time of the pinned
 * provider that every pinned add-on supports. A version leaves this list when it leaves EKS standard support
 * (extended support costs six times as much per cluster hour) or when a pinned add-on drops it (Istio 1.30 needs
 * Kubernetes 1.32 or later, so 1.31 is gone), so configuration that names it fails at synth time.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * @see https://istio.io/latest/docs/releases/supported-releases/#support-status-of-istio-releases
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34"] as const;

/** Why a version is in {@link SUPPORTED_KUBERNETES_VERSIONS}, for error messages. */
export const KUBERNETES_VERSION_RULE = "in EKS standard support, and 1.32 or later for Istio 1.30";

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** Default version for new environments: the newest supported one. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.34";

export function isSupportedKubernetesVersion(v: string): v is KubernetesVersion {
  return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(v);
}
