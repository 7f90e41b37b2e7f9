/**
 * One Markdown runbook per generated SLO alert, written by the synth to `cdktf.out/runbooks/<env>/` in the
 * layout the alerts' `runbook_url` points at (`<service>/<slo>-<page|ticket>.md`, see
 * {@link runbookPath}). Everything in a runbook is derived from the compiled SLO, so it cannot drift from the
 * rule that links to it: what the alert means in numbers, its tier, the dashboard, the queries to run, and the
 * spec's own mitigation.
 */
import * as path from "node:path";
import type { CompiledSlo, CompileResult } from "../slo/compile";
import * as c from "../slo/conventions";
import { detectionText, formatPercent, summarizeSlo, type SloSummary } from "../slo/summary";
import { isPriority, PRIORITY_MEANING, type Priority } from "./priorities";

/** One generated runbook. */
export interface GeneratedRunbook {
  /** Path relative to the environment's runbook folder: `<service>/<slo>-<page|ticket>.md`. */
  readonly path: string;
  readonly markdown: string;
}

/** The dashboard a runbook links to. */
export interface RunbookDashboard {
  readonly uid: string;
  readonly title: string;
  /** File name of the dashboard's JSON beside the synth output (`slo-<service>.json`). */
  readonly file: string;
}

export interface RunbookOptions {
  readonly environment: string;
  /**
   * The generated dashboard of a service, if any.
   * @default - no dashboard section beyond the series to look at
   */
  readonly dashboardOf?: (service: string) => RunbookDashboard | undefined;
  /**
   * Grafana's URL, so dashboard links are absolute.
   * @default - links are Grafana paths (`/d/<uid>`)
   */
  readonly grafanaUrl?: string;
  /**
   * Spec paths are shown relative to this folder (the repository root).
   * @default - as the compiler was given them
   */
  readonly sourceRoot?: string;
}

/** Every enabled alert of every SLO, as a runbook. */
export function environmentRunbooks(result: CompileResult, opts: RunbookOptions): GeneratedRunbook[] {
  const out: GeneratedRunbook[] = [];
  for (const compiled of result.slos) {
    for (const severity of ["page", "ticket"] as const) {
      if (compiled.slo.alerting[severity].disabled) continue;
      out.push({ path: c.runbookPath(compiled.slo.service, compiled.slo.name, severity), markdown: renderRunbook(compiled, severity, opts) });
    }
  }
  return out;
}

/** The runbook of one alert. */
export function renderRunbook(compiled: CompiledSlo, severity: "page" | "ticket", opts: RunbookOptions): string {
  const d = compiled.slo;
  const summary = summarizeSlo(compiled);
  const priority = alertPriority(compiled, severity);
  const sel = (metric: string) => c.sloSelector(metric, c.identityLabels(d.service, d.name, d.id));
  const pairs = summary.pairs.filter((p) => p.severity === severity);
  const lines: string[] = [
    `# ${d.alerting.name} (${severity}): ${d.service} / ${d.name}, ${opts.environment}`,
    "",
    `Generated from \`${specFile(d.source.file, opts)}\` by the SLO compiler; edit the spec, not this file.`,
    "",
    "## What it means",
    "",
    ...(d.description ? [`${d.description}`, ""] : []),
    `Objective **${d.objective}%** over **${compiled.windows.period}**: an error budget of ${formatPercent(summary.budgetRatio)} ` +
      `of ${d.sli.kind === "availability" || d.sli.kind === "raw" ? "the SLI's samples" : "requests"}, ` +
      `${summary.budgetMinutes} minutes of total outage per period.`,
    "",
    `This ${severity === "page" ? "page" : "ticket"} fires when the error ratio is above the threshold over both the ` +
      "long and the short window of one of these pairs:",
    "",
    "| long / short window | budget spent when it fires | burn rate | error ratio above | total outage fires after |",
    "|---|---|---|---|---|",
    ...pairs.map((p) =>
      `| ${p.window.longWindow} / ${p.window.shortWindow} | ${p.window.budgetPercent}% | ${p.window.factor}× | ` +
        `${formatPercent(p.errorRatioThreshold)} | ${detectionText(p)} |`,
    ),
    "",
    ...budgetOutlook(summary, severity),
    "## Tier",
    "",
    priority === undefined
      ? "The spec gives this alert its own `priority` label, outside the platform's P0–P4 tiers: it is routed as an alert without a tier."
      : `**${priority}**: ${PRIORITY_MEANING[priority]}.`,
    "",
    "## Dashboard",
    "",
    ...dashboardLines(d.service, opts),
    "## Queries to run",
    "",
    "Error ratio over each window of this alert, against its threshold:",
    "",
    "```promql",
    ...pairs.flatMap((p) => [p.window.longWindow, p.window.shortWindow])
      .filter((w, i, all) => all.indexOf(w) === i)
      .map((w) => `max without (${c.LABEL_WINDOW}) (${sel(c.sliErrorRatio(w))})`),
    "```",
    "",
    "How fast the budget burns now (1 = exactly on budget), and how much of the period's budget is left:",
    "",
    "```promql",
    sel(c.CURRENT_BURN_RATE),
    sel(c.PERIOD_BUDGET_REMAINING),
    "```",
    "",
    ...rawQueries(compiled),
    "## Mitigation",
    "",
    ...(d.alerting.mitigation !== undefined
      ? [d.alerting.mitigation.trim(), ""]
      : [`The spec gives no mitigation. Add \`alerting.mitigation\` to the SLO \`${d.name}\` in \`${specFile(d.source.file, opts)}\`.`, ""]),
    "## Silencing",
    "",
    `Match \`${c.LABEL_ID}="${d.id}"\` and \`${c.LABEL_SEVERITY}="${severity}"\`. A silence hides the alert; the budget keeps burning.`,
    "",
  ];
  return lines.join("\n");
}

function specFile(file: string, opts: RunbookOptions): string {
  if (opts.sourceRoot === undefined || !path.isAbsolute(file)) return file;
  const rel = path.relative(opts.sourceRoot, file);
  return rel.startsWith("..") ? file : rel.split(path.sep).join("/");
}

/** The tier the alert carries: the spec's `priority` label, else the compiler's default for its severity. */
function alertPriority(compiled: CompiledSlo, severity: "page" | "ticket"): Priority | undefined {
  const a = compiled.slo.alerting;
  const label = a[severity].labels[c.LABEL_PRIORITY] ?? a.labels[c.LABEL_PRIORITY] ?? compiled.slo.labels[c.LABEL_PRIORITY];
  if (label === undefined) return c.ALERT_PRIORITY[severity];
  return isPriority(label) ? label : undefined;
}

function budgetOutlook(summary: SloSummary, severity: "page" | "ticket"): string[] {
  const fastest = summary.pairs.filter((p) => p.severity === severity && !p.disabled).sort((x, y) => y.window.factor - x.window.factor)[0];
  if (fastest === undefined) return [];
  const periodHours = summary.compiled.windows.periodHours;
  const hoursLeft = periodHours / fastest.window.factor;
  return [
    `At the ${fastest.window.factor}× burn rate of its fastest pair, the whole budget is gone in ` +
      `${hoursLeft >= 48 ? `${Number((hoursLeft / 24).toPrecision(3))} days` : `${Number(hoursLeft.toPrecision(3))} hours`}.`,
    "",
  ];
}

function dashboardLines(service: string, opts: RunbookOptions): string[] {
  const dash = opts.dashboardOf?.(service);
  if (dash === undefined) return ["No dashboard is generated for this service: look at the series under Queries to run.", ""];
  const path = `/d/${dash.uid}`;
  const link = opts.grafanaUrl === undefined ? `\`${path}\`` : `<${opts.grafanaUrl.replace(/\/+$/, "")}${path}>`;
  return [
    `Grafana: **${dash.title}**, ${link} (generated: \`observability/${opts.environment}/dashboards/${dash.file}\`). ` +
      "Its row for this SLO shows the budget left, the error ratio per window and the burn rates against both thresholds.",
    "",
  ];
}

/** The SLI's own queries over the base window, from the compiled base rules: what to break down by instance. */
function rawQueries(compiled: CompiledSlo): string[] {
  const base = compiled.groups[0]?.rules ?? [];
  const recorded = (name: string) => base.find((r) => "record" in r && r.record === name)?.expr;
  const errors = recorded(c.ERRORS_RATE);
  const total = recorded(c.REQUESTS_RATE);
  const ratio = recorded(c.sliErrorRatio(c.BASE_WINDOW));
  const blocks: [string, string][] =
    errors !== undefined && total !== undefined
      ? [["Bad events per second", errors], ["All events per second", total]]
      : ratio !== undefined
        ? [["Error ratio", ratio]]
        : [];
  if (blocks.length === 0) return [];
  return [
    `The SLI over the last ${c.BASE_WINDOW}, as the compiler records it (drop the outer aggregation to see which instance or route fails):`,
    "",
    ...blocks.flatMap(([title, expr]) => [`${title}:`, "", "```promql", expr.trim(), "```", ""]),
  ];
}
