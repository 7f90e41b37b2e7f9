import type { ContainerResources, Toleration } from "../addon-types";
import { ResolvedWorkloadProfile, resolveWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { ChartWorkloadKeys, workloadValues } from "../private/workload-values";
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
  readonly loadBalancerTags: Readonly<Record<string, string>>;
  readonly systemNodeLabels: Readonly<Record<string, string>>;
  readonly systemTolerations: readonly Toleration[];
}

const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" } as const;

/** The proxy's own user and group (1337), as Istio's injection templates set them. */
const PROXY_IDS = { user: 1337, group: 1337 } as const;

/** The workload profile of istiod or the gateway: its sizes, the mesh's zone spread and the system nodes. */
export function istioProfile(sizes: IstioSizes, s: IstioScaledSizes, runAs?: { user: number; group: number }): ResolvedWorkloadProfile {
  return resolveWorkloadProfile({
    replicas: s.replicas,
    maxReplicas: s.maxReplicas,
    resources: s.resources,
    spreadAcrossZones: sizes.spreadAcrossZones,
    placement: { nodeLabels: sizes.systemNodeLabels, tolerations: sizes.systemTolerations },
    runAs,
  });
}

/** Keys istiod and the gateway share. */
const SCALED_KEYS = { replicas: ["replicaCount"], resources: ["resources"], affinity: { path: ["affinity"] }, tolerations: ["tolerations"] } as const satisfies ChartWorkloadKeys;

/** `base`: the CRDs and the cluster-wide RBAC/validation objects; nothing to size. */
export function istioBaseValues(): Record<string, unknown> {
  return { defaultRevision: "default", global: { istioNamespace: ISTIO_SYSTEM_NAMESPACE } };
}

/** `istiod`: HA from the sizes, injection only where a namespace opts in, CNI instead of an init container. */
export function istiodValues(sizes: IstioSizes): Record<string, unknown> {
  const profile = istioProfile(sizes, sizes.istiod);
  return {
    autoscaleEnabled: profile.autoscaling,
    autoscaleMin: profile.replicas,
    autoscaleMax: profile.maxReplicas,
    ...workloadValues(profile, {
      ...SCALED_KEYS,
      topologySpreadConstraints: { path: ["topologySpreadConstraints"], matchLabels: { app: "istiod" } },
      // The chart creates its PodDisruptionBudget only for two or more replicas (one would block drains).
      podDisruptionBudget: { path: ["pdb"], render: (b) => ({ minAvailable: b?.minAvailable ?? 1 }) },
    }),
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    // Sidecars get their traffic redirection from the CNI node agent, so injected pods carry no NET_ADMIN/NET_RAW
    // init container and pass Pod Security `restricted`.
    cni: { enabled: true },
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
      // Kubernetes Ingress objects do not program the shared gateway: a team's Ingress would otherwise publish its
      // hosts on the platform's gateway (istiod watches the `istio` ingress class by default). Exposure is
      // security.mesh.expose, reviewed in configuration.
      ingressControllerMode: "OFF",
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
    // The node agent runs on every node: resources only (the chart's default has no CPU limit).
    ...workloadValues(resolveWorkloadProfile({ resources: sizes.cni.resources }), { resources: ["resources"] }),
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
export function gatewayServiceAnnotations(internetFacing: boolean, loadBalancerTags: Readonly<Record<string, string>> = {}): Record<string, string> {
  const tags = Object.keys(loadBalancerTags).sort().map((k) => `${k}=${loadBalancerTags[k]}`);
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": internetFacing ? "false" : "true",
    ...(tags.length > 0 ? { "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags": tags.join(",") } : {}),
  };
}

/** `gateway`: the ingress gateway, hardened pod and container, HA with a disruption budget and zone spread. */
export function gatewayValues(sizes: IstioSizes, appLabel: string): Record<string, unknown> {
  const profile = istioProfile(sizes, sizes.gateway, PROXY_IDS);
  return {
    kind: "Deployment",
    autoscaling: { enabled: profile.autoscaling, minReplicas: profile.replicas, maxReplicas: profile.maxReplicas, targetCPUUtilizationPercentage: 80 },
    ...workloadValues(profile, {
      ...SCALED_KEYS,
      // The chart keeps its defaults (a 2000m CPU limit among them) under `_internal_defaults_do_not_set` and merges the
      // values over them in its templates, where a `null` is copied, not removed: Helm's own merge removes it there.
      chartCpuLimit: ["_internal_defaults_do_not_set", "resources", "limits", "cpu"],
      podDisruptionBudget: { path: ["podDisruptionBudget"], render: (b) => (b ? { minAvailable: b.minAvailable, unhealthyPodEvictionPolicy: "AlwaysAllow" } : undefined) },
      topologySpreadConstraints: { path: ["topologySpreadConstraints"], matchLabels: { app: appLabel } },
      // Setting securityContext replaces the chart's default, so its one sysctl (bind 80/443 without root) is kept.
      podSecurityContext: { path: ["securityContext"], extra: { sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] } },
      // The proxy's own user and group (1337), as Istio's injection templates set them.
      containerSecurityContext: { path: ["containerSecurityContext"] },
    }),
    service: {
      type: "LoadBalancer",
      // Keep the client address for AuthorizationPolicy `remoteIpBlocks` and logs.
      externalTrafficPolicy: "Local",
      annotations: gatewayServiceAnnotations(sizes.internetFacingIngress, sizes.loadBalancerTags),
      ports: [
        { name: "status-port", port: ISTIO_PORTS.gatewayStatus, protocol: "TCP", targetPort: ISTIO_PORTS.gatewayStatus },
        { name: "http2", port: GATEWAY_LISTENER_PORTS.http, protocol: "TCP", targetPort: GATEWAY_LISTENER_PORTS.http },
        { name: "https", port: GATEWAY_LISTENER_PORTS.https, protocol: "TCP", targetPort: GATEWAY_LISTENER_PORTS.https },
      ],
    },
  };
}
