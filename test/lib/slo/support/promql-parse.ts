/**
 * PromQL in tests, read with the official grammar: a strict syntax check, and comparison of expressions by
 * parse tree, so that a test fails on a different window, matcher or operator but not on spacing, line
 * breaks or redundant parentheses.
 */
import { parser } from "@prometheus-io/lezer-promql";

const strict = parser.configure({ strict: true });
type SyntaxNode = ReturnType<typeof strict.parse>["topNode"];

/** Returns an error message, or undefined when `expr` parses. */
export function promqlSyntaxError(expr: string): string | undefined {
  try {
    strict.parse(expr);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Sloth's window placeholder is not PromQL; it stands in as this duration, which no test writes, while parsing. */
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;
const WINDOW_STAND_IN = "7777777s";

/**
 * The parse tree of `expr`, one node per line (`Name` or `Name "text"` for a leaf, indented by depth), with
 * parentheses left out: the tree already says how the expression groups, so `(a + b) * c` and `a + b * c`
 * still differ. `{{.window}}` is kept as written. Throws on a syntax error.
 */
export function promqlTree(expr: string): string {
  const text = expr.replace(WINDOW_PLACEHOLDER, WINDOW_STAND_IN);
  let tree;
  try {
    tree = strict.parse(text);
  } catch (e) {
    throw new Error(`not valid PromQL (${(e as Error).message}): ${expr}`);
  }
  const lines: string[] = [];
  const walk = (node: SyntaxNode, depth: number): void => {
    if (node.name === "ParenExpr") {
      for (let c = node.firstChild; c; c = c.nextSibling) walk(c, depth);
      return;
    }
    const leaf = node.firstChild === null;
    const value = text.slice(node.from, node.to);
    lines.push(`${"  ".repeat(depth)}${node.name}${leaf ? ` ${JSON.stringify(value === WINDOW_STAND_IN ? "{{.window}}" : value)}` : ""}`);
    for (let c = node.firstChild; c; c = c.nextSibling) walk(c, depth + 1);
  };
  walk(tree.topNode, 0);
  return lines.join("\n");
}

/** Why two expressions differ (the first differing node, with the path to it), or undefined when they do not. */
export function promqlDifference(actual: string, expected: string): string | undefined {
  const a = promqlTree(actual).split("\n");
  const e = promqlTree(expected).split("\n");
  const i = a.findIndex((line, k) => line !== e[k]);
  const at = i === -1 ? (a.length === e.length ? -1 : Math.min(a.length, e.length)) : i;
  if (at === -1) return undefined;
  return [
    "PromQL differs",
    `  actual:   ${actual}`,
    `  expected: ${expected}`,
    `  first difference at parse-tree line ${at + 1}:`,
    `    actual:   ${a[at]?.trim() ?? "(end of expression)"}`,
    `    expected: ${e[at]?.trim() ?? "(end of expression)"}`,
  ].join("\n");
}

/** Fails unless `actual` and `expected` have the same parse tree (spacing and parentheses aside). */
export function expectSamePromql(actual: string, expected: string): void {
  const difference = promqlDifference(actual, expected);
  if (difference !== undefined) throw new Error(difference);
}

/**
 * The same comparison inside `toEqual`/`toMatchObject`: `{ errorQuery: samePromql("sum(rate(e[{{.window}}]))") }`.
 * A value that is not a string, or not PromQL, does not match.
 */
export function samePromql(expected: string) {
  promqlTree(expected); // a broken expectation fails at once, not as a confusing mismatch
  return {
    $$typeof: Symbol.for("jest.asymmetricMatcher"),
    asymmetricMatch: (actual: unknown): boolean => {
      if (typeof actual !== "string") return false;
      try {
        return promqlDifference(actual, expected) === undefined;
      } catch {
        return false;
      }
    },
    toString: () => "samePromql",
    toAsymmetricMatcher: () => `samePromql(${JSON.stringify(expected)})`,
  };
}
