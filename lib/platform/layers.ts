/**
 * The layers of one environment, in deployment order; each is one Terraform state. Kubernetes custom resources
 * (`kubernetes_manifest`) need their CRDs at plan time, so each layer of Helm releases that install CRDs is followed
 * by a `-resources` layer for their custom resources: platform (Karpenter, external-secrets) → platform-resources
 * (NodePools, secret stores, ExternalSecrets) → security (Istio, Falco, cert-manager, namespace baseline, admission
 * policy) → security-resources (mesh policies, certificate issuers) → observability (kube-prometheus-stack, which needs
 * those Secrets) → observability-resources (PrometheusRules, ServiceMonitors, PodMonitors).
 *
 * Framework-free, so the add-on registry, the CLI and the configuration speak of layers by the same names.
 */
export const LAYERS = ["network", "cluster", "storage", "platform", "platform-resources", "security", "security-resources", "observability", "observability-resources"] as const;
export type Layer = (typeof LAYERS)[number];

/** The layers whose Helm releases may install CRDs; each is followed by its `-resources` layer. */
export const RELEASE_LAYERS = ["platform", "security", "observability"] as const;
export type ReleaseLayer = (typeof RELEASE_LAYERS)[number];

/** The layers that hold custom resources, after the release layer that installs their CRDs. */
export const RESOURCE_LAYERS = ["platform-resources", "security-resources", "observability-resources"] as const;
export type ResourceLayer = (typeof RESOURCE_LAYERS)[number];

/** Deployment position of a layer (0 = network). */
export function layerIndex(layer: Layer): number {
  return LAYERS.indexOf(layer);
}
