export {
  OpenTelemetryCollector, OTEL_COLLECTOR_DEFAULTS, OTEL_COLLECTOR_CHART_VERSION, OTEL_COLLECTOR_NAMESPACE, OTEL_COLLECTOR_IMAGE, OTEL_COLLECTOR_IMAGE_TAG,
  OTEL_COLLECTOR_SERVICE, OTEL_COLLECTOR_LABELS, OTEL_COLLECTOR_DEFAULT_RESOURCES, SAMPLE_EVERYTHING, validateOpenTelemetryCollectorProps,
} from "./opentelemetry-collector";
export type { OpenTelemetryCollectorProps } from "./opentelemetry-collector";
export { openTelemetryCollectorAddon } from "./addon";
