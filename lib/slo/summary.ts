/**
 * What an SLO's compiled alerts mean in numbers, computed once for every human-facing view of the compiler's
 * output: the `slo report` table, its HTML page and the generated runbooks.
 */
import type { CompiledSlo } from "./compile";
import { detectionSeconds, type AlertSeverityName, type BurnRateWindow } from "./windows";

/** One window pair of one alert, as a reader needs it. */
export interface WindowPairSummary {
  readonly severity: AlertSeverityName;
  readonly window: BurnRateWindow;
  /** The alert is disabled in the spec (or its environment override). */
  readonly disabled: boolean;
  /** The error ratio above which the pair fires: `factor × budget`. */
  readonly errorRatioThreshold: number;
  /** Seconds a total outage (error ratio 1) takes to fire the pair; `Infinity` when it never can. */
  readonly totalOutageSeconds: number;
}

/** One SLO: its budget and its alert pairs. */
export interface SloSummary {
  readonly compiled: CompiledSlo;
  /** The error budget as a ratio (`0.001` for 99.9 %). */
  readonly budgetRatio: number;
  /** The error budget in minutes of total outage per period. */
  readonly budgetMinutes: number;
  readonly pairs: readonly WindowPairSummary[];
}

/** `0.1% of 30d` in minutes, e.g. 43.2. */
export function budgetMinutes(objectivePercent: number, periodHours: number): number {
  return Number((((100 - objectivePercent) / 100) * periodHours * 60).toPrecision(6));
}

/** 51.84 → `52s`, 216 → `3m36s`, 5184 → `1h26m`, Infinity → `never`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "never";
  const total = Math.round(s);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${pad(total % 60)}s`;
  if (total < 86400) return `${Math.floor(total / 3600)}h${pad(Math.floor((total % 3600) / 60))}m`;
  return `${Math.floor(total / 86400)}d${pad(Math.floor((total % 86400) / 3600))}h`;
}

/** 0.0144 → `1.44%`. */
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(4))}%`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The numbers behind one compiled SLO's alerts. */
export function summarizeSlo(compiled: CompiledSlo): SloSummary {
  const d = compiled.slo;
  const budgetRatio = (100 - d.objective) / 100;
  const pairs: WindowPairSummary[] = [];
  for (const severity of ["page", "ticket"] as const) {
    for (const window of compiled.windows[severity]) {
      const errorRatioThreshold = window.factor * budgetRatio;
      pairs.push({
        severity,
        window,
        disabled: d.alerting[severity].disabled,
        errorRatioThreshold,
        totalOutageSeconds: detectionSeconds(d.objective, 1, window),
      });
    }
  }
  return { compiled, budgetRatio, budgetMinutes: budgetMinutes(d.objective, compiled.windows.periodHours), pairs };
}

/** The "total outage fires after" cell: the time, `disabled`, or why it never fires. */
export function detectionText(p: WindowPairSummary): string {
  if (p.disabled) return "disabled";
  if (p.errorRatioThreshold >= 1) return "never (threshold >= 100%)";
  return formatSeconds(p.totalOutageSeconds);
}
