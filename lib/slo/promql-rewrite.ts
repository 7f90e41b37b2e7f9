/**
 * Rewrites of PARSED PromQL (official grammar, `@prometheus-io/lezer-promql`), never of the text with
 * regular expressions: a rewrite either understands every node of the query or refuses it, saying which
 * node and why.
 *
 * - {@link counterRates}: OpenSLO `ratioMetric.counter: true` queries select counters as instant vectors
 *   (`sum(http_requests_total{code="200"})`); each alert window needs their rate, so every selector becomes
 *   `rate(selector[{{.window}}])`. That is only correct where the query is LINEAR in its counters (`sum`,
 *   `+`, `-`): the rate of a sum is the sum of the rates, but the rate of a `max`, a ratio or a comparison
 *   is not the same expression of the rates. Anything else is refused.
 * - {@link splitDivision}: `errors / total` at the top of a query, so a raw ratio can fall back to 0 per group.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import { WINDOW_PLACEHOLDER } from "./promql";

const strictParser = parser.configure({ strict: true });

/** The result of {@link counterRates}: the rewritten query, or why the query cannot be rewritten safely. */
export type CounterRewrite = { readonly query: string } | { readonly refused: string };

class Refusal extends Error {}

/** Functions that already turn a counter into a per-window rate or increase. */
const RATE_FUNCTIONS = new Set(["rate", "irate", "increase", "delta", "idelta", "resets"]);

/**
 * `sum(http_requests_total{code="200"})` → `sum(rate(http_requests_total{code="200"}[{{.window}}]))`.
 * A query without any aggregation (a bare selector, or `a + b`) is summed over all its series, as the ratio
 * of two OpenSLO queries is a ratio of totals.
 * @param allowRatio also accept one top-level `a / b` of two such expressions (an OpenSLO `raw` ratio)
 */
export function counterRates(query: string, allowRatio = false): CounterRewrite {
  const text = query.trim();
  let tree;
  try {
    tree = strictParser.parse(text);
  } catch {
    return { refused: "the query is not valid PromQL" };
  }
  const top = tree.topNode.firstChild;
  if (!top) return { refused: "the query is empty" };
  try {
    const inner = unwrapParens(top);
    if (allowRatio && inner.type.name === "BinaryExpr" && operatorOf(inner) === "Div" && plainOperator(inner)) {
      const [a, b] = operands(inner);
      return { query: `${summed(text, a!)}\n/\n${summed(text, b!)}` };
    }
    return { query: summed(text, top) };
  } catch (e) {
    if (e instanceof Refusal) return { refused: e.message };
    throw e;
  }
}

function summed(text: string, node: SyntaxNode): string {
  const out = rewrite(text, node);
  return hasAggregation(node) ? out : `sum(${out})`;
}

function hasAggregation(node: SyntaxNode): boolean {
  let found = false;
  node.cursor().iterate((n) => {
    if (n.type.name === "AggregateExpr") found = true;
    return !found;
  });
  return found;
}

/** The node's text with each rewritable child replaced; throws a Refusal naming what cannot be rewritten. */
function rewrite(text: string, node: SyntaxNode): string {
  const src = text.slice(node.from, node.to);
  switch (node.type.name) {
    case "VectorSelector":
      return `rate(${src}[${WINDOW_PLACEHOLDER}])`;
    case "ParenExpr":
      return `(${rewrite(text, node.firstChild!)})`;
    case "AggregateExpr": {
      const op = text.slice(node.getChild("AggregateOp")!.from, node.getChild("AggregateOp")!.to);
      if (op !== "sum") {
        throw new Refusal(`${op}() over counters: the rate of a ${op} is not the ${op} of the rates (only sum, + and - can be rewritten)`);
      }
      const body = node.getChild("FunctionCallBody")!;
      return replaceChild(text, node, body.firstChild!, rewrite(text, body.firstChild!));
    }
    case "BinaryExpr": {
      const op = operatorOf(node);
      if (op !== "Add" && op !== "Sub") {
        const opNode = operands(node)[0]!.nextSibling!;
        const written = text.slice(opNode.from, opNode.to);
        throw new Refusal(`the operator "${written}" between counters: only + and - keep the rate of the result equal to the result of the rates`);
      }
      const [a, b] = operands(node);
      let out = replaceChild(text, node, b!, rewrite(text, b!));
      out = `${rewrite(text, a!)}${out.slice(a!.to - node.from)}`;
      return out;
    }
    case "FunctionCall": {
      const fn = text.slice(node.getChild("FunctionIdentifier")!.from, node.getChild("FunctionIdentifier")!.to);
      if (RATE_FUNCTIONS.has(fn)) {
        throw new Refusal(`${fn}() is already applied, over a fixed range; with counter: true give the counter itself (e.g. sum(http_requests_total{job="api"})), or write the range as ${WINDOW_PLACEHOLDER}`);
      }
      throw new Refusal(`${fn}() of a counter's raw value: its rate cannot be derived from the rates of the counters`);
    }
    case "OffsetExpr":
    case "StepInvariantExpr":
      throw new Refusal(`the ${node.type.name === "OffsetExpr" ? "offset" : "@"} modifier in "${src}": write the rate yourself with ${WINDOW_PLACEHOLDER}`);
    case "MatrixSelector":
    case "SubqueryExpr":
      throw new Refusal(`the range in "${src}": a counter query selects instant values; the compiler adds the range ${WINDOW_PLACEHOLDER}`);
    case "NumberDurationLiteral":
    case "UnaryExpr":
      throw new Refusal(`"${src}" is not a counter: only counter selectors combined with sum, + and - can be rewritten`);
    default:
      throw new Refusal(`"${src}" (${node.type.name}) cannot be rewritten into a rate`);
  }
}

function replaceChild(text: string, parent: SyntaxNode, child: SyntaxNode, replacement: string): string {
  return text.slice(parent.from, child.from) + replacement + text.slice(child.to, parent.to);
}

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type.name === "ParenExpr" && n.firstChild) n = n.firstChild;
  return n;
}

const EXPRESSION_CHILD = /Expr$|Selector$|Literal$|^FunctionCall$/;

/** The two operand nodes of a binary expression. */
function operands(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (EXPRESSION_CHILD.test(c.type.name)) out.push(c);
  return out;
}

/** The operator token of a binary expression (`Add`, `Sub`, `Div`, …). */
function operatorOf(node: SyntaxNode): string {
  const [a] = operands(node);
  return a?.nextSibling?.type.name ?? "";
}

/** True for an operator without `bool`, `on(…)`/`ignoring(…)` or `group_left`/`group_right`. */
function plainOperator(node: SyntaxNode): boolean {
  return node.getChild("BoolModifier") === null && node.getChild("MatchingModifierClause") === null;
}

/**
 * `A / B` at the top of a query (parentheses allowed), with a vector denominator and no matching modifier.
 * @returns the operands' text, or undefined for any other shape
 */
export function splitDivision(query: string): { numerator: string; denominator: string } | undefined {
  let tree;
  try {
    tree = strictParser.parse(query);
  } catch {
    return undefined;
  }
  const top = tree.topNode.firstChild;
  if (!top) return undefined;
  const node = unwrapParens(top);
  if (node.type.name !== "BinaryExpr" || operatorOf(node) !== "Div" || !plainOperator(node)) return undefined;
  const [a, b] = operands(node);
  if (!a || !b || !isVector(query, b)) return undefined;
  return { numerator: query.slice(a.from, a.to), denominator: query.slice(b.from, b.to) };
}

/** Functions that return a scalar: `x / scalar(…)` has no per-group denominator to fall back on. */
const SCALAR_FUNCTIONS = new Set(["scalar", "time", "pi"]);

function isVector(query: string, node: SyntaxNode): boolean {
  const n = unwrapParens(node);
  if (n.type.name === "NumberDurationLiteral" || n.type.name === "UnaryExpr") return false;
  if (n.type.name === "FunctionCall") {
    const ident = n.getChild("FunctionIdentifier")!;
    return !SCALAR_FUNCTIONS.has(query.slice(ident.from, ident.to));
  }
  if (n.type.name === "BinaryExpr") return operands(n).some((o) => isVector(query, o));
  return true;
}

/** The result of {@link withMatcher}: the narrowed query, or why it cannot be narrowed. */
export type MatcherRewrite = { readonly query: string } | { readonly refused: string };

/**
 * Adds the equality matcher `name="value"` to every vector selector of a query, so the same expression reads only the
 * series of one subset (the canary's pods): `sum(rate(http_requests_total{job="api"}[5m]))` →
 * `sum(rate(http_requests_total{job="api",rollouts_pod_template_hash="abc"}[5m]))`. Every selector is narrowed, the
 * numerator's and the denominator's alike, so a ratio stays a ratio of the same subset. A selector that already matches
 * on `name` is refused: the query would then select another subset than the one asked for, or none.
 * @param query PromQL with its window filled in (no `{{.window}}`)
 * @param value written as a PromQL string literal; may hold an Argo Rollouts placeholder such as `{{args.canary-hash}}`
 */
export function withMatcher(query: string, name: string, value: string): MatcherRewrite {
  const text = query.trim();
  let tree;
  try {
    tree = strictParser.parse(text);
  } catch {
    return { refused: "the query is not valid PromQL" };
  }
  const matcher = `${name}=${JSON.stringify(value)}`;
  const edits: Array<{ at: number; insert: string }> = [];
  let refused: string | undefined;
  tree.cursor().iterate((n) => {
    if (refused !== undefined) return false;
    if (n.type.name !== "VectorSelector") return true;
    const selector = n.node;
    const matchers = selector.getChild("LabelMatchers");
    if (matchers === null) {
      edits.push({ at: selector.to, insert: `{${matcher}}` });
      return false;
    }
    for (let m = matchers.firstChild; m; m = m.nextSibling) {
      const label = m.getChild("LabelName");
      if (label !== null && text.slice(label.from, label.to) === name) {
        refused = `the selector "${text.slice(selector.from, selector.to)}" already matches on ${name}; the query must select every pod of the service`;
      }
    }
    const inside = text.slice(matchers.from + 1, matchers.to - 1).trim();
    edits.push({ at: matchers.to - 1, insert: inside === "" || inside.endsWith(",") ? matcher : `,${matcher}` });
    return false;
  });
  if (refused !== undefined) return { refused };
  if (edits.length === 0) return { refused: "the query selects no series" };
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at);
  return { query: out };
}
