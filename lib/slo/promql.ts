/**
 * PromQL checks with the official grammar (`@prometheus-io/lezer-promql`, the parser behind the Prometheus
 * UI), so a query that would be refused by Prometheus is refused here, before any rule is written.
 *
 * The lezer grammar is syntactic only; on top of it we check the two type errors that SLO queries most often
 * contain and that promtool would otherwise report much later: a query whose result is a range vector or a
 * string, and a range-vector function (`rate`, `increase`, `*_over_time`, …) given an instant vector.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import type { Sli, SloDefinition } from "./model";

/** The placeholder that the compiler replaces by each alert window (`5m`, `1h`, …). */
export const WINDOW_PLACEHOLDER = "{{.window}}";

/** The window placeholder also written with spaces, as Go templates (Sloth) accept `{{ .window }}`. */
const WINDOW_RE = /\{\{\s*\.window\s*\}\}/g;
const ANY_TEMPLATE_RE = /\{\{[^}]*\}\}/g;

/** The duration substituted for the placeholder when a query is checked. */
const CHECK_WINDOW = "5m";

const strictParser = parser.configure({ strict: true });

/** True when the query contains `{{.window}}` (spaces inside the braces allowed). */
export function hasWindowPlaceholder(query: string): boolean {
  return new RegExp(WINDOW_RE.source).test(query);
}

/** Rewrites `{{ .window }}` to the canonical `{{.window}}` that later stages replace. */
export function normalizeWindowPlaceholder(query: string): string {
  return query.replace(WINDOW_RE, WINDOW_PLACEHOLDER);
}

/** Replaces every window placeholder by a Prometheus duration such as `5m`. */
export function fillWindow(query: string, window: string): string {
  return query.replace(WINDOW_RE, window);
}

/** Template expressions other than the window placeholder (`{{.service}}`, …), which nothing fills in. */
export function unknownTemplates(query: string): string[] {
  return (query.match(ANY_TEMPLATE_RE) ?? []).filter((t) => !new RegExp(WINDOW_RE.source).test(t));
}

/** Why a query is not valid PromQL. */
export interface PromqlProblem {
  readonly message: string;
  /** The query's line at the problem and a caret under its column (two lines), when there is a position. */
  readonly excerpt?: string;
}

/** Functions whose (first) argument must be a range vector. */
const RANGE_FUNCTIONS = new Set([
  "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "resets", "changes",
  "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "quantile_over_time",
  "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time",
  "mad_over_time", "holt_winters", "double_exponential_smoothing", "first_over_time", "ts_of_max_over_time",
  "ts_of_min_over_time", "ts_of_last_over_time",
]);
/** Node types that certainly evaluate to an instant vector or a scalar. */
const INSTANT_NODES = new Set(["VectorSelector", "AggregateExpr", "FunctionCall", "BinaryExpr", "NumberDurationLiteral", "UnaryExpr"]);

/**
 * Checks a PromQL expression. Window placeholders are replaced by `5m` first; positions in messages refer to
 * the query as written (placeholders included).
 * @returns undefined when the query is valid
 */
export function checkPromql(query: string): PromqlProblem | undefined {
  if (query.trim() === "") return { message: "query is empty" };
  const templates = unknownTemplates(query);
  if (templates.length > 0) {
    return { message: `unsupported template ${templates.map((t) => `"${t}"`).join(", ")}: only ${WINDOW_PLACEHOLDER} is replaced` };
  }
  const filled = fillWindow(query, CHECK_WINDOW);
  let tree;
  try {
    tree = strictParser.parse(filled);
  } catch (e) {
    const m = /No parse at (\d+)/.exec(String((e as Error).message));
    const at = m ? Number(m[1]) : 0;
    const offset = originalOffset(query, at);
    const where = describeAt(query, offset);
    const construct = notPromqlConstruct(filled, at);
    return {
      message: construct !== undefined ? `not valid PromQL: ${construct}, at ${where}` : `not valid PromQL: unexpected input at ${where}`,
      excerpt: excerptAt(query, offset),
    };
  }
  const top = tree.topNode.firstChild;
  if (!top) return { message: "query is empty" };
  const rangeOnExpression = rangeOnNonSelector(top, filled);
  if (rangeOnExpression !== undefined) return { message: rangeOnExpression };
  const topType = unwrapParens(top).type.name;
  if (topType === "MatrixSelector" || topType === "SubqueryExpr") {
    return { message: "query returns a range vector; a rule needs an instant vector, e.g. wrap it in rate(...)" };
  }
  if (topType === "StringLiteral") return { message: "query returns a string; a rule needs an instant vector" };
  return checkRangeArguments(top, filled, query);
}

/**
 * MetricsQL (VictoriaMetrics) accepts more than PromQL; Sloth users coming from it write these most often.
 * Named so the message says which construct to replace, not just where parsing stopped.
 */
const METRICSQL_FUNCTIONS = new Set([
  "histogram_share", "histogram_avg", "histogram_stddev", "histogram_stdvar", "histogram_quantiles", "prometheus_buckets", "buckets_limit",
  "range_avg", "range_first", "range_last", "range_max", "range_min", "range_median", "range_sum", "range_quantile",
  "rollup", "rollup_rate", "rollup_increase", "rollup_delta", "rollup_deriv", "rollup_candlestick", "rollup_scrape_interval",
  "keep_last_value", "keep_next_value", "interpolate", "running_avg", "running_max", "running_min", "running_sum",
  "label_set", "label_del", "label_keep", "label_copy", "label_move", "label_transform", "label_value", "label_match",
  "label_mismatch", "label_uppercase", "label_lowercase", "label_map", "increase_pure", "increase_prometheus", "rate_over_sum",
  "median_over_time", "tmin_over_time", "tmax_over_time", "tfirst_over_time", "tlast_change_over_time", "distinct_over_time",
  "share_le_over_time", "share_gt_over_time", "share_eq_over_time", "count_le_over_time", "count_gt_over_time",
  "count_eq_over_time", "count_ne_over_time", "sum2_over_time", "geomean_over_time", "integrate", "lifetime", "lag", "lead",
  "duration_over_time", "aggr_over_time", "ascent_over_time", "descent_over_time", "any", "median", "mode", "outliersk",
  "outliers_mad", "zscore", "zscore_over_time", "union", "alias", "ru", "ttf", "now", "start", "end", "step", "range_normalize",
  "remove_resets", "range_linear_regression", "increases_over_time", "decreases_over_time", "hoeffding_bound_lower",
  "hoeffding_bound_upper", "rand", "rand_normal", "rand_exponential", "sort_by_label_numeric", "drop_common_labels",
]);
const METRICSQL_WORDS: Readonly<Record<string, string>> = {
  default: "the default operator (x default 0) is",
  if: "the if operator is",
  ifnot: "the ifnot operator is",
  keep_metric_names: "the keep_metric_names modifier is",
  with: "WITH templates are",
  limit: "the limit clause of an aggregation is",
};

/** Which MetricsQL function or construct, if any, stopped the PromQL parser at `at`. */
function notPromqlConstruct(filled: string, at: number): string | undefined {
  const before = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(filled.slice(0, at))?.[1];
  const after = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(filled.slice(at))?.[1];
  const metricsql = " MetricsQL (VictoriaMetrics), not PromQL";
  for (const word of [after, before]) {
    if (word !== undefined && METRICSQL_WORDS[word.toLowerCase()] !== undefined) return `${METRICSQL_WORDS[word.toLowerCase()]}${metricsql}`;
  }
  if (/\[\s*[0-9.]+i\s*[:\]]/.test(filled)) return `step-based durations such as [5i] are${metricsql}`;
  if (before !== undefined && filled.slice(at).trimStart().startsWith("(")) {
    return METRICSQL_FUNCTIONS.has(before) ? `${before}() is a MetricsQL (VictoriaMetrics) function, not PromQL` : `unknown function ${before}(): not a PromQL function`;
  }
  return undefined;
}

/** `vector(1)[5m]` parses in the grammar but Prometheus refuses it; MetricsQL accepts it. */
function rangeOnNonSelector(root: SyntaxNode, filled: string): string | undefined {
  let found: string | undefined;
  root.cursor().iterate((n) => {
    if (found !== undefined) return false;
    if (n.type.name !== "MatrixSelector") return true;
    const inner = n.node.firstChild;
    if (inner && inner.type.name !== "VectorSelector") {
      const text = filled.slice(inner.from, inner.to);
      found = `not valid PromQL: a range after "${text.length > 40 ? `${text.slice(0, 37)}…` : text}" is MetricsQL (VictoriaMetrics); PromQL allows a range only after a metric selector (use a subquery such as (expr)[5m:] instead)`;
    }
    return true;
  });
  return found;
}

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type.name === "ParenExpr" && n.firstChild) n = n.firstChild;
  return n;
}

function checkRangeArguments(root: SyntaxNode, filled: string, query: string): PromqlProblem | undefined {
  let problem: PromqlProblem | undefined;
  const cursor = root.cursor();
  do {
    if (problem) break;
    if (cursor.type.name !== "FunctionCall") continue;
    const node = cursor.node;
    const ident = node.getChild("FunctionIdentifier");
    const body = node.getChild("FunctionCallBody");
    if (!ident || !body) continue;
    const fn = filled.slice(ident.from, ident.to);
    const arg = body.firstChild;
    if (RANGE_FUNCTIONS.has(fn) && arg && INSTANT_NODES.has(unwrapParens(arg).type.name)) {
      const offset = originalOffset(query, arg.from);
      problem = {
        message: `${fn}() needs a range vector such as metric[${WINDOW_PLACEHOLDER}], got an instant vector at ${describeAt(query, offset)}`,
        excerpt: excerptAt(query, offset),
      };
    }
  } while (cursor.next());
  return problem;
}

/** Maps an offset in the filled query back to the query as written. */
function originalOffset(query: string, filledOffset: number): number {
  const re = new RegExp(WINDOW_RE.source, "g");
  let shift = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    const filledStart = m.index - shift;
    if (filledStart >= filledOffset) break;
    if (filledStart + CHECK_WINDOW.length > filledOffset) return m.index;
    shift += m[0].length - CHECK_WINDOW.length;
  }
  return filledOffset + shift;
}

function describeAt(query: string, offset: number): string {
  const before = query.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const rest = query.slice(offset).split("\n")[0] ?? "";
  const near = rest.length === 0 ? "end of query" : `"${rest.length > 30 ? rest.slice(0, 30) + "…" : rest}"`;
  return `line ${line}, column ${column} (near ${near})`;
}

/**
 * The line of `query` holding `offset` and a caret under that column, for a terminal:
 * `sum(rate(x[5m])) +` / `                  ^`. Tabs stay tabs in the caret line so the caret lines up.
 */
export function excerptAt(query: string, offset: number): string {
  const start = query.lastIndexOf("\n", offset - 1) + 1;
  const end = query.indexOf("\n", offset);
  const line = query.slice(start, end < 0 ? undefined : end);
  const pad = line.slice(0, offset - start).replace(/[^\t]/g, " ");
  return `${line}\n${pad}^`;
}

/** Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*` (names starting with `__` are reserved). */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A plain vector selector split into its metric name and its matchers (without braces). */
export interface ParsedSelector {
  readonly metric: string;
  readonly matchers: string;
}

/**
 * Reads `name{a="b"}` as a plain vector selector.
 * @returns undefined when the query is anything else (a function, an operator, a range, no metric name)
 */
export function parseVectorSelector(query: string): ParsedSelector | undefined {
  let tree;
  try {
    tree = strictParser.parse(query.trim());
  } catch {
    return undefined;
  }
  const top = tree.topNode.firstChild;
  if (!top || top.type.name !== "VectorSelector" || top.nextSibling) return undefined;
  const ident = top.getChild("Identifier");
  if (!ident) return undefined;
  const text = query.trim();
  const matchers = top.getChild("LabelMatchers");
  const inner = matchers ? text.slice(matchers.from, matchers.to).trim().replace(/^\{/, "").replace(/\}$/, "").trim() : "";
  return { metric: text.slice(ident.from, ident.to), matchers: inner.replace(/,\s*$/, "") };
}

/** The label names used by the matchers of a selector such as `job="api",le="0.3"`. */
export function matcherLabelNames(matchers: string): string[] {
  let tree;
  try {
    tree = strictParser.parse(`{${matchers}}`);
  } catch {
    return [];
  }
  const names: string[] = [];
  const text = `{${matchers}}`;
  tree.iterate({
    enter: (n) => {
      if (n.type.name === "LabelName") names.push(text.slice(n.from, n.to));
    },
  });
  return names;
}

/** A problem of an SLI, keyed by the model path of the field (`sli.errorQuery`). */
export interface SliProblem {
  readonly key: string;
  readonly message: string;
  /** See {@link PromqlProblem.excerpt}. */
  readonly excerpt?: string;
}

/** Checks every query and name of an SLI (the checks that do not depend on the rest of the SLO). */
export function checkSli(sli: Sli | undefined): SliProblem[] {
  const out: SliProblem[] = [];
  const problem = (key: string, message: string, excerpt?: string): void => {
    out.push({ key, message, ...(excerpt !== undefined ? { excerpt } : {}) });
  };
  if (!sli || typeof sli !== "object") {
    problem("sli", "missing SLI: give one of events, raw, latency, availability");
    return out;
  }
  const windowed = (key: string, query: string): void => {
    if (typeof query !== "string" || query.trim() === "") {
      problem(key, "query is empty");
      return;
    }
    if (!hasWindowPlaceholder(query)) {
      problem(key, "missing {{.window}}: the range of every rate must be {{.window}} so each alert window gets its own query, e.g. sum(rate(http_requests_total[{{.window}}]))");
      return;
    }
    const p = checkPromql(query);
    if (p) problem(key, p.message, p.excerpt);
  };
  switch (sli.kind) {
    case "events":
      windowed("sli.errorQuery", sli.errorQuery);
      windowed("sli.totalQuery", sli.totalQuery);
      return out;
    case "raw":
      windowed("sli.errorRatioQuery", sli.errorRatioQuery);
      return out;
    case "availability": {
      if (hasWindowPlaceholder(sli.gaugeQuery)) {
        problem("sli.gaugeQuery", "remove {{.window}}: an availability SLI is an instant 0/1 gauge such as up{job=\"api\"}; the compiler averages it over each window");
        return out;
      }
      const p = checkPromql(sli.gaugeQuery);
      if (p) problem("sli.gaugeQuery", p.message, p.excerpt);
      return out;
    }
    case "latency": {
      if (!METRIC_NAME_RE.test(sli.metric)) {
        problem("sli.metric", `invalid metric name ${JSON.stringify(sli.metric)}: give the histogram's base name, e.g. http_request_duration_seconds`);
      } else if (/_(bucket|count|sum)$/.test(sli.metric)) {
        problem("sli.metric", `give the histogram's base name without the _bucket/_count/_sum suffix, e.g. ${sli.metric.replace(/_(bucket|count|sum)$/, "")}`);
      } else if (sli.selector.trim() !== "") {
        const p = checkPromql(`${sli.metric}_bucket{${sli.selector}}`);
        if (p) problem("sli.selector", `invalid label matchers ${JSON.stringify(sli.selector)} (write them without braces, e.g. job="api",route!="/health"): ${p.message}`);
        else if (matcherLabelNames(sli.selector).includes("le")) problem("sli.selector", "remove the le matcher: the bucket comes from threshold");
      }
      if (!/^([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)$/.test(sli.threshold) || !(Number(sli.threshold) > 0)) {
        problem("sli.threshold", `threshold must be a positive number written as the bucket's le label value (e.g. "0.3"), got ${JSON.stringify(sli.threshold)}`);
      }
      for (const l of sli.groupBy ?? []) {
        if (!LABEL_NAME_RE.test(l) || l === "le") problem("sli.groupBy", `invalid groupBy label ${JSON.stringify(l)}: a label name other than le`);
      }
      return out;
    }
    default:
      problem("sli", `unknown SLI kind ${JSON.stringify((sli as { kind?: unknown }).kind)}; allowed: events, raw, latency, availability`);
      return out;
  }
}

/** Each query of an SLI with its model path, as the compiler reads it. */
export function sliQueries(def: Pick<SloDefinition, "sli">): Array<[key: string, query: string]> {
  const sli = def.sli;
  switch (sli.kind) {
    case "events":
      return [["sli.errorQuery", sli.errorQuery], ["sli.totalQuery", sli.totalQuery]];
    case "raw":
      return [["sli.errorRatioQuery", sli.errorRatioQuery]];
    case "availability":
      return [["sli.gaugeQuery", sli.gaugeQuery]];
    case "latency":
      return [["sli.selector", `${sli.metric}{${sli.selector}}`]];
  }
}
