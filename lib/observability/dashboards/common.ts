/**
 * What every generated dashboard shares: the JSON shape handed to callers, the data source variable, and the
 * few series that are not the SLO compiler's (Prometheus's `ALERTS`, cAdvisor and kube-state-metrics).
 * Free of SDK types, so the public declarations do not depend on how the SDK is resolved.
 */

/** A dashboard as Grafana stores it (the foundation SDK's output, as plain JSON). */
export interface DashboardJson {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly panels: readonly unknown[];
  readonly [key: string]: unknown;
}

/** One generated dashboard and the file name it is written under (`<name>.json`). */
export interface GeneratedDashboard {
  /** File name without extension, unique in an environment: `slo-<service>`, `golden-signals`. */
  readonly name: string;
  readonly dashboard: DashboardJson;
}

/** Every generated dashboard is tagged with this, so the Grafana sidecar and readers can tell them apart. */
export const DASHBOARD_TAG = "sre-platform";

/** Name of the data source variable every panel queries through. */
export const DATASOURCE_VARIABLE = "datasource";

/** Prometheus's own series of active alerts (`alertstate` pending or firing). */
export const ALERTS_SERIES = "ALERTS";

/** Saturation inputs from kube-prometheus-stack's exporters (cAdvisor and kube-state-metrics). */
export const SATURATION_SERIES = {
  cpuUsage: "container_cpu_usage_seconds_total",
  memoryWorkingSet: "container_memory_working_set_bytes",
  resourceRequests: "kube_pod_container_resource_requests",
} as const;

/** A Grafana uid (at most 40 characters of `[A-Za-z0-9_-]`), stable for a given key. */
export function dashboardUid(key: string): string {
  const clean = key.toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  if (clean.length <= 40) return clean;
  let h = 0;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${clean.slice(0, 31)}-${h.toString(16).padStart(8, "0")}`;
}
