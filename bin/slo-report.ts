/**
 * The `sre-platform slo report` table: per SLO, its budget and, per alert window pair, the burn-rate
 * threshold and how long a total outage (error ratio 1) takes to fire it.
 */
import type { CompileResult } from "../lib/slo/compile";
import { detectionSeconds } from "../lib/slo/windows";

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

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(4))}%`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => "  " + r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** The whole report as text, one block per SLO. */
export function renderReport(result: CompileResult, environment: string | undefined): string {
  const blocks: string[] = [];
  for (const c of result.slos) {
    const d = c.slo;
    const budget = (100 - d.objective) / 100;
    const head = [
      `${d.id}  (${d.source.file}${environment ? `, environment ${environment}` : ""})`,
      ...(d.description ? [`  ${d.description}`] : []),
      `  SLI ${d.sli.kind}, objective ${d.objective}%, period ${c.period}, ` +
        `error budget ${percent(budget)} = ${budgetMinutes(d.objective, c.windows.periodHours)} min`,
    ];
    const rows: string[][] = [["alert", "severity", "long/short", "budget used", "burn rate", "error ratio >", "total outage fires after"]];
    for (const severity of ["page", "ticket"] as const) {
      for (const w of c.windows[severity]) {
        const disabled = d.alerting[severity].disabled;
        const threshold = w.factor * budget;
        rows.push([
          d.alerting.name,
          severity,
          `${w.longWindow}/${w.shortWindow}`,
          `${w.budgetPercent}%`,
          `${w.factor}`,
          percent(threshold),
          disabled ? "disabled" : threshold >= 1 ? "never (threshold >= 100%)" : formatSeconds(detectionSeconds(d.objective, 1, w)),
        ]);
      }
    }
    blocks.push([...head, table(rows)].join("\n"));
  }
  return blocks.join("\n\n") + "\n";
}
