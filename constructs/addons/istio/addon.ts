import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE } from "../../../lib/security/namespaces";
import { ISTIO_IMAGE_HUB, ISTIO_RELEASES } from "../../../lib/security/mesh";
import { IstioMesh, ISTIO_DEFAULTS, validateIstioMeshProps, type IstioMeshProps } from "./istio-mesh";
import { MeshMonitors } from "./mesh-monitors";
import { MeshPolicies, type MeshNamespaceAllows } from "./mesh-policies";
import { COLLECTOR_LOCATION, collectorHost } from "../../../lib/observability/tracing/collector-config";

/**
 * The mesh (`security.mesh`): Istio in sidecar mode with the CNI node agent, istiod and an internal ingress gateway;
 * mesh-wide STRICT mTLS, allow-nothing authorization and ISTIO_MUTUAL in `security-resources`, and the sidecars'
 * and istiod's scrape objects in `observability-resources`.
 */
export const istioAddon: AddonDescriptor<IstioMesh> = {
  name: "istio",
  layer: "security",
  summary: "Istio sidecar mesh with the CNI agent: STRICT mTLS, default-deny authorization, internal ingress gateway",
  configPath: "security.mesh",
  namespaces: [
    {
      name: ISTIO_SYSTEM_NAMESPACE,
      // The CNI node agent's exception, with its reason, is the mesh section's (one home).
      podSecurity: { configPath: "security.mesh.cni.podSecurity", of: (config) => config.security.mesh.cni.podSecurity },
    },
    // Restricted, in the mesh: the gateway is an injected pod.
    { name: ISTIO_INGRESS_NAMESPACE },
  ],
  crds: ISTIO_DEFAULTS.base.crds,
  images: ["docker.io/istio/pilot", "docker.io/istio/proxyv2", "docker.io/istio/install-cni"],
  registries: ["docker.io/istio"],
  admission: {
    exemptNamespaces: [
      {
        namespace: ISTIO_SYSTEM_NAMESPACE,
        policies: ["privilegedContainers", "hostNamespaces", "probes"],
        reason:
          "the Istio CNI node agent sets up every meshed pod's traffic redirection from the node (root, host paths, network capabilities), and istiod's chart gives it a readiness probe but no liveness probe",
      },
    ],
    exemptWorkloads: [
      {
        namespace: ISTIO_SYSTEM_NAMESPACE,
        kind: "DaemonSet",
        name: "istio-cni-node",
        policies: ["hostPathVolumes"],
        reason: "the Istio CNI node agent installs its plugin binary and network configuration into the node's /opt/cni/bin and /etc/cni/net.d and enters pods' network namespaces under /var/run/netns",
      },
    ],
    probeExemptContainers: [
      {
        name: "istio-proxy",
        // Only the proxy image istiod injects: a team container named istio-proxy is probed like any other.
        images: [`${ISTIO_IMAGE_HUB}/proxyv2`],
        probes: ["livenessProbe"],
        reason: "the sidecar istiod injects into every meshed pod (and the ingress gateway) has a readiness probe and no liveness probe; its agent restarts Envoy itself",
      },
    ],
  },
  workloads: [
    {
      kind: "Deployment", name: ISTIO_RELEASES.istiod, namespace: ISTIO_SYSTEM_NAMESPACE, release: "Istiod",
      podSecurityContext: { setBy: "the istiod chart's deployment template, fixed (no value sets it)" },
      containers: [{ name: "discovery", image: "docker.io/istio/pilot:1.30.3", securityContext: { setBy: "the istiod chart's template: non-root 1337, read-only, no escalation, ALL dropped" }, resources: ["resources"] }],
    },
    {
      kind: "DaemonSet", name: "istio-cni-node", namespace: ISTIO_SYSTEM_NAMESPACE, release: "Cni",
      podSecurityContext: { setBy: "the cni chart's template: the node agent runs as root on the host (its namespace's exemption says why)" },
      containers: [{ name: "install-cni", image: "docker.io/istio/install-cni:1.30.3", securityContext: { setBy: "the cni chart's template: privileged network setup on the node, exempt by namespace with its reason" }, resources: ["resources"] }],
    },
    {
      kind: "Deployment", name: ISTIO_RELEASES.gateway, namespace: ISTIO_INGRESS_NAMESPACE, release: "Gateway", podSecurityContext: ["securityContext"],
      containers: [{ name: "istio-proxy", image: "docker.io/istio/proxyv2:1.30.3", securityContext: ["containerSecurityContext"], resources: ["resources"] }],
    },
  ],
  enabled: () => true,
  // The section's sizes are the construct's props, checked by its validator at the section's path.
  validate: (config) => atConfigPath("security.mesh", validateIstioMeshProps(istioMeshProps(config))),
  build: (ctx) =>
    new IstioMesh(ctx.scope, "IstioMesh", {
      ...istioMeshProps(ctx.config),
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made istio-system (privileged for the CNI node agent) and istio-ingress (restricted, in the mesh).
      createNamespaces: false,
      dependsOn: [ctx.namespace(ISTIO_SYSTEM_NAMESPACE), ctx.namespace(ISTIO_INGRESS_NAMESPACE)],
      systemNodePlacement: ctx.placement,
    }),
  resources: [
    {
      layer: "security-resources",
      build: (ctx, mesh) => {
        const m = ctx.config.security.mesh;
        return new MeshPolicies(ctx.scope, "MeshPolicies", {
          installedBy: mesh.base,
          access: ctx.access,
          expose: m.expose,
          webhooks: m.webhooks,
          namespaceAllows: sidecarNamespaceAllows(ctx.config),
          // The teams' sidecars send OTLP to the collector, which has none: plaintext, admitted by its NetworkPolicies.
          plaintextHosts: ctx.config.observability.tracing?.enabled ? { [COLLECTOR_LOCATION.service]: collectorHost() } : {},
          optOut: {
            permissiveMtls: m.optOut.permissiveMtls !== undefined,
            defaultDenyAuthorization: m.optOut.defaultDenyAuthorization !== undefined,
            istioMutualDestinationRule: m.optOut.istioMutualDestinationRule !== undefined,
          },
        });
      },
    },
    {
      layer: "observability-resources",
      build: (ctx) =>
        new MeshMonitors(ctx.scope, "MeshMonitors", {
          installedBy: ctx.require(kubePrometheusStackAddon),
          access: ctx.access,
          interval: ctx.config.observability.prometheus.scrapeInterval,
        }),
    },
  ],
};

/**
 * The `IstioMesh` props of `security.mesh`: the sizes by the same names; the named opt-out `privateIngress` (turning
 * the private default off) is the construct's `internetFacingIngress`. `expose`, `webhooks` and the other opt-outs are
 * the mesh policies' (`MeshPolicies`, in security-resources).
 */
export function istioMeshProps(config: EnvironmentConfig): Pick<IstioMeshProps, "istiod" | "gateway" | "cni" | "spreadAcrossZones" | "internetFacingIngress" | "loadBalancerTags"> {
  const m = config.security.mesh;
  return {
    istiod: m.istiod,
    gateway: m.gateway,
    cni: { resources: m.cni.resources },
    spreadAcrossZones: m.spreadAcrossZones,
    internetFacingIngress: m.optOut.privateIngress !== undefined,
    // The gateway's load balancer carries the environment's tags (cost allocation), as the Terraform resources do.
    loadBalancerTags: { ...config.tags },
  };
}

/**
 * The configured ingress allows of every namespace in the mesh (`mesh: sidecar`, platform or team), which the mesh's
 * default deny would otherwise refuse between meshed pods. The allows the stack adds from `security.mesh.expose` and
 * `security.mesh.webhooks` are left out: the mesh policies already carry them, narrower (the gateway's identity, the
 * webhook port).
 */
export function sidecarNamespaceAllows(config: EnvironmentConfig): MeshNamespaceAllows[] {
  const ns = config.security.namespaces;
  return [...Object.entries(ns.platform), ...ns.teams.flatMap((t) => Object.entries(t.namespaces))]
    .filter(([, settings]) => settings.mesh === "sidecar")
    .map(([namespace, settings]) => ({ namespace, ingress: settings.ingress }));
}
