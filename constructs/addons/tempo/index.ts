export { Tempo, TEMPO_DEFAULTS, TEMPO_CHART_VERSION, TEMPO_NAMESPACE, TEMPO_IMAGE, TEMPO_IMAGE_TAG, TEMPO_SERVICE, TEMPO_PORTS, TEMPO_LABELS, TEMPO_DEFAULT_RESOURCES, validateTempoProps } from "./tempo";
export type { TempoProps } from "./tempo";
export { tempoBucketStatements } from "./tempo-policy";
export type { TracesBucket } from "./tempo-policy";
export { TracingMonitor } from "./tracing-monitor";
export type { TracingMonitorProps } from "./tracing-monitor";
export { tempoAddon, tracingEnabled } from "./addon";
