/**
 * The part of a rule file that some expressions can read: the rules whose output series those expressions select,
 * directly or through other rules. A rule no such rule reads cannot change any value they see, so a promtool proof
 * about those expressions may leave it out, which spares promtool re-reading the whole history for it at every
 * evaluation (a 3-day or 30-day window costs far more than the rest of the file).
 *
 * "Selects" is decided per selector on the metric name AND the labels a rule always sets: a recording rule writes
 * series named after `record` carrying its static `labels:` (they override whatever the expression returns), an
 * alerting rule writes `ALERTS` and `ALERTS_FOR_STATE` with `alertname` and its static labels. So
 * `slo:sli_error:ratio_rate1h{sre_id="a"}` reads no rule whose `labels:` say `sre_id: b`, but may read every rule
 * that records that name without setting `sre_id`. Anything not known statically (a label the expression
 * returns, a templated alert label, a regex JavaScript cannot compile, a quoted metric name) counts as a match:
 * the subset can keep too much, never too little.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import { parse, stringify } from "yaml";

interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}
interface Group {
  readonly name: string;
  readonly rules: readonly Rule[];
  readonly [key: string]: unknown;
}

/** One label matcher of a vector selector; the metric name is a `__name__` matcher. */
export interface Matcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

const strictParser = parser.configure({ strict: true });
const OPS: Readonly<Record<string, Matcher["op"]>> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

/** A PromQL string literal's value, or undefined when it uses escapes this reader does not decode. */
function stringValue(text: string): string | undefined {
  const quote = text[0];
  const body = text.slice(1, -1);
  if (quote === "`") return body;
  if (!body.includes("\\")) return body;
  if (quote === '"') {
    try {
      return JSON.parse(text) as string;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function matcherOf(expr: string, node: SyntaxNode): Matcher | undefined {
  if (node.type.name !== "UnquotedLabelMatcher") return undefined; // quoted names: unknown, so no constraint
  const label = node.getChild("LabelName");
  const op = node.getChild("MatchOp")?.firstChild;
  const literal = node.getChild("StringLiteral");
  if (!label || !op || !literal || OPS[op.type.name] === undefined) return undefined;
  const value = stringValue(expr.slice(literal.from, literal.to));
  return value === undefined ? undefined : { label: expr.slice(label.from, label.to), op: OPS[op.type.name]!, value };
}

/** Every vector selector of `expr` (instant or inside a range), as the matchers it is sure to apply. */
export function selectorsIn(expr: string): Matcher[][] {
  let tree;
  try {
    tree = strictParser.parse(expr);
  } catch (e) {
    throw new Error(`not valid PromQL, so its reads are unknown: ${(e as Error).message}\n${expr}`);
  }
  const out: Matcher[][] = [];
  tree.cursor().iterate((n) => {
    if (n.type.name !== "VectorSelector") return true;
    const matchers: Matcher[] = [];
    const name = n.node.getChild("Identifier");
    if (name) matchers.push({ label: "__name__", op: "=", value: expr.slice(name.from, name.to) });
    for (let c = n.node.getChild("LabelMatchers")?.firstChild; c; c = c.nextSibling) {
      const m = matcherOf(expr, c);
      if (m) matchers.push(m);
    }
    out.push(matchers);
    return false;
  });
  return out;
}

/** A series a rule writes: its name and the labels it always carries (undefined = not known statically). */
interface Output {
  readonly name: string;
  readonly labels: Readonly<Record<string, string | undefined>>;
}

function outputsOf(rule: Rule): Output[] {
  const labels: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(rule.labels ?? {})) labels[k] = String(v).includes("{{") ? undefined : String(v);
  if (rule.record !== undefined) return [{ name: rule.record, labels }];
  const alertLabels = { ...labels, alertname: rule.alert! };
  return [{ name: "ALERTS", labels: alertLabels }, { name: "ALERTS_FOR_STATE", labels: alertLabels }];
}

function accepts(m: Matcher, value: string): boolean {
  if (m.op === "=") return value === m.value;
  if (m.op === "!=") return value !== m.value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`, "s");
  } catch {
    return true; // a Go regex JavaScript cannot read: assume it may match
  }
  return re.test(value) === (m.op === "=~");
}

/** True unless one of the selector's matchers contradicts something the output always carries. */
export function mayRead(selector: readonly Matcher[], out: Output): boolean {
  return selector.every((m) => {
    const value = m.label === "__name__" ? out.name : out.labels[m.label];
    return value === undefined || accepts(m, value);
  });
}

export interface RuleSubset {
  /** The rule file with only the rules read; groups left empty are dropped, the others keep their order. */
  readonly rules: string;
  readonly groupOrder: readonly string[];
  /** Rules left out, as their `record` or `alert` name (one entry per rule). */
  readonly dropped: readonly string[];
  /** Alerting rules kept. */
  readonly alerts: number;
}

/** The rules that `exprs` read, directly or through the rules they read, in their groups. */
export function readSubset(rulesYaml: string, exprs: readonly string[]): RuleSubset {
  const groups = (parse(rulesYaml) as { groups: Group[] }).groups;
  const all = groups.flatMap((g) => g.rules);
  const outputs = new Map(all.map((r) => [r, outputsOf(r)] as const));
  const kept = new Set<Rule>();
  const pending = exprs.flatMap(selectorsIn);
  for (let sel = pending.pop(); sel !== undefined; sel = pending.pop()) {
    for (const r of all) {
      if (kept.has(r) || !outputs.get(r)!.some((o) => mayRead(sel!, o))) continue;
      kept.add(r);
      pending.push(...selectorsIn(r.expr));
    }
  }
  const keptGroups = groups.map((g) => ({ ...g, rules: g.rules.filter((r) => kept.has(r)) })).filter((g) => g.rules.length > 0);
  return {
    rules: stringify({ groups: keptGroups }, { lineWidth: 0 }),
    groupOrder: keptGroups.map((g) => g.name),
    dropped: all.filter((r) => !kept.has(r)).map((r) => (r.record ?? r.alert)!),
    alerts: all.filter((r) => kept.has(r) && r.alert !== undefined).length,
  };
}

/** Every alert of a rule file and what the alerts read: the rules that decide when any alert fires. */
export function alertingSubset(rulesYaml: string): RuleSubset {
  return readSubset(rulesYaml, ["ALERTS"]);
}

/** Everything of a rule but what an alert may change between variants. */
function recordingOrAlertSlot(r: Rule): unknown {
  return r.alert !== undefined ? "alert" : r;
}

/**
 * Rule files that differ only in their alerts (same groups, the same recording rules at the same places, alerts at
 * the same places) as ONE file: each recording rule once, and at each alert's place every file's alert, marked
 * `label: <key>`. An alert keeps its expression and its place in its group, and no rule reads an alert (refused
 * otherwise), so each alert fires exactly when it does in its own file; the recordings are the same series
 * evaluated once instead of once per file. Undefined when the files differ in anything else.
 */
export function mergeAlertVariants(files: ReadonlyArray<{ readonly key: string; readonly rules: string }>, label: string): { rules: string; groupOrder: string[] } | undefined {
  const parsed = files.map((f) => ({ key: f.key, groups: (parse(f.rules) as { groups: Group[] }).groups }));
  const first = parsed[0]!.groups;
  const skeleton = (groups: readonly Group[]) => JSON.stringify(groups.map((g) => ({ ...g, rules: g.rules.map(recordingOrAlertSlot) })));
  if (parsed.some((p) => skeleton(p.groups) !== skeleton(first))) return undefined;
  const all = parsed.flatMap((p) => p.groups.flatMap((g) => g.rules));
  if (all.some((r) => r.alert !== undefined && r.labels?.[label] !== undefined)) return undefined;
  const alertOutput: Output = { name: "ALERTS", labels: {} };
  const alertState: Output = { name: "ALERTS_FOR_STATE", labels: {} };
  if (all.some((r) => selectorsIn(r.expr).some((s) => mayRead(s, alertOutput) || mayRead(s, alertState)))) return undefined;
  const groups = first.map((g, gi) => ({
    ...g,
    rules: g.rules.flatMap((r, ri) =>
      r.alert === undefined ? [r] : parsed.map((p) => {
        const variant = p.groups[gi]!.rules[ri]!;
        return { ...variant, labels: { ...variant.labels, [label]: p.key } };
      })),
  }));
  return { rules: stringify({ groups }, { lineWidth: 0 }), groupOrder: groups.map((g) => g.name) };
}
