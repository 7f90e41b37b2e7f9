/**
 * `sre-platform slo report --html --out DIR`: the report as one static page, `DIR/index.html`, with no script
 * and nothing fetched: per service and SLO its objective and budget, the burn-rate table with detection times,
 * and a chart of when each alert fires as a function of the error ratio.
 *
 * The chart is log–log: a window pair with threshold `t` (an error ratio) and long window `L` fires after
 * `t / r × L` at a steady error ratio `r > t`, a straight line of slope −1 from `(t, L)` to `(100%, t × L)`;
 * at or below `t` it never fires (the dotted vertical line).
 */
import type { CompileResult } from "../lib/slo/compile";
import { detectionText, formatPercent, formatSeconds, summarizeSlo, type SloSummary, type WindowPairSummary } from "../lib/slo/summary";
import { durationSeconds } from "../lib/slo/windows";

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** The environment whose overrides were applied. @default - base objectives */
  readonly environment?: string;
  /** Shown in the header. @default - now */
  readonly generatedAt?: Date;
}

/** The page, as one HTML document. */
export function renderHtmlReport(result: CompileResult, opts: HtmlReportOptions = {}): string {
  const summaries = result.slos.map(summarizeSlo);
  const services = [...new Set(summaries.map((s) => s.compiled.slo.service))];
  const title = `SLO report${opts.environment ? `: ${opts.environment}` : ""}`;
  const body = services
    .map((service) => {
      const own = summaries.filter((s) => s.compiled.slo.service === service);
      return `<section class="service"><h2>${esc(service)}</h2>\n${own.map(sloCard).join("\n")}\n</section>`;
    })
    .join("\n");
  const when = (opts.generatedAt ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z");
  const scope = opts.environment ? `with the <code>${esc(opts.environment)}</code> overrides applied` : "base objectives (no environment overrides)";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">${plural(summaries.length, "SLO")} of ${plural(services.length, "service")}, ${scope} · generated ${esc(when)} by <code>sre-platform slo report --html</code></p>
<nav>${summaries.map((s) => `<a href="#${esc(s.compiled.slo.id)}">${esc(s.compiled.slo.id)}</a>`).join(" ")}</nav>
</header>
<main>
${body}
</main>
<footer>A window pair fires when the error ratio stays above its threshold over both of its windows. At a steady error ratio
<i>r</i> above the threshold <i>t</i> it fires after <i>t</i> / <i>r</i> × the long window. The error budget is (100% − objective)
of the period.</footer>
</body>
</html>
`;
}

function sloCard(s: SloSummary): string {
  const d = s.compiled.slo;
  const rows = s.pairs
    .map((p) =>
      `<tr${p.disabled ? ' class="disabled"' : ""}><td><span class="swatch" style="background:${colour(s, p)}"></span>${p.severity}</td>` +
        `<td>${p.window.longWindow} / ${p.window.shortWindow}</td><td class="num">${p.window.budgetPercent}%</td>` +
        `<td class="num">${p.window.factor}×</td><td class="num">${formatPercent(p.errorRatioThreshold)}</td>` +
        `<td class="num">${esc(detectionText(p))}</td></tr>`,
    )
    .join("\n");
  return `<article class="slo" id="${esc(d.id)}">
<h3>${esc(d.name)} <span class="objective">${d.objective}%</span> <span class="period">over ${esc(s.compiled.period)}</span></h3>
${d.description ? `<p class="description">${esc(d.description)}</p>` : ""}
<dl class="facts">
<div><dt>Error budget</dt><dd>${formatPercent(s.budgetRatio)} · ${s.budgetMinutes} min of total outage</dd></div>
<div><dt>SLI</dt><dd>${esc(d.sli.kind)}</dd></div>
<div><dt>Alert</dt><dd><code>${esc(d.alerting.name)}</code></dd></div>
<div><dt>Spec</dt><dd><code>${esc(d.source.file)}</code></dd></div>
</dl>
<div class="grid">
<table>
<thead><tr><th>alert</th><th>long / short</th><th>budget spent</th><th>burn rate</th><th>error ratio &gt;</th><th>total outage fires after</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${detectionChart(s)}
</div>
</article>`;
}

const COLOURS = { page: ["#c0392b", "#e67e22"], ticket: ["#2471a3", "#17a589"] } as const;

/** Page pairs in warm colours, ticket pairs in cool ones; the quick pair of each first. */
function colour(s: SloSummary, p: WindowPairSummary): string {
  return COLOURS[p.severity][s.pairs.filter((q) => q.severity === p.severity).indexOf(p)] ?? "#555";
}

/** Chart geometry. */
const W = 460;
const H = 280;
const M = { left: 66, right: 14, top: 12, bottom: 44 };

const TIME_TICKS = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 259200, 604800];

/** Time to fire against the error ratio, one line per window pair that can fire. */
export function detectionChart(s: SloSummary): string {
  const label = `Time to fire against a steady error ratio, ${s.compiled.slo.id}`;
  const drawn = s.pairs.filter((p) => p.errorRatioThreshold < 1);
  if (drawn.length === 0) {
    return `<figure class="chart"><figcaption>${esc(label)}</figcaption><p class="empty">No alert pair can fire: every threshold is 100% or more.</p></figure>`;
  }
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...drawn.map((p) => p.errorRatioThreshold)) / 1.5));
  const times = drawn.flatMap((p) => [durationSeconds(p.window.longWindow), p.totalOutageSeconds]);
  const yMin = Math.min(...times) / 1.6;
  const yMax = Math.max(...times) * 1.6;
  const x = (r: number) => M.left + (Math.log10(r / xMin) / Math.log10(1 / xMin)) * (W - M.left - M.right);
  const y = (t: number) => H - M.bottom - (Math.log10(t / yMin) / Math.log10(yMax / yMin)) * (H - M.top - M.bottom);

  const xTicks: number[] = [];
  for (let r = xMin; r <= 1.0001; r *= 10) xTicks.push(r);
  const yTicks = TIME_TICKS.filter((t) => t >= yMin && t <= yMax);
  const grid = [
    ...xTicks.map((r) =>
      `<line class="grid" x1="${n(x(r))}" x2="${n(x(r))}" y1="${M.top}" y2="${H - M.bottom}"/>` +
        `<text class="tick" x="${n(x(r))}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(formatPercent(r))}</text>`),
    ...yTicks.map((t) =>
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${n(y(t))}" y2="${n(y(t))}"/>` +
        `<text class="tick" x="${M.left - 6}" y="${n(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`),
  ].join("\n");
  // Pairs with equal `threshold × long window` share a line (the Workbook's two ticket pairs do): the slower pair is
  // drawn first and wider, so both colours stay visible.
  const ordered = [...drawn].sort((a, b) => durationSeconds(b.window.longWindow) - durationSeconds(a.window.longWindow));
  const lines = ordered
    .map((p, i) => {
      const t = p.errorRatioThreshold;
      const c = colour(s, p);
      const width = n(6 - (4 * i) / Math.max(1, ordered.length - 1));
      const dash = p.disabled ? ' stroke-dasharray="6 4" opacity="0.5"' : "";
      const tip = `${p.severity} ${p.window.longWindow}/${p.window.shortWindow}: fires above ${formatPercent(t)} errors; ` +
        `a total outage after ${formatSeconds(p.totalOutageSeconds)}${p.disabled ? " (disabled)" : ""}`;
      return `<g class="pair" data-severity="${p.severity}"><title>${esc(tip)}</title>` +
        `<line class="asymptote" x1="${n(x(t))}" x2="${n(x(t))}" y1="${M.top}" y2="${H - M.bottom}" stroke="${c}"/>` +
        `<path d="M${n(x(t))},${n(y(durationSeconds(p.window.longWindow)))} L${n(x(1))},${n(y(p.totalOutageSeconds))}" ` +
        `stroke="${c}" stroke-width="${width}" stroke-linecap="round" fill="none"${dash}/>` +
        `<circle cx="${n(x(1))}" cy="${n(y(p.totalOutageSeconds))}" r="4" fill="${c}"${dash}/></g>`;
    })
    .join("\n");
  const legend = drawn
    .map((p) => `<span><i style="background:${colour(s, p)}"></i>${p.severity} ${p.window.longWindow}/${p.window.shortWindow}${p.disabled ? " (disabled)" : ""}</span>`)
    .join("");
  return `<figure class="chart"><figcaption>Time to fire against a steady error ratio</figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">
<rect class="plot" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/>
${grid}
${lines}
<text class="axis" x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">error ratio (log)</text>
<text class="axis" transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">time to fire (log)</text>
</svg>
<div class="legend">${legend}</div></figure>`;
}

/** Axis labels: `30s`, `5m`, `6h`, `3d`. */
function tickLabel(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${seconds / 60}m`;
  if (seconds < 86400) return `${seconds / 3600}h`;
  return `${seconds / 86400}d`;
}

function n(v: number): string {
  return v.toFixed(1);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const CSS = `
:root { --ink: #1d2733; --muted: #5d6b7a; --line: #d9e0e7; --bg: #f5f7fa; --card: #fff; --accent: #2471a3; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 24px 32px 12px; background: var(--card); border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 24px; }
.meta { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
nav a { display: inline-block; margin: 0 6px 6px 0; padding: 2px 10px; border: 1px solid var(--line); border-radius: 12px; color: var(--accent); text-decoration: none; font-size: 13px; }
main { padding: 8px 32px 24px; max-width: 1280px; }
h2 { margin: 24px 0 8px; font-size: 19px; }
.slo { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 0 0 16px; }
h3 { margin: 0 0 6px; font-size: 17px; }
.objective { color: var(--accent); }
.period { color: var(--muted); font-weight: normal; font-size: 14px; }
.description { margin: 0 0 10px; color: var(--muted); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0 0 12px; }
.facts div { min-width: 120px; }
dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
dd { margin: 0; }
.grid { display: flex; flex-wrap: wrap; gap: 20px 32px; align-items: flex-start; }
table { border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 10px; }
td { border-bottom: 1px solid var(--line); padding: 6px 10px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.disabled td { color: #98a4b0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
figure.chart { margin: 0; }
figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
svg .plot { fill: #fbfcfd; stroke: var(--line); }
svg .grid { stroke: #e6ebf0; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .axis { font-size: 12px; fill: var(--ink); }
svg .asymptote { stroke-width: 1; stroke-dasharray: 2 3; opacity: .8; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 12px; color: var(--muted); padding-left: ${M.left}px; max-width: ${W}px; }
.legend i { display: inline-block; width: 14px; height: 4px; margin: 0 5px 3px 0; vertical-align: middle; }
.empty { color: var(--muted); }
footer { padding: 0 32px 32px; color: var(--muted); font-size: 13px; max-width: 1280px; }
code { font-size: 13px; }
`;
