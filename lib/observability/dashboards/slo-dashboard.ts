/**
 * One SLO dashboard per service, generated from its compiled SLOs. Per SLO, a row with: error budget left
 * and SLI over the period (stats), the SLI over every alert window, burn rates against the page and ticket
 * thresholds, the error budget remaining over the period, and the SLO's alerts firing by tier.
 * Every series name comes from lib/slo/conventions.ts.
 */
import { BigValueColorMode, BigValueGraphMode, GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, ReduceDataOptionsBuilder } from "@grafana/grafana-foundation-sdk/common";
import { DashboardBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode, type Threshold } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { CompiledSlo } from "../../slo/compile";
import * as c from "../../slo/conventions";
import { alertWindows } from "../../slo/windows";
import { LABEL_PRIORITY } from "../priorities";
import { num } from "../../slo/rules";
import { ALERTS_SERIES, DASHBOARD_TAG, dashboardUid, type GeneratedDashboard } from "./common";
import { DATASOURCE, datasourceVariable, legend, query, toJson } from "./private/sdk";

/** Options shared by the dashboard generators. */
export interface DashboardOptions {
  /**
   * Environment shown in titles and used in uids, so environments sharing one Grafana do not collide.
   * @default - none in titles or uids
   */
  readonly environment?: string;
}

const steps = (list: Threshold[]) => new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(list);
const lastValue = () => new ReduceDataOptionsBuilder().calcs(["lastNotNull"]);
const budgetOf = (s: CompiledSlo) => num((100 - s.slo.objective) / 100);
const refIds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `metric{sre_id="…"}` for one SLO, through the compiler's own selector. */
function sel(s: CompiledSlo, metric: string): string {
  return c.sloSelector(metric, c.identityLabels(s.slo.service, s.slo.name, s.slo.id));
}

/** The error ratio over a window, without the window label, so several windows can share a panel. */
function ratio(s: CompiledSlo, window: string): string {
  return `max without (${c.LABEL_WINDOW}) (${sel(s, c.sliErrorRatio(window))})`;
}

function budgetRemainingStat(s: CompiledSlo): StatPanel {
  return new StatPanel()
    .title("Error budget remaining")
    .description(`Share of the ${s.windows.period} error budget not yet spent.`)
    .datasource(DATASOURCE)
    .withTarget(query(sel(s, c.PERIOD_BUDGET_REMAINING), "remaining", "A"))
    .unit("percentunit")
    .decimals(1)
    .reduceOptions(lastValue())
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .thresholds(steps([{ value: null, color: "red" }, { value: 0, color: "orange" }, { value: 0.25, color: "green" }]))
    .span(6)
    .height(5);
}

function periodSliStat(s: CompiledSlo): StatPanel {
  const objective = s.slo.objective / 100;
  return new StatPanel()
    .title(`SLI over ${s.windows.period}`)
    .description(`Share of good events over the period; the objective is ${s.slo.objective}%.`)
    .datasource(DATASOURCE)
    .withTarget(query(`1 - ${ratio(s, s.windows.periodWindow)}`, "SLI", "A"))
    .unit("percentunit")
    .decimals(3)
    .reduceOptions(lastValue())
    .colorMode(BigValueColorMode.Value)
    .graphMode(BigValueGraphMode.Area)
    .thresholds(steps([{ value: null, color: "red" }, { value: objective, color: "green" }]))
    .span(6)
    .height(5);
}

function alertsFiringStat(s: CompiledSlo): StatPanel {
  const firing = `${ALERTS_SERIES}{alertstate="firing",${c.LABEL_ID}=${JSON.stringify(s.slo.id)}}`;
  return new StatPanel()
    .title("Alerts firing")
    .description("This SLO's page (P1) and ticket (P2) alerts that are firing now.")
    .datasource(DATASOURCE)
    .withTarget(query(`count by (${LABEL_PRIORITY}) (${firing})`, `{{${LABEL_PRIORITY}}}`, "A"))
    .noValue("none")
    .reduceOptions(lastValue())
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .thresholds(steps([{ value: null, color: "green" }, { value: 1, color: "red" }]))
    .span(12)
    .height(5);
}

function sliPerWindow(s: CompiledSlo): TimeseriesPanel {
  const panel = new TimeseriesPanel()
    .title("SLI per window")
    .description("Share of good events over each alert window; the line is the objective.")
    .datasource(DATASOURCE)
    .legend(legend())
    .unit("percentunit")
    .max(1)
    .thresholds(steps([{ value: null, color: "red" }, { value: s.slo.objective / 100, color: "green" }]))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
    .span(12)
    .height(8);
  alertWindows(s.windows).forEach((w, i) => panel.withTarget(query(`1 - ${ratio(s, w)}`, w, refIds[i]!)));
  return panel;
}

function burnRates(s: CompiledSlo): TimeseriesPanel {
  const budget = budgetOf(s);
  const pairs = [...s.windows.page, ...s.windows.ticket];
  const longWindows = [...new Set(pairs.map((p) => p.longWindow))];
  // One threshold line per alert pair: the burn-rate factor its long and short windows must both exceed.
  const factors = [...new Set(pairs.map((p) => p.factor))].sort((a, b) => a - b);
  const colour = (f: number) => (s.windows.page.some((p) => p.factor === f) ? "red" : "orange");
  const panel = new TimeseriesPanel()
    .title("Burn rate against alert thresholds")
    .description(
      `Error ratio over each long window divided by the error budget (${budget}). Page pairs: ` +
        s.windows.page.map((p) => `${p.longWindow}/${p.shortWindow} × ${p.factor}`).join(", ") +
        "; ticket pairs: " + s.windows.ticket.map((p) => `${p.longWindow}/${p.shortWindow} × ${p.factor}`).join(", ") + ".",
    )
    .datasource(DATASOURCE)
    .legend(legend())
    .thresholds(steps([{ value: null, color: "green" }, ...factors.map((f) => ({ value: f, color: colour(f) }))]))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
    .min(0)
    .span(12)
    .height(8);
  panel.withTarget(query(sel(s, c.CURRENT_BURN_RATE), c.BASE_WINDOW, "A"));
  longWindows.forEach((w, i) => panel.withTarget(query(`${ratio(s, w)} / ${budget}`, w, refIds[i + 1]!)));
  return panel;
}

function budgetOverPeriod(s: CompiledSlo): TimeseriesPanel {
  return new TimeseriesPanel()
    .title(`Error budget remaining over ${s.windows.period}`)
    .description("Below zero the SLO is breached for the period.")
    .datasource(DATASOURCE)
    .withTarget(query(sel(s, c.PERIOD_BUDGET_REMAINING), "remaining", "A"))
    .unit("percentunit")
    .thresholds(steps([{ value: null, color: "red" }, { value: 0, color: "green" }]))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.LineAndArea))
    .span(24)
    .height(7);
}

/** The SLO dashboard of one service. */
export function sloDashboard(service: string, slos: readonly CompiledSlo[], opts: DashboardOptions = {}): GeneratedDashboard {
  const own = slos.filter((s) => s.slo.service === service);
  if (own.length === 0) throw new Error(`sloDashboard: no SLO of service "${service}" was given`);
  const env = opts.environment;
  const builder = new DashboardBuilder(`SLOs / ${service}${env === undefined ? "" : ` (${env})`}`)
    .uid(dashboardUid(["slo", env, service].filter((x) => x !== undefined).join("-")))
    .description(`Generated from the SLO specs of ${service}. Do not edit in Grafana: changes are overwritten.`)
    .tags([DASHBOARD_TAG, "slo", service])
    .editable()
    .refresh("1m")
    .time({ from: "now-7d", to: "now" })
    .withVariable(datasourceVariable());
  for (const s of own) {
    builder
      .withRow(new RowBuilder(`${s.slo.name}: ${s.slo.objective}% over ${s.windows.period}`))
      .withPanel(budgetRemainingStat(s))
      .withPanel(periodSliStat(s))
      .withPanel(alertsFiringStat(s))
      .withPanel(sliPerWindow(s))
      .withPanel(burnRates(s))
      .withPanel(budgetOverPeriod(s));
  }
  return { name: `slo-${service}`, dashboard: toJson(builder.build()) };
}

/** One SLO dashboard per service, in the order services first appear. */
export function sloDashboards(slos: readonly CompiledSlo[], opts: DashboardOptions = {}): GeneratedDashboard[] {
  const services = [...new Set(slos.map((s) => s.slo.service))];
  return services.map((service) => sloDashboard(service, slos, opts));
}
