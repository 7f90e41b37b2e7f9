/**
 * The `sre-platform slo report` table: per SLO, its budget and, per alert window pair, the burn-rate
 * threshold and how long a total outage (error ratio 1) takes to fire it.
 */
import type { CompileResult } from "../lib/slo/compile";
import { detectionText, formatPercent, summarizeSlo } from "../lib/slo/summary";

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => "  " + r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** The whole report as text, one block per SLO. */
export function renderReport(result: CompileResult, environment: string | undefined): string {
  const blocks: string[] = [];
  for (const c of result.slos) {
    const d = c.slo;
    const summary = summarizeSlo(c);
    const head = [
      `${d.id}  (${d.source.file}${environment ? `, environment ${environment}` : ""})`,
      ...(d.description ? [`  ${d.description}`] : []),
      `  SLI ${d.sli.kind}, objective ${d.objective}%, period ${c.period}, ` +
        `error budget ${formatPercent(summary.budgetRatio)} = ${summary.budgetMinutes} min`,
    ];
    const rows: string[][] = [["alert", "severity", "long/short", "budget used", "burn rate", "error ratio >", "total outage fires after"]];
    for (const p of summary.pairs) {
      rows.push([
        d.alerting.name,
        p.severity,
        `${p.window.longWindow}/${p.window.shortWindow}`,
        `${p.window.budgetPercent}%`,
        `${p.window.factor}`,
        formatPercent(p.errorRatioThreshold),
        detectionText(p),
      ]);
    }
    blocks.push([...head, table(rows)].join("\n"));
  }
  return blocks.join("\n\n") + "\n";
}
