/**
 * What every generated dashboard shares: the data source variable, the JSON shape handed to callers, and
 * the few series that are not the SLO compiler's (Prometheus's `ALERTS`, cAdvisor and kube-state-metrics).
 */
import { DatasourceVariableBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder, type DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";

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
export const DATASOURCE: DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** Prometheus's own series of active alerts (`alertstate` pending or firing). */
export const ALERTS_SERIES = "ALERTS";

/** Saturation inputs from kube-prometheus-stack's exporters (cAdvisor and kube-state-metrics). */
export const SATURATION_SERIES = {
  cpuUsage: "container_cpu_usage_seconds_total",
  memoryWorkingSet: "container_memory_working_set_bytes",
  resourceRequests: "kube_pod_container_resource_requests",
} as const;

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Data source").type("prometheus");
}

/** A Prometheus query with a legend. */
export function query(expr: string, legend: string, refId: string): DataqueryBuilder {
  return new DataqueryBuilder().expr(expr).legendFormat(legend).refId(refId);
}

/** A visible legend under the graph (the SDK's default hides it). */
export function legend(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom);
}

/** A Grafana uid (at most 40 characters of `[A-Za-z0-9_-]`), stable for a given key. */
export function dashboardUid(key: string): string {
  const clean = key.toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  if (clean.length <= 40) return clean;
  let h = 0;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${clean.slice(0, 31)}-${h.toString(16).padStart(8, "0")}`;
}

/** The SDK's dashboard as plain JSON (drops `undefined`s, so files and snapshots are stable). */
export function toJson(d: Dashboard): DashboardJson {
  return JSON.parse(JSON.stringify(d)) as DashboardJson;
}
