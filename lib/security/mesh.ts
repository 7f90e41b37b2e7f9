/**
 * The mesh's fixed facts, in one place for the config schema, the Istio add-on, its policies, the node security-group
 * rules and the monitors: the pinned Istio version, release names, the ports Istio listens on and how a workload's
 * mesh identity is spelt.
 */
import { ISTIO_INGRESS_NAMESPACE } from "./namespaces";

/** Istio release of every chart (`base`, `istiod`, `cni`, `gateway`) and of its images; one version for all four. */
export const ISTIO_VERSION = "1.30.3";

/** Helm repository of Istio's charts. */
export const ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";

/** Image registry of Istio's releases; the charts' own default points at a test registry with `latest`. */
export const ISTIO_IMAGE_HUB = "docker.io/istio";

/** Helm release names. The gateway's names its service account, its pods' `app` label and (without `istio-`) `istio`. */
export const ISTIO_RELEASES = {
  base: "istio-base",
  istiod: "istiod",
  cni: "istio-cni",
  gateway: "istio-ingressgateway",
} as const;

/** Kubernetes cluster domain, which is also the mesh's trust domain (Istio's default). */
export const MESH_TRUST_DOMAIN = "cluster.local";

/** Ports Istio listens on that other components or the network must reach. */
export const ISTIO_PORTS = {
  /** istiod's HTTPS webhooks (sidecar injection, config validation); its Service's 443 targets this port. */
  webhook: 15017,
  /** istiod's xDS and certificate signing over mTLS, dialled by every sidecar and gateway. */
  xds: 15012,
  /** istiod's own Prometheus metrics (plain HTTP, no sidecar in front). */
  istiodMetrics: 15014,
  /** The sidecar agent's merged Prometheus metrics (`/stats/prometheus`) and rewritten app probes (`/app-health/…`). */
  agent: 15020,
  /** The gateway's readiness endpoint (`/healthz/ready`), which load balancer health checks call. */
  gatewayStatus: 15021,
} as const;

/** Path of the merged metrics on {@link ISTIO_PORTS.agent}. */
export const ISTIO_MERGED_METRICS_PATH = "/stats/prometheus";

/** Ports the ingress gateway listens on (its Service maps 80 and 443 to them one to one). */
export const GATEWAY_LISTENER_PORTS = { http: 80, https: 443 } as const;

/**
 * Ports Istio reserves in every meshed pod (15000–15099: Envoy admin, agent, inbound/outbound capture, status); an
 * application port there would be swallowed by the proxy, so config may not name one.
 */
export function isIstioReservedPort(port: number): boolean {
  return port >= 15000 && port <= 15099;
}

/** A workload's mesh identity (SPIFFE path without the scheme) as AuthorizationPolicy `principals` spell it. */
export function meshPrincipal(namespace: string, serviceAccount: string): string {
  return `${MESH_TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The ingress gateway's identity: the gateway chart names its service account after the release. */
export const INGRESS_GATEWAY_PRINCIPAL = meshPrincipal(ISTIO_INGRESS_NAMESPACE, ISTIO_RELEASES.gateway);

/** Labels that select the ingress gateway's pods (the gateway chart's `istio` label: the release name without `istio-`). */
export const INGRESS_GATEWAY_SELECTOR: Readonly<Record<string, string>> = { istio: ISTIO_RELEASES.gateway.replace(/^istio-/, "") };

/**
 * In-cluster services without a sidecar that every meshed pod may call, by name → host. A mesh-wide `ISTIO_MUTUAL`
 * DestinationRule must not apply to them: the API server would see Istio's mTLS wrapped around the client's own TLS
 * and refuse it, and CoreDNS answers DNS over TCP in plain text.
 */
export const MESH_PLAINTEXT_HOSTS: Readonly<Record<string, string>> = {
  "kubernetes-api": `kubernetes.default.svc.${MESH_TRUST_DOMAIN}`,
  "kube-dns": `kube-dns.kube-system.svc.${MESH_TRUST_DOMAIN}`,
};
