import type { ContainerResources, Toleration } from "../addon-types";
import { hardenedContainerSecurityContext } from "../../../lib/kubernetes/security-context";
import { requiredNodeAffinity } from "../private/placement";
import { GATEWAY_LISTENER_PORTS, ISTIO_IMAGE_HUB, ISTIO_PORTS, ISTIO_VERSION } from "../../../lib/security/mesh";
import { ISTIO_SYSTEM_NAMESPACE } from "../../../lib/security/namespaces";

/**
 * Helm values of Istio's four charts, built from resolved sizes. Every key here exists in the pinned chart's
 * values.yaml (`base`, `istiod`, `cni`) or its values.schema.json (`gateway`); the tests hold them to that.
 */

/** A component that scales between `replicas` and `maxReplicas`. */
export interface IstioScaledSizes {
  readonly replicas: number;
  readonly maxReplicas: number;
  readonly resources: ContainerResources;
}

/** Everything the values depend on, resolved once by {@link IstioMesh}. */
export interface IstioSizes {
  readonly istiod: IstioScaledSizes;
  readonly gateway: IstioScaledSizes;
  readonly cni: { readonly resources: ContainerResources };
  readonly spreadAcrossZones: boolean;
  readonly internetFacingIngress: boolean;
  readonly systemNodeLabels: Readonly<Record<string, string>>;
  readonly systemTolerations: readonly Toleration[];
}

const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" } as const;
const ZONE_KEY = "topology.kubernetes.io/zone";

/** `DoNotSchedule` across zones: a second replica in the zone that just failed is no replica at all. */
function zoneSpread(enabled: boolean, replicas: number, matchLabels: Readonly<Record<string, string>>): object[] {
  if (!enabled || replicas < 2) return [];
  return [{ maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } }];
}

function placement(sizes: IstioSizes): { affinity: object; tolerations: Toleration[] } {
  const labels = sizes.systemNodeLabels;
  return {
    affinity: Object.keys(labels).length > 0 ? { nodeAffinity: requiredNodeAffinity(labels) } : {},
    tolerations: [...sizes.systemTolerations],
  };
}

/** `base`: the CRDs and the cluster-wide RBAC/validation objects; nothing to size. */
export function istioBaseValues(): Record<string, unknown> {
  return { defaultRevision: "default", global: { istioNamespace: ISTIO_SYSTEM_NAMESPACE } };
}

/** `istiod`: HA from the sizes, injection only where a namespace opts in, CNI instead of an init container. */
export function istiodValues(sizes: IstioSizes): Record<string, unknown> {
  const s = sizes.istiod;
  const autoscale = s.maxReplicas > s.replicas;
  return {
    autoscaleEnabled: autoscale,
    autoscaleMin: s.replicas,
    autoscaleMax: s.maxReplicas,
    replicaCount: s.replicas,
    resources: s.resources,
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    // Sidecars get their traffic redirection from the CNI node agent, so injected pods carry no NET_ADMIN/NET_RAW
    // init container and pass Pod Security `restricted`.
    cni: { enabled: true },
    topologySpreadConstraints: zoneSpread(sizes.spreadAcrossZones, s.replicas, { app: "istiod" }),
    ...placement(sizes),
    // The chart creates a PodDisruptionBudget (minAvailable 1) only for two or more replicas: one would block drains.
    pdb: { minAvailable: 1 },
    sidecarInjectorWebhook: {
      // A namespace joins the mesh only by the baseline's label, never by default.
      enableNamespacesByDefault: false,
      // Kubelet probes are rewritten to the sidecar agent (ISTIO_PORTS.agent), which Envoy does not intercept:
      // they need neither mTLS nor an AuthorizationPolicy.
      rewriteAppHTTPProbe: true,
    },
    meshConfig: {
      // App metrics (prometheus.io annotations) and Envoy's are served together on the agent port.
      enablePrometheusMerge: true,
      // The app starts only once its sidecar is ready, so its first outbound calls are not refused.
      defaultConfig: { holdApplicationUntilProxyStarts: true },
    },
    global: {
      hub: ISTIO_IMAGE_HUB,
      tag: ISTIO_VERSION,
      istioNamespace: ISTIO_SYSTEM_NAMESPACE,
      defaultPodDisruptionBudget: { enabled: true },
      logAsJson: true,
      proxy: {
        privileged: false,
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
      },
    },
  };
}

/** `cni`: the node agent on every node, chained after the VPC CNI, sidecar mode only. */
export function istioCniValues(sizes: IstioSizes): Record<string, unknown> {
  return {
    hub: ISTIO_IMAGE_HUB,
    tag: ISTIO_VERSION,
    resources: sizes.cni.resources,
    chained: true,
    cniBinDir: "/opt/cni/bin",
    cniConfDir: "/etc/cni/net.d",
    // Ambient needs more of the node (host network namespace sharing); this mesh does not use it.
    ambient: { enabled: false },
    // Repair pods that started before the agent was ready in place, without RBAC to label or delete any pod.
    repair: { enabled: true, repairPods: true, labelPods: false, deletePods: false },
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    excludeNamespaces: ["kube-system", ISTIO_SYSTEM_NAMESPACE],
    global: { hub: ISTIO_IMAGE_HUB, tag: ISTIO_VERSION, logAsJson: true },
  };
}

/**
 * Annotations of the gateway's Service for EKS's built-in service controller (the platform runs no AWS Load Balancer
 * Controller): a Network Load Balancer, internal unless the environment opts out.
 */
export function gatewayServiceAnnotations(internetFacing: boolean): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": internetFacing ? "false" : "true",
  };
}

/** `gateway`: the ingress gateway, hardened pod and container, HA with a disruption budget and zone spread. */
export function gatewayValues(sizes: IstioSizes, appLabel: string): Record<string, unknown> {
  const s = sizes.gateway;
  return {
    kind: "Deployment",
    replicaCount: s.replicas,
    autoscaling: { enabled: s.maxReplicas > s.replicas, minReplicas: s.replicas, maxReplicas: s.maxReplicas, targetCPUUtilizationPercentage: 80 },
    resources: s.resources,
    ...(s.replicas >= 2 ? { podDisruptionBudget: { minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" } } : {}),
    topologySpreadConstraints: zoneSpread(sizes.spreadAcrossZones, s.replicas, { app: appLabel }),
    ...placement(sizes),
    // Setting securityContext replaces the chart's default, so its one sysctl (bind 80/443 without root) is kept.
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: RUNTIME_DEFAULT_SECCOMP,
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
    },
    // The proxy's own user and group (1337), as Istio's injection templates set them.
    containerSecurityContext: hardenedContainerSecurityContext({ user: 1337, group: 1337 }),
    service: {
      type: "LoadBalancer",
      // Keep the client address for AuthorizationPolicy `remoteIpBlocks` and logs.
      externalTrafficPolicy: "Local",
      annotations: gatewayServiceAnnotations(sizes.internetFacingIngress),
      ports: [
        { name: "status-port", port: ISTIO_PORTS.gatewayStatus, protocol: "TCP", targetPort: ISTIO_PORTS.gatewayStatus },
        { name: "http2", port: GATEWAY_LISTENER_PORTS.http, protocol: "TCP", targetPort: GATEWAY_LISTENER_PORTS.http },
        { name: "https", port: GATEWAY_LISTENER_PORTS.https, protocol: "TCP", targetPort: GATEWAY_LISTENER_PORTS.https },
      ],
    },
  };
}
