import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../private/workload-values";
import { deepMerge } from "../../common/deep-merge";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { prometheusDurationSeconds } from "../../../lib/kubernetes/durations";
import { COLLECTOR_LOCATION, COLLECTOR_PORTS, collectorConfig, collectorHost, collectorConfigProblems, samplingMode, type CollectorConfig, type TraceSampling } from "../../../lib/observability/tracing/collector-config";

/** The namespace of the collector, the address every team sends OTLP to. */
export const OTEL_COLLECTOR_NAMESPACE = COLLECTOR_LOCATION.namespace;

/** The `opentelemetry-collector` chart version. */
export const OTEL_COLLECTOR_CHART_VERSION = "0.170.0";

/**
 * The collector image: the contrib distribution (it has the tail and probabilistic samplers, the spanmetrics and
 * servicegraph connectors and the Prometheus exporter the configuration uses), at the chart's `appVersion`.
 */
export const OTEL_COLLECTOR_IMAGE = "docker.io/otel/opentelemetry-collector-contrib";
export const OTEL_COLLECTOR_IMAGE_TAG = "0.158.0";

/**
 * open-telemetry's `opentelemetry-collector` chart 0.170.0 (collector 0.158.0) as a Deployment. The chart installs no
 * CRD. Since 0.1xx it needs `mode` and `image.repository` set: both are.
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector
 */
export const OTEL_COLLECTOR_DEFAULTS: HelmChartDefaults = {
  chart: "opentelemetry-collector",
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  version: OTEL_COLLECTOR_CHART_VERSION,
  namespace: OTEL_COLLECTOR_NAMESPACE,
  releaseName: "otel-collector",
};

/** The Service (and Deployment) name: `fullnameOverride`, the name in every team's OTLP endpoint. */
export const OTEL_COLLECTOR_SERVICE = COLLECTOR_LOCATION.service;

/** Labels of the collector's pods and Service (the chart's selector labels for this release). */
export const OTEL_COLLECTOR_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": "otel-collector" };

/** The user and group the contrib image is built for (`USER 10001`). */
export const OTEL_COLLECTOR_IDS = { user: 10001, group: 10001 };

/** The collector's size when the caller gives none; no CPU limit. */
export const OTEL_COLLECTOR_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } };

/** Keep every trace: the default where a caller gives no sampling. */
export const SAMPLE_EVERYTHING: TraceSampling = { percentage: 100, keepErrors: false };

/** The chart's default components the platform's configuration does not use: removed (`null`) under Helm's merge. */
const CHART_DEFAULT_COMPONENTS_REMOVED = {
  receivers: { jaeger: null, prometheus: null, zipkin: null },
  exporters: { debug: null },
  service: { pipelines: { logs: null, metrics: null } },
};

/** Props of {@link OpenTelemetryCollector}. */
export interface OpenTelemetryCollectorProps extends HelmAddonProps, HelmReleaseOptions {
  /** `host:port` of Tempo's OTLP gRPC receiver (`Tempo.otlpEndpoint`). */
  readonly tempoEndpoint: string;
  /**
   * How traces are sampled: a percentage alone is probabilistic (by trace id, alike on every replica); keeping errors
   * or slow traces is tail sampling, which needs every span of a trace on one replica.
   * @default - every trace is kept
   */
  readonly sampling?: TraceSampling;
  /**
   * Collector replicas. More than one only with probabilistic sampling (or none): tail sampling decides on whole traces,
   * and a Service spreads one trace's spans over every replica.
   * @default 1
   */
  readonly replicas?: number;
  /** @default { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } */
  readonly resources?: ContainerResources;
  /** Spread replicas across zones. @default false */
  readonly spreadAcrossZones?: boolean;
  /** Keep the collector on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * The OpenTelemetry Collector (contrib distribution) as a Deployment: OTLP gRPC and HTTP in from the cluster's
 * workloads, `memory_limiter`, the configured sampler and `batch`, OTLP out to Tempo; RED metrics and the service graph
 * from every span (before sampling) for the platform's Prometheus. No Kubernetes API access (no token mounted), hardened
 * on the system nodes.
 */
export class OpenTelemetryCollector extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly replicas: number;
  public readonly resources: ContainerResources;
  public readonly sampling: TraceSampling;
  /** The configuration the collector runs (the chart's `config`, without the removals of chart defaults). */
  public readonly config: CollectorConfig;
  /** Where workloads send OTLP gRPC (`…:4317`); OTLP/HTTP is the same host on 4318. */
  public readonly otlpGrpcEndpoint: string;
  public readonly otlpHttpEndpoint: string;

  constructor(scope: Construct, id: string, props: OpenTelemetryCollectorProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", tempoEndpoint: "Tempo's OTLP gRPC host:port (Tempo.otlpEndpoint)" });
    throwIfProblems(this.node.path, validateOpenTelemetryCollectorProps(props));
    this.replicas = props.replicas ?? 1;
    this.resources = props.resources ?? OTEL_COLLECTOR_DEFAULT_RESOURCES;
    this.sampling = props.sampling ?? SAMPLE_EVERYTHING;
    this.config = collectorConfig({ sampling: this.sampling, tempoEndpoint: props.tempoEndpoint });
    throwIfProblems(this.node.path, collectorConfigProblems(this.config).map((p) => ({ ...p, path: `config.${p.path}` })));
    const namespace = props.namespace ?? OTEL_COLLECTOR_DEFAULTS.namespace;
    const host = collectorHost({ namespace, service: OTEL_COLLECTOR_SERVICE });
    this.otlpGrpcEndpoint = `${host}:${COLLECTOR_PORTS.otlpGrpc}`;
    this.otlpHttpEndpoint = `http://${host}:${COLLECTOR_PORTS.otlpHttp}`;
    const profile = resolveWorkloadProfile({ ...collectorProfile(props), placement: resolvePlacement(props.systemNodePlacement) });
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: OTEL_COLLECTOR_DEFAULTS,
      chartValues: deepMerge(
        workloadValues(profile, {
          replicas: ["replicaCount"],
          resources: ["resources"],
          podDisruptionBudget: { path: ["podDisruptionBudget"], render: ENABLED_FLAG_BUDGET },
          topologySpreadConstraints: { path: ["topologySpreadConstraints"], matchLabels: OTEL_COLLECTOR_LABELS },
          affinity: { path: ["affinity"] },
          tolerations: ["tolerations"],
          podSecurityContext: { path: ["podSecurityContext"] },
          containerSecurityContext: { path: ["securityContext"] },
        }),
        {
          mode: "deployment",
          fullnameOverride: OTEL_COLLECTOR_SERVICE,
          image: { repository: OTEL_COLLECTOR_IMAGE, tag: OTEL_COLLECTOR_IMAGE_TAG, pullPolicy: "IfNotPresent" },
          command: { name: "otelcol-contrib" },
          // It reads no Kubernetes object (no k8sattributes): no token in the pod.
          serviceAccount: { automountServiceAccountToken: false },
          config: deepMerge(CHART_DEFAULT_COMPONENTS_REMOVED, this.config as unknown as Record<string, unknown>),
          ports: {
            "jaeger-compact": { enabled: false },
            "jaeger-thrift": { enabled: false },
            "jaeger-grpc": { enabled: false },
            zipkin: { enabled: false },
            metrics: { enabled: true },
            "span-metrics": { enabled: true, containerPort: COLLECTOR_PORTS.spanMetrics, servicePort: COLLECTOR_PORTS.spanMetrics, protocol: "TCP" },
          },
          // Ours, in observability-resources (after the monitoring CRDs).
          serviceMonitor: { enabled: false },
          podMonitor: { enabled: false },
          prometheusRule: { enabled: false },
          // The namespace baseline's policies govern traffic; the chart's own would be a second, unaligned set.
          networkPolicy: { enabled: false },
        },
      ),
    });
  }

  /** The release's address. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link OpenTelemetryCollectorProps} without building anything (the release is checked by `HelmAddon`). */
export function validateOpenTelemetryCollectorProps(props: Omit<OpenTelemetryCollectorProps, "cluster" | "tempoEndpoint"> & Partial<Pick<OpenTelemetryCollectorProps, "cluster" | "tempoEndpoint">>): ValidationProblem[] {
  const problems = [...validateWorkloadProfile("", collectorProfile(props), "the collector's pods"), ...validateSystemNodePlacement(props.systemNodePlacement)];
  const s = props.sampling;
  if (s !== undefined) {
    if (!(s.percentage > 0 && s.percentage <= 100)) problems.push({ path: "sampling.percentage", value: s.percentage, allowed: "a percentage above 0 and at most 100" });
    if (s.slowerThan !== undefined && !((prometheusDurationSeconds(s.slowerThan) ?? 0) > 0)) problems.push({ path: "sampling.slowerThan", value: s.slowerThan, allowed: "a duration above zero such as 500ms or 2s" });
    const replicas = props.replicas ?? 1;
    if (samplingMode(s) === "tail" && replicas > 1) {
      problems.push({
        path: "replicas",
        value: replicas,
        allowed: "1 while sampling keeps errors or slow traces: tail sampling decides on whole traces, and the Service spreads one trace's spans over every replica (for more replicas, sample by percentage alone: keepErrors false, no slowerThan)",
      });
    }
  }
  if (props.tempoEndpoint !== undefined && !isUnresolved(props.tempoEndpoint) && !/^[a-z0-9.-]+:\d{1,5}$/.test(props.tempoEndpoint)) {
    problems.push({ path: "tempoEndpoint", value: props.tempoEndpoint, allowed: "host:port of Tempo's OTLP gRPC receiver" });
  }
  return problems;
}

function collectorProfile(props: Pick<OpenTelemetryCollectorProps, "replicas" | "resources" | "spreadAcrossZones">): WorkloadProfile {
  return { replicas: props.replicas ?? 1, resources: props.resources ?? OTEL_COLLECTOR_DEFAULT_RESOURCES, runAs: OTEL_COLLECTOR_IDS, spreadAcrossZones: props.spreadAcrossZones };
}
