/**
 * Burn-rate alert windows per SLO period, as data (stage `windows`).
 *
 * Every multi-window multi-burn-rate (MWMBR) alert pair is described by the share of the period's error
 * budget it lets burn before it fires, and by a long and a short window (SRE Workbook, ch. 5, Table 5-8).
 * The burn-rate factor is derived, never written by hand, exactly as Sloth derives it:
 *
 *     factor = budgetPercent × periodHours / 100 / longWindowHours
 *
 * so 2 % of a 30-day budget in 1 h is 2 × 720 / 100 / 1 = 14.4.
 *
 * Supported periods (anything else is refused with an {@link SloError}, stage `windows`, because a window
 * table that nobody reviewed would silently change how fast people get paged):
 * - `30d`: the Workbook table, 2 % / 5 % (page) and 10 % / 10 % (ticket) → 14.4, 6, 3, 1.
 * - `28d`: the same budget shares and windows (Sloth's embedded `google-28d`) → 13.44, 5.6, 2.8, 0.933.
 * - `7d`: the same windows with larger budget shares (8 %, 12.5 %, 20 %, 42 %) → 13.44, 3.5, 1.4, 0.98, the
 *   table used by Sloth's own 7-day test case (`sloth-golden/03-custom-windows-7d`). The 30-day shares
 *   would give a 3-day ticket factor of 0.23, which opens tickets for burns the budget easily absorbs.
 */
import { SloError, type SloPeriod } from "./model";

export type AlertSeverityName = "page" | "ticket";

/** One window pair of an MWMBR alert: fires when both windows burn faster than `factor`. */
export interface BurnRateWindow {
  readonly severity: AlertSeverityName;
  /** Share of the period's error budget spent when this pair fires at the threshold, in percent. */
  readonly budgetPercent: number;
  /** Long window as a Prometheus duration (`1h`). */
  readonly longWindow: string;
  /** Short window as a Prometheus duration (`5m`); it resets the alert quickly once errors stop. */
  readonly shortWindow: string;
  /** Burn-rate factor: the pair fires when the error ratio exceeds `factor × (1 − objective)`. */
  readonly factor: number;
}

/** The window table of one period. */
export interface PeriodWindows {
  readonly period: SloPeriod;
  /** The period as Prometheus formats a duration (`30d`, `4w`, `1w`), used in recording rule names. */
  readonly periodWindow: string;
  readonly periodHours: number;
  /** Fast burn: `[quick, slow]` pairs, either one pages. */
  readonly page: readonly [BurnRateWindow, BurnRateWindow];
  /** Slow burn: `[quick, slow]` pairs, either one opens a ticket. */
  readonly ticket: readonly [BurnRateWindow, BurnRateWindow];
}

interface WindowSpec {
  readonly budgetPercent: number;
  readonly longWindow: string;
  readonly shortWindow: string;
}

interface PeriodSpec {
  readonly periodWindow: string;
  readonly days: number;
  readonly page: readonly [WindowSpec, WindowSpec];
  readonly ticket: readonly [WindowSpec, WindowSpec];
}

const WORKBOOK_PAGE: readonly [WindowSpec, WindowSpec] = [
  { budgetPercent: 2, longWindow: "1h", shortWindow: "5m" },
  { budgetPercent: 5, longWindow: "6h", shortWindow: "30m" },
];
const WORKBOOK_TICKET: readonly [WindowSpec, WindowSpec] = [
  { budgetPercent: 10, longWindow: "1d", shortWindow: "2h" },
  { budgetPercent: 10, longWindow: "3d", shortWindow: "6h" },
];

/** The reviewed window tables. Add a period here (and a test) to support it. */
export const PERIOD_WINDOW_TABLE: Readonly<Record<SloPeriod, PeriodSpec>> = {
  "30d": { periodWindow: "30d", days: 30, page: WORKBOOK_PAGE, ticket: WORKBOOK_TICKET },
  "28d": { periodWindow: "4w", days: 28, page: WORKBOOK_PAGE, ticket: WORKBOOK_TICKET },
  "7d": {
    periodWindow: "1w",
    days: 7,
    page: [
      { budgetPercent: 8, longWindow: "1h", shortWindow: "5m" },
      { budgetPercent: 12.5, longWindow: "6h", shortWindow: "30m" },
    ],
    ticket: [
      { budgetPercent: 20, longWindow: "1d", shortWindow: "2h" },
      { budgetPercent: 42, longWindow: "3d", shortWindow: "6h" },
    ],
  },
};

/** The periods that have a window table. */
export const SUPPORTED_PERIODS: readonly SloPeriod[] = Object.keys(PERIOD_WINDOW_TABLE) as SloPeriod[];

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a simple Prometheus duration (`30s`, `5m`, `1h`, `3d`, `4w`). */
export function durationSeconds(d: string): number {
  const m = /^(\d+)([smhdw])$/.exec(d);
  if (!m) throw new Error(`not a simple Prometheus duration: ${JSON.stringify(d)}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

/** Rounds away binary noise (14.399999999999999 → 14.4) so rules and reports show what people expect. */
export function roundFactor(x: number): number {
  return Number(x.toPrecision(12));
}

/** `budgetPercent × periodHours / 100 / longWindowHours`. */
export function burnRateFactor(budgetPercent: number, periodHours: number, longWindow: string): number {
  return roundFactor((budgetPercent * periodHours) / 100 / (durationSeconds(longWindow) / 3600));
}

/**
 * The window table of a period, with derived factors.
 * @throws SloError (stage `windows`) for a period without a reviewed table.
 */
export function periodWindows(period: SloPeriod): PeriodWindows {
  const spec = (PERIOD_WINDOW_TABLE as Record<string, PeriodSpec | undefined>)[period];
  if (spec === undefined) {
    throw new SloError([
      {
        file: "<options>",
        field: "period",
        stage: "windows",
        message: `period ${JSON.stringify(period)} has no burn-rate window table; supported: ${SUPPORTED_PERIODS.join(", ")}`,
      },
    ]);
  }
  const periodHours = spec.days * 24;
  const pair = (severity: AlertSeverityName, s: WindowSpec): BurnRateWindow => ({
    severity,
    budgetPercent: s.budgetPercent,
    longWindow: s.longWindow,
    shortWindow: s.shortWindow,
    factor: burnRateFactor(s.budgetPercent, periodHours, s.longWindow),
  });
  return {
    period,
    periodWindow: spec.periodWindow,
    periodHours,
    page: [pair("page", spec.page[0]), pair("page", spec.page[1])],
    ticket: [pair("ticket", spec.ticket[0]), pair("ticket", spec.ticket[1])],
  };
}

/** Every distinct alert window of a table (short and long), shortest first. */
export function alertWindows(w: PeriodWindows): string[] {
  const all = [...w.page, ...w.ticket].flatMap((p) => [p.shortWindow, p.longWindow]);
  return [...new Set(all)].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/**
 * Time for a constant error ratio to fire a window pair, from the start of the errors, per the Workbook:
 * `(1 − objective) / errorRatio × longWindow × factor` (seconds). Infinity when the pair can never fire.
 */
export function detectionSeconds(objectivePercent: number, errorRatio: number, w: BurnRateWindow): number {
  const threshold = w.factor * ((100 - objectivePercent) / 100);
  if (errorRatio <= threshold) return Infinity;
  return (threshold / errorRatio) * durationSeconds(w.longWindow);
}
