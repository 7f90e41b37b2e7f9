export { MetricsServer, METRICS_SERVER_DEFAULTS, validateMetricsServerProps } from "./metrics-server";
export type { MetricsServerProps } from "./metrics-server";
