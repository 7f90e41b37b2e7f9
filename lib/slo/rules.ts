/**
 * Stage `rules`: one SLO and its window table → Prometheus rule groups.
 *
 * The core idea (the full derivation and its error bound are in docs/slo-compiler.md):
 * only the 5-minute base window is computed from raw data. For events, latency and availability SLIs the
 * compiler records bad and total events per second over 5m (`sre_slo:errors:rate5m`,
 * `sre_slo:requests:rate5m`) every 30s; every longer window W is the TRAFFIC-WEIGHTED ratio of their averages
 *
 *     E(W) = max(avg_over_time(errors5m[W]), errors5m × 5m/W) / avg_over_time(requests5m[W])
 *
 * The average of 5m rates sampled over W counts every event in the last W except that the newest 5m is
 * under-weighted and the 5m before the window over-weighted (a trapezoid kernel): E(W) is a traffic-weighted
 * mix of the exact ratios of the W-windows ending in the last 5m, so it lags the exact window by at most 5m
 * and never leads it under steady traffic. The `max` with `errors5m × 5m/W` (the errors of the newest 5m,
 * which any window of at least 5m contains) removes most of that lag where it matters: at the start of an
 * outage, so a total outage pages within the Workbook detection time.
 *
 * Raw SLIs (a ratio query, no numerator/denominator) cannot be traffic-weighted: their windows are the
 * TIME-weighted `avg_over_time` of the recorded 5m ratio, exact for steady traffic and within a factor ρ of
 * the truth when traffic per 5m varies by a factor ρ inside the window (documented, and a reason to prefer
 * events SLIs).
 */
import type { AvailabilitySli, EventsSli, LatencySli, RawSli, SloDefinition } from "./model";
import * as c from "./conventions";
import { alertWindows, durationSeconds, roundFactor, type BurnRateWindow, type PeriodWindows } from "./windows";
import { fillWindow } from "./promql";
import { splitDivision } from "./promql-rewrite";

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval; absent means the Prometheus global `evaluation_interval`. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export interface RuleOptions {
  /** Base for default runbook links: `<runbookBaseUrl>/<service>/<slo>-<page|ticket>.md` (see `runbookPath`). */
  readonly runbookBaseUrl?: string;
}


/** Formats a number for PromQL without binary noise (`0.0009999999999999432` → `0.001`). */
export function num(x: number): string {
  return String(roundFactor(x));
}

/** Labels sorted by name, so output is byte-stable. */
function sorted(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k]!;
  return out;
}

/** Context shared by the builders of one SLO. */
interface Ctx {
  readonly def: SloDefinition;
  readonly windows: PeriodWindows;
  readonly ident: Record<string, string>;
  /** Spec labels + identity labels (identity wins). */
  readonly labels: Record<string, string>;
  readonly budget: number;
}

function sel(ctx: Ctx, metric: string): string {
  return c.sloSelector(metric, ctx.ident);
}

function rec(ctx: Ctx, record: string, expr: string, extra: Record<string, string> = {}): RecordingRule {
  return { record, expr, labels: sorted({ ...ctx.labels, ...extra }) };
}

const isSelector = (q: string): boolean => /^[a-zA-Z_:][a-zA-Z0-9_:]*\s*(\{[^{}]*\})?$/.test(q.trim());

/** Base-window rules recorded from raw data: requests and errors per second over 5m, then their ratio. */
function baseEventRules(ctx: Ctx): RecordingRule[] {
  const sli = ctx.def.sli;
  const w = c.BASE_WINDOW;
  const requests = sel(ctx, c.REQUESTS_RATE);
  let totalExpr: string;
  let errorExpr: string;
  switch (sli.kind) {
    case "events": {
      const s = sli as EventsSli;
      totalExpr = fillWindowTrimmed(s.totalQuery, w);
      // A group with no error series (nothing in it ever failed) must read as 0 errors, not as "no data".
      // Matching ignores only the labels this rule adds, so each group of `sum by (…)` gets its own 0.
      errorExpr = `(${fillWindowTrimmed(s.errorQuery, w)})\nor ignoring(${Object.keys(ctx.labels).sort().join(", ")})\n0 * ${requests}`;
      break;
    }
    case "latency": {
      const s = sli as LatencySli;
      const by = (s.groupBy ?? []).join(", ");
      const sum = by === "" ? "sum" : `sum by (${by})`;
      const matchers = (extra: string) => `{${[s.selector.trim(), extra].filter((x) => x !== "").join(",")}}`;
      totalExpr = `${sum} (rate(${s.metric}_count${matchers("")}[${w}]))`;
      const bucket = `${sum} (rate(${s.metric}_bucket${matchers(`le=${JSON.stringify(s.threshold)}`)}[${w}]))`;
      errorExpr = `clamp_min(\n  ${requests}\n  - on(${by})\n  ${bucket},\n  0\n)`;
      break;
    }
    case "availability": {
      const s = sli as AvailabilitySli;
      const range = isSelector(s.gaugeQuery) ? `${s.gaugeQuery.trim()}[${w}]` : `(${s.gaugeQuery.trim()})[${w}:]`;
      // Samples per second, and samples equal to 0 per second: the traffic-weighted ratio of the two over
      // any window is exactly the share of 0 samples, i.e. 1 − avg_over_time(gauge) across all targets.
      totalExpr = `sum(count_over_time(${range})) / ${c.BASE_WINDOW_SECONDS}`;
      errorExpr = `${requests}\n- on()\nsum(sum_over_time(${range})) / ${c.BASE_WINDOW_SECONDS}`;
      break;
    }
    default:
      throw new Error(`baseEventRules: unsupported SLI kind ${sli.kind}`);
  }
  return [
    rec(ctx, c.REQUESTS_RATE, totalExpr),
    rec(ctx, c.ERRORS_RATE, errorExpr),
    rec(ctx, c.sliErrorRatio(w), `${sel(ctx, c.ERRORS_RATE)}\n/ clamp_min(${requests}, ${c.TINY})`, {
      [c.LABEL_WINDOW]: w,
    }),
  ];
}

/**
 * Raw SLI: the only raw-data query. NaN (0/0 at zero traffic) and ±Inf (a counter reset seen in one series
 * only) are dropped, so they never poison the averages of longer windows.
 */
function baseRawRules(ctx: Ctx): RecordingRule[] {
  const q = fillWindowTrimmed((ctx.def.sli as RawSli).errorRatioQuery, c.BASE_WINDOW);
  // `errors / total`: a group that has traffic but no error series reads as 0, not as "no data".
  const total = splitDivision(q)?.denominator;
  const expr = total === undefined ? `(\n${q}\n) >= 0 < Inf` : `(\n${q}\n) >= 0 < Inf\nor\n0 * (${total} > 0)`;
  return [rec(ctx, c.sliErrorRatio(c.BASE_WINDOW), expr, { [c.LABEL_WINDOW]: c.BASE_WINDOW })];
}

/** The error ratio over a window longer than 5m, derived from the recorded base series. */
function derivedWindowExpr(ctx: Ctx, window: string, lagCompensation = true): string {
  const scale = `(${c.BASE_WINDOW_SECONDS} / ${durationSeconds(window)})`;
  if (ctx.def.sli.kind === "raw") {
    const r = sel(ctx, c.sliErrorRatio(c.BASE_WINDOW));
    if (!lagCompensation) return `avg_over_time(${r}[${window}])`;
    return `avg_over_time(${r}[${window}]) >= ${r} * ${scale}\nor\n${r} * ${scale}`;
  }
  const e = sel(ctx, c.ERRORS_RATE);
  const t = sel(ctx, c.REQUESTS_RATE);
  const errors = lagCompensation
    ? `(\n  avg_over_time(${e}[${window}]) >= ${e} * ${scale}\n  or\n  ${e} * ${scale}\n)`
    : `avg_over_time(${e}[${window}])`;
  return `${errors}\n/ clamp_min(avg_over_time(${t}[${window}]), ${c.TINY})`;
}

function pairExpr(ctx: Ctx, p: BurnRateWindow): string {
  const threshold = `(${num(p.factor)} * ${num(ctx.budget)})`;
  const side = (w: string) =>
    `max without (${c.LABEL_WINDOW}) (${sel(ctx, c.sliErrorRatio(w))} > ${threshold})`;
  return `(\n  ${side(p.shortWindow)}\n  and\n  ${side(p.longWindow)}\n)`;
}

function alertRule(ctx: Ctx, severity: "page" | "ticket"): AlertingRule | undefined {
  const a = ctx.def.alerting;
  const sev = a[severity];
  if (sev.disabled) return undefined;
  const pairs = ctx.windows[severity];
  const spend = pairs
    .map((p) => `${num(p.budgetPercent)}% of the budget in ${p.longWindow} (${p.shortWindow} confirms)`)
    .join(" or ");
  const annotations: Record<string, string> = {
    summary: c.defaultSummary(),
    title: c.defaultTitle(severity),
    description:
      `{{$labels.${c.LABEL_SERVICE}}} {{$labels.${c.LABEL_SLO}}} (objective ${ctx.def.objective}% over ` +
      `${ctx.windows.period}) is burning its error budget fast enough to spend ${spend}.`,
  };
  return {
    alert: a.name,
    expr: pairs.map((p) => pairExpr(ctx, p)).join("\nor\n"),
    labels: sorted({
      [c.LABEL_ALERTMANAGER_SEVERITY]: c.ALERTMANAGER_SEVERITY[severity],
      [c.LABEL_PRIORITY]: c.ALERT_PRIORITY[severity],
      ...a.labels,
      ...sev.labels,
      // Identity labels are on the series already; naming them here keeps two SLOs that share an alert
      // name distinct rules (promtool refuses duplicate alert rules with equal labels).
      ...ctx.ident,
      [c.LABEL_SEVERITY]: severity,
    }),
    annotations: sorted({ ...annotations, ...a.annotations, ...sev.annotations }),
  };
}

/**
 * Runbook link of one alert: the spec's, else the generated runbook under `base`
 * (`<base>/<service>/<slo>-<severity>.md`, the layout of `cdktf.out/runbooks/<env>/`), else none.
 */
export function runbookUrl(def: SloDefinition, severity: "page" | "ticket", base?: string): string | undefined {
  if (def.alerting.runbookUrl !== undefined && def.alerting.runbookUrl !== "") return def.alerting.runbookUrl;
  if (base === undefined || base === "") return undefined;
  const path = c.runbookPath(def.service, def.name, severity).split("/").map(encodeURIComponent).join("/");
  return `${base.replace(/\/+$/, "")}/${path}`;
}

/** All rule groups of one SLO: base (30s, raw data), alerts (1m, derived windows + alerts), period (5m). */
export function buildRuleGroups(def: SloDefinition, windows: PeriodWindows, opts: RuleOptions = {}): RuleGroup[] {
  const ident = c.identityLabels(def.service, def.name, def.id);
  const reserved = new Set(c.RESERVED_LABELS);
  const specLabels = Object.fromEntries(Object.entries(def.labels).filter(([k]) => !reserved.has(k)));
  const ctx: Ctx = {
    def,
    windows,
    ident,
    labels: { ...specLabels, ...ident },
    budget: roundFactor((100 - def.objective) / 100),
  };
  const budget = num(ctx.budget);
  const raw = def.sli.kind === "raw";
  const ratio5m = sel(ctx, c.sliErrorRatio(c.BASE_WINDOW));

  const base: Rule[] = [
    ...(raw ? baseRawRules(ctx) : baseEventRules(ctx)),
    rec(ctx, c.CURRENT_BURN_RATE, `max without (${c.LABEL_WINDOW}) (${ratio5m}) / ${budget}`),
  ];

  const alerts: Rule[] = alertWindows(windows)
    .filter((w) => w !== c.BASE_WINDOW)
    .map((w) => rec(ctx, c.sliErrorRatio(w), derivedWindowExpr(ctx, w), { [c.LABEL_WINDOW]: w }));
  for (const severity of ["page", "ticket"] as const) {
    const rule = alertRule(ctx, severity);
    if (rule === undefined) continue;
    const url = runbookUrl(def, severity, opts.runbookBaseUrl);
    alerts.push(url === undefined ? rule : { ...rule, annotations: sorted({ runbook_url: url, ...rule.annotations }) });
  }

  const pw = windows.periodWindow;
  const period: Rule[] = [
    rec(ctx, c.sliErrorRatio(pw), derivedWindowExpr(ctx, pw, false), { [c.LABEL_WINDOW]: pw }),
    rec(ctx, c.OBJECTIVE_RATIO, `vector(${num(def.objective / 100)})`),
    rec(ctx, c.ERROR_BUDGET_RATIO, `vector(${budget})`),
    rec(ctx, c.TIME_PERIOD_DAYS, `vector(${windows.periodHours / 24})`),
    rec(
      ctx,
      c.PERIOD_BURN_RATE,
      `max without (${c.LABEL_WINDOW}) (${sel(ctx, c.sliErrorRatio(pw))}) / ${budget}\nor on()\nvector(0)`,
    ),
    // Always a number: with no traffic the period ratio is 0 (clamp_min guard), and with no series at all
    // (a new service, or a raw SLI that never saw traffic) the remaining budget is the whole budget.
    rec(ctx, c.PERIOD_BUDGET_REMAINING, `1 - ${sel(ctx, c.PERIOD_BURN_RATE)}\nor on()\nvector(1)`),
    rec(ctx, c.SLO_INFO, "vector(1)", {
      sre_objective: String(def.objective),
      sre_period: windows.period,
      sre_sli_kind: def.sli.kind,
    }),
  ];

  return [
    { name: c.groupName(def.id, "base"), interval: c.GROUP_INTERVALS.base, rules: base },
    { name: c.groupName(def.id, "alerts"), interval: c.GROUP_INTERVALS.alerts, rules: alerts },
    { name: c.groupName(def.id, "period"), interval: c.GROUP_INTERVALS.period, rules: period },
  ];
}

/** The query with its window filled in, trimmed (multi-line YAML block scalars end with a newline). */
function fillWindowTrimmed(query: string, window: string): string {
  return fillWindow(query, window).trim();
}
