/**
 * Grafana dashboards generated from compiled SLOs with the Grafana foundation SDK: one SLO dashboard per
 * service and a golden-signals overview. Framework-free; `writeDashboards` puts them in files.
 */
export { sloDashboard, sloDashboards } from "./slo-dashboard";
export type { DashboardOptions } from "./slo-dashboard";
export { goldenSignalsDashboard } from "./golden-signals";
export { writeDashboards } from "./write";
export { ALERTS_SERIES, DASHBOARD_TAG, DATASOURCE_VARIABLE, SATURATION_SERIES, dashboardUid } from "./common";
export type { DashboardJson, GeneratedDashboard } from "./common";

import type { CompiledSlo } from "../../slo/compile";
import type { GeneratedDashboard } from "./common";
import { goldenSignalsDashboard } from "./golden-signals";
import { sloDashboards, type DashboardOptions } from "./slo-dashboard";

/** Every dashboard of an environment: the SLO dashboard of each service, then the golden-signals overview. */
export function environmentDashboards(slos: readonly CompiledSlo[], opts: DashboardOptions = {}): GeneratedDashboard[] {
  if (slos.length === 0) return [];
  return [...sloDashboards(slos, opts), goldenSignalsDashboard(slos, opts)];
}
