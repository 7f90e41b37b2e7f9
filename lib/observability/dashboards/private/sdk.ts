/**
 * Small builders over the Grafana foundation SDK shared by the dashboard generators (internal: not exported
 * from the package, so its declarations never name SDK types).
 */
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder, type DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import { DatasourceVariableBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { DATASOURCE_VARIABLE, type DashboardJson } from "../common";

/** Every panel queries the data source chosen in the dashboard's variable. */
export const DATASOURCE: DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

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

/** The SDK's dashboard as plain JSON (drops `undefined`s, so files and snapshots are stable). */
export function toJson(d: Dashboard): DashboardJson {
  return JSON.parse(JSON.stringify(d)) as DashboardJson;
}
