/**
 * The OpenTelemetry Collector's configuration for the platform's traces, generated from the environment's sampling
 * settings, and the structural checks the collector itself would make at start: every pipeline names only receivers,
 * processors, exporters and connectors that are defined, every connector is used on both sides, and every component
 * type is one the distribution is built with. Framework-free: the construct renders it, the tests check it.
 * @see https://opentelemetry.io/docs/collector/configuration/
 */
import type { ValidationProblem } from "../../problems";
import { prometheusDurationSeconds } from "../../kubernetes/durations";

/** How traces are sampled (the shape of `observability.tracing.sampling`). */
export interface TraceSampling {
  /** Share of traces kept, in percent (0 < p ≤ 100). */
  readonly percentage: number;
  /** Keep every trace with an ERROR span. */
  readonly keepErrors: boolean;
  /** Keep every trace longer than this Prometheus-style duration. @default - no latency rule */
  readonly slowerThan?: string;
}

/** Where the platform's collector is: its namespace and Service (the address every team sends OTLP to). */
export const COLLECTOR_LOCATION = { namespace: "opentelemetry", service: "otel-collector" } as const;

/** The collector's Service host inside the cluster. */
export function collectorHost(location: { readonly namespace: string; readonly service: string } = COLLECTOR_LOCATION): string {
  return `${location.service}.${location.namespace}.svc.cluster.local`;
}

/** The ports the collector listens on. */
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, telemetry: 8888, spanMetrics: 8889, health: 13133 } as const;

/** How the sampling settings are carried out. */
export type SamplingMode = "none" | "probabilistic" | "tail";

/**
 * `tail` when a trace must be kept for what it contains (an error, its duration) and not every trace is kept: the
 * decision waits for the whole trace, in one collector's memory. `probabilistic` hashes the trace id, so every replica
 * decides alike. `none` at 100 %.
 */
export function samplingMode(s: TraceSampling): SamplingMode {
  if (s.percentage >= 100) return "none";
  return s.keepErrors || s.slowerThan !== undefined ? "tail" : "probabilistic";
}

/** What the generated configuration needs besides the sampling settings. */
export interface CollectorConfigOptions {
  readonly sampling: TraceSampling;
  /** `host:port` of Tempo's OTLP gRPC receiver. */
  readonly tempoEndpoint: string;
  /**
   * Seconds tail sampling waits after a trace's first span before deciding: spans arriving later are sampled alone.
   * @default 10
   */
  readonly decisionWaitSeconds?: number;
  /** Traces held in memory for tail sampling at once. @default 50000 */
  readonly maxTracesInMemory?: number;
}

/** A collector configuration document (the chart's `config` value, and the file the collector reads). */
export interface CollectorConfig {
  readonly extensions: Record<string, unknown>;
  readonly receivers: Record<string, unknown>;
  readonly processors: Record<string, unknown>;
  readonly exporters: Record<string, unknown>;
  readonly connectors: Record<string, unknown>;
  readonly service: {
    readonly extensions: readonly string[];
    readonly pipelines: Record<string, { readonly receivers: readonly string[]; readonly processors?: readonly string[]; readonly exporters: readonly string[] }>;
    readonly telemetry?: Record<string, unknown>;
  };
}

/** The exporter that sends sampled traces to Tempo. */
export const TEMPO_EXPORTER = "otlp/tempo";

/**
 * The platform's collector configuration: OTLP in (gRPC and HTTP) → `memory_limiter` → the sampler (if any) → `batch` →
 * OTLP to Tempo. Every span also feeds the `spanmetrics` and `servicegraph` connectors *before* sampling, so the RED
 * metrics and the service graph Prometheus scrapes (on {@link COLLECTOR_PORTS.spanMetrics}) count all requests, not the
 * sampled share.
 */
export function collectorConfig(o: CollectorConfigOptions): CollectorConfig {
  const listen = (port: number) => `\${env:MY_POD_IP}:${port}`;
  const mode = samplingMode(o.sampling);
  const sampler = mode === "tail" ? ["tail_sampling"] : mode === "probabilistic" ? ["probabilistic_sampler"] : [];
  return {
    extensions: { health_check: { endpoint: listen(COLLECTOR_PORTS.health) } },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: listen(COLLECTOR_PORTS.otlpGrpc) }, http: { endpoint: listen(COLLECTOR_PORTS.otlpHttp) } } },
    },
    processors: {
      // Refuses data (the senders retry) before the container's memory limit is reached.
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 8192, timeout: "5s" },
      ...samplerProcessor(o, mode),
    },
    exporters: {
      [TEMPO_EXPORTER]: {
        endpoint: o.tempoEndpoint,
        // Inside the cluster, between two namespaces that allow exactly this traffic; Tempo serves no TLS.
        tls: { insecure: true },
        sending_queue: { enabled: true, queue_size: 5000 },
        retry_on_failure: { enabled: true, max_elapsed_time: "300s" },
      },
      prometheus: { endpoint: listen(COLLECTOR_PORTS.spanMetrics), resource_to_telemetry_conversion: { enabled: false } },
    },
    connectors: {
      spanmetrics: {
        histogram: { explicit: { buckets: ["5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "2.5s", "5s", "10s"] } },
        dimensions: [{ name: "http.request.method" }, { name: "http.response.status_code" }, { name: "rpc.grpc.status_code" }],
        // Series of spans no longer seen are dropped, so a renamed endpoint does not leave series forever.
        metrics_expiration: "5m",
      },
      servicegraph: { latency_histogram_buckets: ["10ms", "50ms", "100ms", "250ms", "500ms", "1s", "5s"], store: { ttl: "10s", max_items: 10000 } },
    },
    service: {
      extensions: ["health_check"],
      pipelines: {
        // Every span, unsampled, into the RED metrics and the service graph.
        "traces/metrics": { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["spanmetrics", "servicegraph"] },
        traces: { receivers: ["otlp"], processors: ["memory_limiter", ...sampler, "batch"], exporters: [TEMPO_EXPORTER] },
        "metrics/spans": { receivers: ["spanmetrics", "servicegraph"], processors: ["memory_limiter", "batch"], exporters: ["prometheus"] },
      },
      // The collector's own metrics for the platform's Prometheus, on the pod's address.
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: "${env:MY_POD_IP}", port: COLLECTOR_PORTS.telemetry } } } }] } },
    },
  };
}

function samplerProcessor(o: CollectorConfigOptions, mode: SamplingMode): Record<string, unknown> {
  const s = o.sampling;
  if (mode === "probabilistic") return { probabilistic_sampler: { sampling_percentage: s.percentage } };
  if (mode !== "tail") return {};
  // Policies are OR'ed: a trace is kept when any keeps it.
  const policies: Record<string, unknown>[] = [{ name: "share", type: "probabilistic", probabilistic: { sampling_percentage: s.percentage } }];
  if (s.keepErrors) policies.unshift({ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } });
  if (s.slowerThan !== undefined) {
    const ms = Math.round((prometheusDurationSeconds(s.slowerThan) ?? 0) * 1000);
    policies.splice(s.keepErrors ? 1 : 0, 0, { name: "slow", type: "latency", latency: { threshold_ms: ms } });
  }
  return {
    tail_sampling: {
      decision_wait: `${o.decisionWaitSeconds ?? 10}s`,
      num_traces: o.maxTracesInMemory ?? 50000,
      expected_new_traces_per_sec: 1000,
      policies,
    },
  };
}

/** The component kinds of a collector configuration, as the sections are named. */
export const COMPONENT_KINDS = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** A component's type: the id before any `/name` (`otlp/tempo` → `otlp`). */
export function componentType(id: string): string {
  return id.split("/")[0]!;
}

/**
 * The Go module a component type is built from in a collector distribution's manifest: the type without underscores
 * and with its kind (`memory_limiter` processor → `…/memorylimiterprocessor`), the convention every component of the
 * collector and its contrib repository follows.
 */
export function componentModuleName(kind: ComponentKind, type: string): string {
  return `${type.replace(/_/g, "")}${kind.slice(0, -1)}`;
}

/**
 * What the collector would refuse at start, and what the distribution lacks: pipelines naming an undefined component,
 * a connector not used as both exporter and receiver, a defined extension not enabled, and (given the distribution's
 * Go modules by kind) a component type it is not built with.
 */
export function collectorConfigProblems(config: CollectorConfig, distribution?: Readonly<Record<ComponentKind, readonly string[]>>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const defined = (kind: ComponentKind) => Object.keys((config as unknown as Record<string, Record<string, unknown> | undefined>)[kind] ?? {});
  const connectors = defined("connectors");
  const asExporter = new Set<string>();
  const asReceiver = new Set<string>();
  for (const [name, p] of Object.entries(config.service.pipelines)) {
    const path = `service.pipelines.${name}`;
    if (p.receivers.length === 0) problems.push({ path: `${path}.receivers`, value: [], allowed: "at least one receiver" });
    if (p.exporters.length === 0) problems.push({ path: `${path}.exporters`, value: [], allowed: "at least one exporter" });
    p.receivers.forEach((id, i) => {
      if (connectors.includes(id)) asReceiver.add(id);
      else if (!defined("receivers").includes(id)) problems.push({ path: `${path}.receivers[${i}]`, value: id, allowed: `a defined receiver or connector: ${[...defined("receivers"), ...connectors].join(", ")}` });
    });
    (p.processors ?? []).forEach((id, i) => {
      if (!defined("processors").includes(id)) problems.push({ path: `${path}.processors[${i}]`, value: id, allowed: `a defined processor: ${defined("processors").join(", ")}` });
    });
    p.exporters.forEach((id, i) => {
      if (connectors.includes(id)) asExporter.add(id);
      else if (!defined("exporters").includes(id)) problems.push({ path: `${path}.exporters[${i}]`, value: id, allowed: `a defined exporter or connector: ${[...defined("exporters"), ...connectors].join(", ")}` });
    });
  }
  for (const c of connectors) {
    if (!asExporter.has(c) || !asReceiver.has(c)) problems.push({ path: `connectors.${c}`, value: c, allowed: "a connector used as an exporter of one pipeline and a receiver of another" });
  }
  config.service.extensions.forEach((id, i) => {
    if (!defined("extensions").includes(id)) problems.push({ path: `service.extensions[${i}]`, value: id, allowed: `a defined extension: ${defined("extensions").join(", ")}` });
  });
  if (distribution) {
    for (const kind of COMPONENT_KINDS) {
      for (const id of defined(kind)) {
        const module = componentModuleName(kind, componentType(id));
        if (!distribution[kind].includes(module)) problems.push({ path: `${kind}.${id}`, value: componentType(id), allowed: `a ${kind.slice(0, -1)} the distribution is built with (no module ${module})` });
      }
    }
  }
  return problems;
}

/**
 * A distribution's component modules by kind, from its OpenTelemetry Collector Builder manifest (`manifest.yaml`:
 * `receivers: [{ gomod: "…/otlpreceiver v0.158.0" }]`), as the last path segment without the version.
 */
export function distributionComponents(manifest: Readonly<Record<string, unknown>>): Record<ComponentKind, string[]> {
  const modules = (kind: ComponentKind) =>
    ((manifest[kind] as Array<{ gomod?: string }> | undefined) ?? []).map((c) => String(c.gomod ?? "").split(" ")[0]!.split("/").pop()!).filter((m) => m !== "");
  return Object.fromEntries(COMPONENT_KINDS.map((k) => [k, modules(k)])) as Record<ComponentKind, string[]>;
}
