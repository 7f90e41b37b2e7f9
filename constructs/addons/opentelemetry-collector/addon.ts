import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { tempoAddon, tracingEnabled } from "../tempo/addon";
import { TracingMonitor } from "../tempo/tracing-monitor";
import {
  OpenTelemetryCollector, OTEL_COLLECTOR_DEFAULTS, OTEL_COLLECTOR_IMAGE, OTEL_COLLECTOR_IMAGE_TAG, OTEL_COLLECTOR_LABELS, OTEL_COLLECTOR_NAMESPACE,
  OTEL_COLLECTOR_SERVICE, validateOpenTelemetryCollectorProps,
} from "./opentelemetry-collector";

/**
 * The OpenTelemetry Collector (`observability.tracing`): where the team namespaces send OTLP; it samples as configured
 * and exports to Tempo. Built after Tempo in the observability layer; its ServiceMonitor (its own metrics and the span
 * RED metrics) in observability-resources.
 */
export const openTelemetryCollectorAddon: AddonDescriptor<OpenTelemetryCollector> = {
  name: "opentelemetry-collector",
  layer: "observability",
  summary: "the OpenTelemetry Collector (contrib) receiving OTLP from the team namespaces, sampling as configured, exporting to Tempo, span RED metrics to Prometheus",
  configPath: "observability.tracing",
  // Made by the security layer's baseline (the observability layer has none), before this release.
  namespaces: [{ name: OTEL_COLLECTOR_NAMESPACE, createdIn: "security" }],
  images: [OTEL_COLLECTOR_IMAGE],
  registries: [],
  // The otel organisation publishes many images: the one repository.
  repositories: [OTEL_COLLECTOR_IMAGE],
  workloads: [
    {
      kind: "Deployment", name: OTEL_COLLECTOR_SERVICE, namespace: OTEL_COLLECTOR_NAMESPACE, podSecurityContext: ["podSecurityContext"],
      containers: [{ name: "opentelemetry-collector", image: `${OTEL_COLLECTOR_IMAGE}:${OTEL_COLLECTOR_IMAGE_TAG}`, securityContext: ["securityContext"], resources: ["resources"] }],
    },
  ],
  enabled: tracingEnabled,
  requires: [tempoAddon, kubePrometheusStackAddon],
  validate: (config) => {
    const t = config.observability.tracing!;
    return atConfigPath("observability.tracing", validateOpenTelemetryCollectorProps({ sampling: t.sampling, replicas: t.collector.replicas, resources: t.collector.resources }), {
      replicas: "collector.replicas",
      resources: "collector.resources",
    });
  },
  build: (ctx) => {
    const t = ctx.config.observability.tracing!;
    const tempo = ctx.require(tempoAddon);
    return new OpenTelemetryCollector(ctx.scope, "OpenTelemetryCollector", {
      cluster: ctx.cluster,
      access: ctx.access,
      createNamespace: false,
      dependsOn: [tempo],
      tempoEndpoint: tempo.otlpEndpoint,
      sampling: t.sampling,
      replicas: t.collector.replicas,
      resources: t.collector.resources,
      spreadAcrossZones: ctx.config.observability.spreadAcrossZones,
      systemNodePlacement: ctx.placement,
    });
  },
  resources: [
    {
      layer: "observability-resources",
      build: (ctx, collector) =>
        new TracingMonitor(ctx.scope, "OpenTelemetryCollectorMonitor", {
          name: OTEL_COLLECTOR_DEFAULTS.releaseName,
          namespace: collector.addon.namespace,
          serviceLabels: OTEL_COLLECTOR_LABELS,
          // The collector's own telemetry and the spanmetrics/servicegraph series.
          ports: ["metrics", "span-metrics"],
          installedBy: ctx.require(kubePrometheusStackAddon),
          access: ctx.access,
        }),
    },
  ],
};
