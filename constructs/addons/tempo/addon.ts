import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { storageClassesAddon } from "../storage-classes/addon";
import { ValidationError } from "../../common/validation";
import { Tempo, TEMPO_DEFAULTS, TEMPO_IMAGE, TEMPO_IMAGE_TAG, TEMPO_LABELS, TEMPO_NAMESPACE, TEMPO_SERVICE, validateTempoProps } from "./tempo";
import { TracingMonitor } from "./tracing-monitor";

/** Whether the environment traces (`observability.tracing.enabled`). */
export function tracingEnabled(config: EnvironmentConfig): boolean {
  return config.observability.tracing?.enabled === true;
}

/**
 * Grafana Tempo (`observability.tracing`): the traces' store, on the storage layer's traces bucket, queried by Grafana.
 * Built in the observability layer after the monitoring stack; its ServiceMonitor in observability-resources.
 */
export const tempoAddon: AddonDescriptor<Tempo> = {
  name: "tempo",
  layer: "observability",
  summary: "Grafana Tempo (single binary) storing traces in the storage layer's KMS-encrypted S3 bucket through IRSA, retention per environment",
  configPath: "observability.tracing",
  // Made by the security layer's baseline (the observability layer has none), before this release.
  namespaces: [{ name: TEMPO_NAMESPACE, createdIn: "security" }],
  images: [TEMPO_IMAGE],
  registries: [],
  // Grafana Labs' whole Docker Hub organisation would admit everything published there: the one repository.
  repositories: [TEMPO_IMAGE],
  workloads: [
    {
      kind: "StatefulSet", name: TEMPO_SERVICE, namespace: TEMPO_NAMESPACE, podSecurityContext: ["securityContext"],
      containers: [{ name: "tempo", image: `${TEMPO_IMAGE}:${TEMPO_IMAGE_TAG}`, securityContext: ["tempo", "securityContext"], resources: ["tempo", "resources"] }],
    },
  ],
  enabled: tracingEnabled,
  requires: [kubePrometheusStackAddon, storageClassesAddon],
  validate: (config) => {
    const t = config.observability.tracing!;
    return atConfigPath("observability.tracing", validateTempoProps({ retentionDays: t.retentionDays, resources: t.tempo.resources, walStorageGiB: t.tempo.walStorageGiB }), {
      resources: "tempo.resources",
      walStorageGiB: "tempo.walStorageGiB",
    });
  },
  build: (ctx) => {
    const t = ctx.config.observability.tracing!;
    const bucket = ctx.lower.tracesBucket;
    if (bucket === undefined) {
      throw new ValidationError(ctx.scope.node.path, [{ path: "observability.tracing", value: "no traces bucket", allowed: "the storage layer's traces bucket (the storage stack makes it where observability.tracing.enabled)" }]);
    }
    return new Tempo(ctx.scope, "Tempo", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The security layer's baseline made the namespace: Pod Security restricted, default-deny, quota.
      createNamespace: false,
            bucket,
      region: ctx.config.region,
      retentionDays: t.retentionDays,
      resources: t.tempo.resources,
      walStorageGiB: t.tempo.walStorageGiB,
      storageClassName: ctx.require(storageClassesAddon).gp3Name,
      systemNodePlacement: ctx.placement,
    });
  },
  resources: [
    {
      layer: "observability-resources",
      build: (ctx, tempo) =>
        new TracingMonitor(ctx.scope, "TempoMonitor", {
          name: TEMPO_DEFAULTS.releaseName,
          namespace: tempo.addon.namespace,
          serviceLabels: TEMPO_LABELS,
          ports: ["tempo-prom-metrics"],
          installedBy: ctx.require(kubePrometheusStackAddon),
          access: ctx.access,
        }),
    },
  ],
};
