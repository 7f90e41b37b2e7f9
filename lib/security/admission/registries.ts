/**
 * Image registries: the rule a configured entry must follow, how an image is matched against an entry, and the
 * registries the platform's own charts pull from at their pinned versions (one home, so the environments' allow-lists
 * and the test that admits every platform image agree).
 */

/**
 * An allowed-registry entry: a registry host that contains a dot or a port (so it can never be read as a Docker Hub
 * shorthand), optionally followed by repository path segments, no trailing slash, no tag.
 */
export const IMAGE_REGISTRY = /^(?=[^/]*[.:])[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
export const IMAGE_REGISTRY_RULE = "a registry host with a dot or port, optionally with a repository path, e.g. quay.io/prometheus or 111111111111.dkr.ecr.eu-west-1.amazonaws.com (no scheme, tag or trailing slash)";

/**
 * True when `image` comes from `registry`: the image's name starts with the entry followed by `/`, so `quay.io/prom`
 * never admits `quay.io/prometheus/…`. Images without a registry host (`nginx:1.27`) match nothing: Docker Hub
 * shorthand hides where an image comes from. The admission policy's CEL does the same test.
 */
export function imageFromRegistry(image: string, registry: string): boolean {
  return image.startsWith(`${registry}/`);
}

/**
 * The image repositories the platform's own charts run at their pinned versions (chart values `registry` +
 * `repository`), by component. Karpenter and the EKS managed add-ons run in `kube-system`, whose exemption covers
 * the AWS-owned per-region registries of the managed add-ons.
 */
export const PLATFORM_IMAGES: Readonly<Record<string, readonly string[]>> = {
  karpenter: ["public.ecr.aws/karpenter/controller"],
  "cluster-autoscaler": ["registry.k8s.io/autoscaling/cluster-autoscaler"],
  "metrics-server": ["registry.k8s.io/metrics-server/metrics-server"],
  "external-secrets": ["ghcr.io/external-secrets/external-secrets"],
  "kube-prometheus-stack": [
    "quay.io/prometheus/prometheus",
    "quay.io/prometheus/alertmanager",
    "quay.io/prometheus/node-exporter",
    "quay.io/prometheus-operator/prometheus-operator",
    "quay.io/prometheus-operator/prometheus-config-reloader",
    "quay.io/prometheus-operator/admission-webhook",
    "ghcr.io/jkroepke/kube-webhook-certgen",
    "registry.k8s.io/kube-state-metrics/kube-state-metrics",
    "docker.io/grafana/grafana",
    "quay.io/kiwigrid/k8s-sidecar",
  ],
  // Istio's hub (`lib/security/mesh.ts`): istiod, the injected and gateway proxies, the CNI node agent.
  istio: ["docker.io/istio/pilot", "docker.io/istio/proxyv2", "docker.io/istio/install-cni"],
  "cert-manager": [
    "quay.io/jetstack/cert-manager-controller",
    "quay.io/jetstack/cert-manager-webhook",
    "quay.io/jetstack/cert-manager-cainjector",
    "quay.io/jetstack/cert-manager-startupapicheck",
    "public.ecr.aws/k1n1h4h4/cert-manager-aws-privateca-issuer",
  ],
  falco: ["docker.io/falcosecurity/falco", "docker.io/falcosecurity/falcoctl", "docker.io/falcosecurity/falcosidekick"],
};

/**
 * The narrowest entries that admit every {@link PLATFORM_IMAGES} repository: one organisation or project path per
 * upstream, never a whole public registry (anyone can publish under `docker.io/` or `ghcr.io/`).
 */
export const PLATFORM_IMAGE_REGISTRIES: readonly string[] = [
  "public.ecr.aws/karpenter",
  "registry.k8s.io/autoscaling",
  "registry.k8s.io/metrics-server",
  "registry.k8s.io/kube-state-metrics",
  "ghcr.io/external-secrets",
  "ghcr.io/jkroepke",
  "quay.io/prometheus",
  "quay.io/prometheus-operator",
  "quay.io/kiwigrid",
  "docker.io/grafana",
  "quay.io/jetstack",
  "public.ecr.aws/k1n1h4h4",
  "docker.io/istio",
  "docker.io/falcosecurity",
];
