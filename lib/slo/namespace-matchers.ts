/**
 * SLI selectors pinned to namespaces. A selector without a `namespace` matcher reads the series of every namespace:
 * any pod the platform scrapes can export a look-alike (`job="checkout-api"` is a label a pod chooses), so forged
 * series can move the SLO, page its owners or hide an outage; and a team's rules, evaluated under prometheus-operator's
 * `enforcedNamespaceLabel`, see their own namespace only, so the selector does not mean what it says there either.
 * Checked with the official PromQL grammar, after validation: a warning, an error under `--strict`.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import type { SloDefinition, SloDiagnostic } from "./model";
import { fillWindow, sliQueries } from "./promql";
import { sourceField } from "./validate";

/** The label a selector must match to read named namespaces only. */
export const NAMESPACE_LABEL = "namespace";

/** A namespace name, or an alternation of names (`payments|payments-batch`), as a regular-expression matcher. */
const NAMESPACE_ALTERNATION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\|[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const strictParser = parser.configure({ strict: true });

/** True when the matcher pins named namespaces: `namespace="x"` or `namespace=~"x|y"` (a pattern of names, not `.+`). */
function pinsNamespaces(matcher: SyntaxNode, text: string): boolean {
  const name = matcher.getChild("LabelName");
  const op = matcher.getChild("MatchOp")?.firstChild?.type.name;
  const literal = matcher.getChild("StringLiteral");
  if (!name || !literal || text.slice(name.from, name.to) !== NAMESPACE_LABEL) return false;
  const value = text.slice(literal.from + 1, literal.to - 1);
  return (op === "EqlSingle" && value !== "") || (op === "EqlRegex" && NAMESPACE_ALTERNATION.test(value));
}

/**
 * The vector selectors of a query that read every namespace (no `namespace` matcher naming namespaces), as written.
 * @returns [] for a query that does not parse (validation reports it)
 */
export function selectorsWithoutNamespace(query: string): string[] {
  const text = fillWindow(query, "5m");
  let tree;
  try {
    tree = strictParser.parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.name !== "VectorSelector") return true;
      const matchers = n.node.getChild("LabelMatchers");
      const pinned = matchers !== null && matchers.getChildren("UnquotedLabelMatcher").some((m) => pinsNamespaces(m, text));
      if (!pinned) out.push(text.slice(n.from, n.to));
      return false;
    },
  });
  return out;
}


/**
 * One diagnostic per SLI query with a selector that reads every namespace, naming the file, the SLO, the field and the
 * selectors; the caller makes them warnings, or errors under `--strict`.
 */
export function namespaceMatcherDiagnostics(defs: readonly SloDefinition[]): SloDiagnostic[] {
  const out: SloDiagnostic[] = [];
  for (const def of defs) {
    for (const [key, query] of sliQueries(def)) {
      const open = selectorsWithoutNamespace(query);
      if (open.length === 0) continue;
      out.push({
        file: def.source.file,
        slo: def.id,
        field: sourceField(def, key),
        stage: "validate",
        message:
          `SLI selector ${open.map((s) => `\`${s}\``).join(", ")} has no ${NAMESPACE_LABEL} matcher: it reads every namespace's series, ` +
          `which any scraped pod can forge (and a team's rules see only their own namespace); add ${NAMESPACE_LABEL}="<the service's namespace>"`,
      });
    }
  }
  return out;
}
