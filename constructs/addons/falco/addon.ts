import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { FALCO_NAMESPACE } from "../../../lib/security/namespaces";
import { Falco, FALCO_DEFAULTS, validateFalcoProps, type FalcoProps } from "./falco";
import { FalcoMonitoring } from "./falco-monitoring";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";

/**
 * Runtime detection (`security.falco`): Falco on every node with the platform's rules, falcosidekick forwarding to
 * Alertmanager. Off only by the named opt-out `security.falco.optOut.runtimeDetection`.
 */
export const falcoAddon: AddonDescriptor<Falco> = {
  name: "falco",
  layer: "security",
  summary: "Falco on every node (modern eBPF, least-privileged), falcosidekick forwarding to Alertmanager",
  configPath: "security.falco",
  namespaces: [{ name: FALCO_NAMESPACE, podSecurity: { configPath: "security.falco.podSecurity", of: (config) => config.security.falco.podSecurity } }],
  images: ["docker.io/falcosecurity/falco", "docker.io/falcosecurity/falcoctl", "docker.io/falcosecurity/falcosidekick"],
  registries: ["docker.io/falcosecurity"],
  admission: {
    exemptWorkloads: [
      {
        namespace: FALCO_NAMESPACE,
        kind: "DaemonSet",
        name: FALCO_DEFAULTS.releaseName,
        policies: ["hostPathVolumes"],
        reason: "Falco reads the node's /proc, /etc and /boot and the container runtime's socket from host paths to attribute kernel events to processes, containers and pods",
      },
    ],
  },
  workloads: [
    {
      kind: "DaemonSet", name: FALCO_DEFAULTS.releaseName, namespace: FALCO_NAMESPACE,
      podSecurityContext: { setBy: "the falco chart's least-privileged template: root with BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE (its namespace's Pod Security exception says why)" },
      containers: [
        { name: "falco", image: "docker.io/falcosecurity/falco:0.44.1", securityContext: { setBy: "the falco chart's least-privileged template (capabilities, never privileged)" }, resources: ["resources"] },
        { name: "falcoctl-artifact-install", image: "docker.io/falcosecurity/falcoctl:0.12.0", securityContext: ["falcoctl", "artifact", "install", "securityContext"], resources: ["falcoctl", "artifact", "install", "resources"],
          hardeningExceptions: {
            missing: ["runAsNonRoot", "readOnlyRootFilesystem"],
            reason: "falcoctl's image runs as root and keeps its index cache under its home directory; non-root and a read-only root need a writable cache volume, not yet proved on a cluster",
          },
        },
      ],
    },
    {
      kind: "Deployment", name: `${FALCO_DEFAULTS.releaseName}-falcosidekick`, namespace: FALCO_NAMESPACE, podSecurityContext: ["falcosidekick", "podSecurityContext"],
      containers: [{ name: "falcosidekick", image: "docker.io/falcosecurity/falcosidekick:2.32.0", securityContext: ["falcosidekick", "securityContext"], resources: ["falcosidekick", "resources"] }],
    },
  ],
  enabled: (config) => config.security.falco.optOut.runtimeDetection === undefined,
  validate: (config) => atConfigPath("security.falco", validateFalcoProps(falcoProps(config))),
  build: (ctx) =>
    new Falco(ctx.scope, "Falco", {
      ...falcoProps(ctx.config),
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made the namespace: privileged with the reason from security.falco.podSecurity, default-deny.
      createNamespace: false,
      dependsOn: [ctx.namespace(FALCO_NAMESPACE)],
    }),
  resources: [
    {
      // Runtime detection that stops (a node without Falco, detections not delivered) fails silently: scrape and page.
      layer: "observability-resources",
      build: (ctx, falco) =>
        new FalcoMonitoring(ctx.scope, "FalcoMonitoring", { falco, installedBy: ctx.require(kubePrometheusStackAddon), access: ctx.access, interval: ctx.config.observability.prometheus.scrapeInterval }),
    },
  ],
};

/**
 * The `Falco` props of an environment: `security.falco` by the same names, the opt-out of forwarding as `enabled`.
 * The section's other fields are the platform's (its namespace's Pod Security reason, the opt-out of Falco itself).
 */
export function falcoProps(config: EnvironmentConfig): Pick<FalcoProps, "resources" | "rules" | "alertForwarding"> {
  const f = config.security.falco;
  return { resources: f.resources, rules: f.rules, alertForwarding: { ...f.alertForwarding, enabled: f.optOut.alertForwarding === undefined } };
}
