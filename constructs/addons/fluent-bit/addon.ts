import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { LOGGING_NAMESPACE } from "../../../lib/observability/logs/log-pipeline";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { FluentBit, FLUENT_BIT_DEFAULTS, validateFluentBitProps, type FluentBitProps } from "./fluent-bit";
import { FluentBitMonitoring } from "./fluent-bit-monitoring";
import { FLUENT_BIT_HOST_VOLUMES, FLUENT_BIT_IMAGE } from "./fluent-bit-values";

/** Why the logging namespace is Pod Security `privileged`, and why the DaemonSet is exempt from the hostPath policy. */
const HOST_PATHS_REASON =
  `Fluent Bit reads the node's pod logs and journal from host paths (${FLUENT_BIT_HOST_VOLUMES.filter((v) => v.readOnly).map((v) => v.path).join(", ")}, read-only) and keeps its read positions and buffer in ${FLUENT_BIT_HOST_VOLUMES.filter((v) => !v.readOnly).map((v) => v.path).join(", ")}`;

/**
 * Logs (`observability.logs`): Fluent Bit on every node shipping container and node logs to the cluster's CloudWatch
 * Logs groups, which it creates encrypted with their retention; its PodMonitor and alerts after the monitoring CRDs.
 */
export const fluentBitAddon: AddonDescriptor<FluentBit> = {
  name: "fluent-bit",
  layer: "observability",
  summary: "Fluent Bit on every node shipping container and node logs to KMS-encrypted CloudWatch Logs groups Terraform creates (IRSA: write streams of those groups only)",
  configPath: "observability.logs",
  namespaces: [
    {
      name: LOGGING_NAMESPACE,
      // The observability layer makes no namespaces: the baseline of the layer before it does (as monitoring's).
      createdIn: "platform-resources",
      // Pod Security baseline and restricted refuse every hostPath volume; the admission policy then admits the one
      // DaemonSet's host paths by name (below) and nothing else in the namespace.
      podSecurity: { configPath: "observability.logs", of: () => ({ level: "privileged", reason: `${HOST_PATHS_REASON}; Pod Security baseline refuses any hostPath volume` }) },
    },
  ],
  images: [FLUENT_BIT_IMAGE.repository],
  registries: [FLUENT_BIT_IMAGE.registry],
  admission: {
    exemptWorkloads: [{ namespace: LOGGING_NAMESPACE, kind: "DaemonSet", name: FLUENT_BIT_DEFAULTS.releaseName, policies: ["hostPathVolumes"], reason: HOST_PATHS_REASON }],
  },
  workloads: [
    {
      kind: "DaemonSet", name: FLUENT_BIT_DEFAULTS.releaseName, namespace: LOGGING_NAMESPACE,
      podSecurityContext: { setBy: "no one: the pod runs as root (its container's context says so and drops every capability); a pod-level runAsNonRoot would refuse it" },
      containers: [
        {
          name: "fluent-bit", image: `${FLUENT_BIT_IMAGE.repository}:${FLUENT_BIT_IMAGE.tag}`, securityContext: ["securityContext"], resources: ["resources"],
          hardeningExceptions: {
            missing: ["runAsNonRoot"],
            reason: "the kubelet and containerd write pod logs 0640 root:root and journald its files 0640 root:systemd-journal: only root reads them without capabilities, so Fluent Bit runs as uid 0 with every capability dropped",
          },
        },
      ],
      // The host paths the values mount, so the admission checks see them (and the exemption above admit them).
      chartPodFields: { volumes: FLUENT_BIT_HOST_VOLUMES.map((v) => ({ name: v.name, hostPath: { path: v.path, type: v.type } })) },
    },
  ],
  enabled: (config) => config.observability.logs.enabled,
  validate: (config) => atConfigPath("observability.logs", validateFluentBitProps(fluentBitProps(config))),
  build: (ctx) =>
    new FluentBit(ctx.scope, "FluentBit", {
      ...fluentBitProps(ctx.config),
      cluster: ctx.cluster,
      access: ctx.access,
      region: ctx.config.region,
      preventDestroy: ctx.config.protection.preventDestroy,
      // The platform-resources baseline made the namespace (privileged with the reason above, default-deny), in a
      // stack this one deploys after.
      createNamespace: false,
    }),
  resources: [
    {
      // Logs that stop arriving fail silently: scrape Fluent Bit and alert on drops and retries.
      layer: "observability-resources",
      build: (ctx, fluentBit) =>
        new FluentBitMonitoring(ctx.scope, "FluentBitMonitoring", { fluentBit, installedBy: ctx.require(kubePrometheusStackAddon), access: ctx.access, interval: ctx.config.observability.prometheus.scrapeInterval }),
    },
  ],
};

/** The `FluentBit` props of an environment: `observability.logs` by the same names. */
export function fluentBitProps(config: EnvironmentConfig): Pick<FluentBitProps, "retentionDays" | "hostRetentionDays" | "resources"> {
  const l = config.observability.logs;
  return { retentionDays: l.retentionDays, hostRetentionDays: l.hostRetentionDays, resources: l.resources };
}
