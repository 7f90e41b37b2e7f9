/**
 * `sre-platform cost <env>`: the environment's sizing (nodes by pool, NAT gateways, interface endpoints, storage,
 * managed services) with an estimated monthly cost from the dated list prices in `lib/cost/prices.ts`, and its budget;
 * from the configuration alone (no AWS call, no synth).
 */
import { parseArgs } from "node:util";
import { closest } from "../lib/did-you-mean";
import type { CostEstimate, CostLine } from "../lib/cost/sizing";

/** The help of `sre-platform cost`. */
export const COST_HELP = `Usage: sre-platform cost <environment> [--format text|json]

Prints what the environment runs and what it costs a month, from its configuration alone (no AWS call): nodes by
pool (instance types, min/desired/max, capacity type), NAT gateways, interface endpoints (count × AZs), the ingress
load balancer, EFS and S3, the EKS control plane and KMS keys, each with an estimate at the configured size and at
the largest size the configuration allows, and the environment's budget (cost.budget). Prices are the on-demand list
prices of lib/cost/prices.ts (dated; spot priced at on-demand): an estimate, not a quote. A warning goes to stderr
when the estimate exceeds the budget. Runs inside the sre-platform repository (it reads environments/).

Options:
  --format text|json   a table (default), or the same as JSON
  -h, --help           show this help
`;

const FORMATS = ["text", "json"] as const;

/** A problem with the command line: exit 2 with this message. */
export class CostUsageError extends Error {}

/** What `sre-platform cost` was asked for. */
export interface CostArgs {
  readonly environment: string;
  readonly format: (typeof FORMATS)[number];
}

/** ` (did you mean "prod"?)` when `word` is a near miss of one of `allowed`. */
function didYouMean(word: string, allowed: readonly string[]): string {
  const meant = closest(word, allowed);
  return meant !== undefined ? ` (did you mean "${meant}"?)` : "";
}

/** Parses `cost` arguments; `undefined` means help was asked for. */
export function parseCostArgs(args: readonly string[], known: readonly string[]): CostArgs | undefined {
  let values: { format?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...args], options: { format: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new CostUsageError(`unknown option ${flag}${didYouMean(flag, ["--format", "--help"])}; allowed: --format, --help`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new CostUsageError(`option ${flag.replace(/ <value>$/, "")} needs a value`);
    throw new CostUsageError((e as Error).message);
  }
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new CostUsageError(`cost takes one environment, got ${positionals.length === 0 ? "none" : positionals.join(" ")}; allowed: ${known.join(", ")}`);
  }
  const environment = positionals[0]!;
  if (!known.includes(environment)) throw new CostUsageError(`unknown environment ${JSON.stringify(environment)}${didYouMean(environment, known)}; allowed: ${known.join(", ")}`);
  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) throw new CostUsageError(`invalid --format ${JSON.stringify(format)}${didYouMean(format, FORMATS)}; allowed: ${FORMATS.join(", ")}`);
  return { environment, format: format as CostArgs["format"] };
}

const usd = (n: number | undefined): string => (n === undefined ? "—" : n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** The estimate as a table, one section per kind, the totals and the budget last. */
export function renderCostText(e: CostEstimate): string {
  const header = ["component", "count", "monthly USD", "at max USD", "sizing"];
  const row = (l: CostLine) => [l.component, String(l.count), usd(l.monthlyUsd), usd(l.maxMonthlyUsd), l.detail];
  const rows: string[][] = [];
  let section = "";
  for (const l of e.lines) {
    if (l.section !== section) rows.push([`${l.section}:`, "", "", "", ""]);
    section = l.section;
    rows.push(row(l).map((cell, i) => (i === 0 ? `  ${cell}` : cell)));
  }
  rows.push(["total", "", usd(e.monthlyUsd), usd(e.maxMonthlyUsd), e.monthlyUsd === undefined ? `no prices for ${e.region}` : ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((cell, i) => (i === 1 || i === 2 || i === 3 ? cell.padStart(widths[i]!) : i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  const lines = [
    `${e.environment} (${e.region}): estimated monthly cost in US dollars, on-demand list prices of ${e.priceDate} (lib/cost/prices.ts); an estimate, not a quote`,
    "",
    fmt(header),
    ...rows.map(fmt),
    "",
    e.budget
      ? `budget: ${usd(e.budget.monthlyLimitUsd)} a month (${e.budget.filter}); notifies at ${e.budget.thresholds.map((t) => `${t.percent}% ${t.type.toLowerCase()}`).join(", ")}`
      : "budget: none (cost.budget)",
    ...(e.budget && e.monthlyUsd !== undefined ? [`estimate: ${Math.round((e.monthlyUsd / e.budget.monthlyLimitUsd) * 100)}% of the budget at the configured size, ${Math.round(((e.maxMonthlyUsd ?? 0) / e.budget.monthlyLimitUsd) * 100)}% at the largest`] : []),
    `not estimated: ${e.notEstimated.join("; ")}`,
  ];
  return `${lines.join("\n")}\n`;
}
