/**
 * The golden-signals overview of an environment: per service, latency, traffic and errors built from its SLO
 * specs (the same queries the compiler reads), and saturation per namespace from kube-prometheus-stack's
 * exporters. Errors use the compiler's public 5m error ratio (lib/slo/conventions.ts).
 */
import { DashboardBuilder, QueryVariableBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode } from "@grafana/grafana-foundation-sdk/dashboard";
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from "@grafana/grafana-foundation-sdk/common";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { CompiledSlo } from "../../slo/compile";
import * as c from "../../slo/conventions";
import type { EventsSli, LatencySli } from "../../slo/model";
import { fillWindow } from "../../slo/promql";
import { DASHBOARD_TAG, dashboardUid, SATURATION_SERIES, type GeneratedDashboard } from "./common";
import { DATASOURCE, datasourceVariable, legend, query, toJson } from "./private/sdk";
import type { DashboardOptions } from "./slo-dashboard";

/** Grafana's range for `rate()` that is always at least four scrape intervals. */
const RATE_INTERVAL = "$__rate_interval";
const NAMESPACE_VARIABLE = "namespace";
const QUANTILES = [0.5, 0.9, 0.99] as const;
const refIds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function matchers(sli: LatencySli, extra = ""): string {
  return `{${[sli.selector.trim(), extra].filter((x) => x !== "").join(",")}}`;
}

function panel(title: string, description: string, unit: string): TimeseriesPanel {
  return new TimeseriesPanel().title(title).description(description).datasource(DATASOURCE).legend(legend()).unit(unit).min(0).span(8).height(8);
}

function latency(slos: readonly CompiledSlo[]): TimeseriesPanel {
  const p = panel("Latency", "Quantiles of each latency SLI's histogram; the dashed line is the SLI threshold.", "s");
  const latencySlos = slos.filter((s) => s.slo.sli.kind === "latency");
  let ref = 0;
  for (const s of latencySlos) {
    const sli = s.slo.sli as LatencySli;
    for (const q of QUANTILES) {
      const expr = `histogram_quantile(${q}, sum by (le) (rate(${sli.metric}_bucket${matchers(sli)}[${RATE_INTERVAL}])))`;
      p.withTarget(query(expr, `${s.slo.name} p${q * 100}`, refIds[ref++ % refIds.length]!));
    }
  }
  const threshold = latencySlos.length === 1 ? Number((latencySlos[0]!.slo.sli as LatencySli).threshold) : undefined;
  if (threshold !== undefined && Number.isFinite(threshold)) {
    p.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([{ value: null, color: "green" }, { value: threshold, color: "red" }]));
    p.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  if (latencySlos.length === 0) p.description("This service has no latency SLO; add one to see its latency here.");
  return p;
}

/** Requests per second from the SLI's own total query (events) or histogram count (latency). */
function traffic(slos: readonly CompiledSlo[]): TimeseriesPanel {
  const p = panel("Traffic", "Requests per second, from each SLI's total-events query.", "reqps");
  let ref = 0;
  for (const s of slos) {
    const sli = s.slo.sli;
    let expr: string | undefined;
    if (sli.kind === "events") expr = fillWindow((sli as EventsSli).totalQuery, RATE_INTERVAL).trim();
    else if (sli.kind === "latency") expr = `sum(rate(${(sli as LatencySli).metric}_count${matchers(sli as LatencySli)}[${RATE_INTERVAL}]))`;
    if (expr !== undefined) p.withTarget(query(expr, s.slo.name, refIds[ref++ % refIds.length]!));
  }
  return p;
}

function errors(slos: readonly CompiledSlo[]): TimeseriesPanel {
  const p = panel("Errors", "Error ratio of each SLI over the last 5 minutes (the compiler's recorded series).", "percentunit");
  slos.forEach((s, i) => {
    const ident = c.identityLabels(s.slo.service, s.slo.name, s.slo.id);
    const expr = `max without (${c.LABEL_WINDOW}) (${c.sloSelector(c.sliErrorRatio(c.BASE_WINDOW), ident)})`;
    p.withTarget(query(expr, s.slo.name, refIds[i % refIds.length]!));
  });
  return p;
}

function saturation(): TimeseriesPanel[] {
  const ns = `namespace=~"$${NAMESPACE_VARIABLE}"`;
  const cpu = panel("CPU used / requested", "Per pod; above 1 the pod uses more CPU than it asked for.", "percentunit").span(12);
  cpu.withTarget(
    query(
      `sum by (pod) (rate(${SATURATION_SERIES.cpuUsage}{${ns},container!=""}[${RATE_INTERVAL}]))\n/ sum by (pod) (${SATURATION_SERIES.resourceRequests}{${ns},resource="cpu"})`,
      "{{pod}}",
      "A",
    ),
  );
  const memory = panel("Memory working set / requested", "Per pod; near or above 1 the pod risks eviction or OOM kill.", "percentunit").span(12);
  memory.withTarget(
    query(
      `sum by (pod) (${SATURATION_SERIES.memoryWorkingSet}{${ns},container!=""})\n/ sum by (pod) (${SATURATION_SERIES.resourceRequests}{${ns},resource="memory"})`,
      "{{pod}}",
      "A",
    ),
  );
  return [cpu, memory];
}

/** The golden-signals overview of every service that has SLOs. */
export function goldenSignalsDashboard(slos: readonly CompiledSlo[], opts: DashboardOptions = {}): GeneratedDashboard {
  const env = opts.environment;
  const builder = new DashboardBuilder(`Golden signals${env === undefined ? "" : ` (${env})`}`)
    .uid(dashboardUid(["golden-signals", env].filter((x) => x !== undefined).join("-")))
    .description("Latency, traffic and errors per service from its SLO specs; saturation per namespace. Generated: do not edit in Grafana.")
    .tags([DASHBOARD_TAG, "golden-signals"])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .withVariable(datasourceVariable())
    .withVariable(
      new QueryVariableBuilder(NAMESPACE_VARIABLE)
        .label("Namespace")
        .datasource(DATASOURCE)
        .query(`label_values(${SATURATION_SERIES.resourceRequests}, namespace)`)
        .multi(true)
        .includeAll(true),
    );
  for (const service of [...new Set(slos.map((s) => s.slo.service))]) {
    const own = slos.filter((s) => s.slo.service === service);
    builder.withRow(new RowBuilder(service)).withPanel(latency(own)).withPanel(traffic(own)).withPanel(errors(own));
  }
  builder.withRow(new RowBuilder("Saturation"));
  for (const p of saturation()) builder.withPanel(p);
  return { name: "golden-signals", dashboard: toJson(builder.build()) };
}
