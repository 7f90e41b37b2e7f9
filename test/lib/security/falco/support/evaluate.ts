import { tokenizeCondition, type ConditionToken } from "../../../../../lib/security/falco/condition";
import type { FalcoRuleItem } from "../../../../../lib/security/falco/rule-file";

/**
 * A small evaluator of the Falco condition language, for the subset the platform's rules and the default macros they
 * use are written in: `and`, `or`, `not`, parentheses, macros, lists, and field comparisons (`=`, `!=`, `<`, `<=`,
 * `>`, `>=`, `contains`, `startswith`, `endswith`, `glob`, `in`, `pmatch`, `exists`). It follows libsinsp's semantics
 * where they matter to an evasion test: a field the event does not carry makes its comparison false (so `not` of it
 * true); inside `in (...)` a bare word is a list when one by that name is defined and a literal otherwise; `glob` is
 * fnmatch without FNM_PATHNAME (`*` spans `/`); numbers compare as numbers.
 */

/** An event as Falco's fields read it: field name → value (absent: the field does not apply to this event). */
export type FalcoEvent = Readonly<Record<string, string | number | boolean>>;

/**
 * The default ruleset's macros and lists the platform's rules use, as `falco_rules.yaml` at falcosecurity/rules
 * `falco-rules-5.1.0` defines them (the add-on pins that version; `lib/security/falco/default-ruleset.ts` names them).
 */
export const DEFAULT_MACRO_CONDITIONS: Readonly<Record<string, string>> = {
  spawned_process: "(evt.type in (execve, execveat))",
  container: "(container.id != host)",
  open_write: "(evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)",
  open_read: "(evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)",
  shell_procs: "(proc.name in (shell_binaries))",
  container_entrypoint:
    "(not proc.pname exists or proc.pname in (runc:[0:PARENT], runc:[1:CHILD], runc, docker-runc, exe, docker-runc-cur, containerd-shim, systemd, crio, conmon))",
  never_true: "(evt.num=0)",
};
export const DEFAULT_LISTS: Readonly<Record<string, readonly string[]>> = {
  shell_binaries: ["ash", "bash", "csh", "ksh", "sh", "tcsh", "zsh", "dash"],
};

type Node =
  | { readonly t: "and" | "or"; readonly l: Node; readonly r: Node }
  | { readonly t: "not"; readonly e: Node }
  | { readonly t: "macro"; readonly name: string }
  | { readonly t: "cmp"; readonly field: string; readonly op: string; readonly values: readonly ConditionToken[] };

const LIST_OPS = new Set(["in", "intersects", "pmatch"]);
const BINARY_OPS = new Set(["=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "endswith", "glob"]);

function parse(condition: string): Node {
  const tokens = tokenizeCondition(condition);
  let i = 0;
  const peekWord = (w: string) => tokens[i]?.kind === "word" && tokens[i]!.text.toLowerCase() === w;
  const next = () => {
    const t = tokens[i++];
    if (!t) throw new Error(`unexpected end of ${condition}`);
    return t;
  };
  const or = (): Node => {
    let l = and();
    while (peekWord("or")) (i++, (l = { t: "or", l, r: and() }));
    return l;
  };
  const and = (): Node => {
    let l = not();
    while (peekWord("and")) (i++, (l = { t: "and", l, r: not() }));
    return l;
  };
  const not = (): Node => (peekWord("not") ? (i++, { t: "not", e: not() }) : primary());
  const primary = (): Node => {
    const t = next();
    if (t.kind === "lparen") {
      const e = or();
      if (next().kind !== "rparen") throw new Error(`expected ) in ${condition}`);
      return e;
    }
    if (!t.text.includes(".")) return { t: "macro", name: t.text };
    const op = next();
    const name = op.text.toLowerCase();
    if (name === "exists") return { t: "cmp", field: t.text, op: "exists", values: [] };
    if (LIST_OPS.has(name)) {
      if (next().kind !== "lparen") throw new Error(`expected ( after ${name} in ${condition}`);
      const values: ConditionToken[] = [];
      for (;;) {
        const v = next();
        if (v.kind === "rparen") break;
        if (v.kind !== "comma") values.push(v);
      }
      return { t: "cmp", field: t.text, op: name, values };
    }
    if (BINARY_OPS.has(name)) return { t: "cmp", field: t.text, op: name, values: [next()] };
    throw new Error(`unknown operator ${op.text} in ${condition}`);
  };
  const node = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in ${condition}`);
  return node;
}

function literal(t: ConditionToken): string {
  if (t.kind !== "string") return t.text;
  return t.text.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** fnmatch(3) without flags, as libsinsp's `glob` uses it. */
function globMatches(pattern: string, value: string): boolean {
  let re = "";
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!;
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", k + 2);
      if (close === -1) re += "\\[";
      else {
        let cls = pattern.slice(k + 1, close);
        if (cls.startsWith("!")) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        k = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(value);
}

/** The rules file's macros and lists with the default ones, ready to evaluate rules against events. */
export class FalcoEvaluator {
  private readonly macros = new Map<string, Node>();
  private readonly lists = new Map<string, readonly string[]>();

  constructor(items: readonly FalcoRuleItem[]) {
    for (const [name, items] of Object.entries(DEFAULT_LISTS)) this.lists.set(name, items);
    for (const [name, condition] of Object.entries(DEFAULT_MACRO_CONDITIONS)) this.macros.set(name, parse(condition));
    for (const item of items) {
      if ("list" in item) this.lists.set(item.list, item.items.map((v) => literal(tokenizeCondition(String(v))[0]!)));
      else if ("macro" in item) this.macros.set(item.macro, parse(item.condition));
    }
  }

  /** Whether `condition` holds for `event`. */
  matches(condition: string, event: FalcoEvent): boolean {
    return this.eval(parse(condition), event);
  }

  private values(tokens: readonly ConditionToken[]): string[] {
    return tokens.flatMap((t) => (t.kind === "word" && this.lists.has(t.text) ? [...this.lists.get(t.text)!] : [literal(t)]));
  }

  private eval(n: Node, e: FalcoEvent): boolean {
    switch (n.t) {
      case "and":
        return this.eval(n.l, e) && this.eval(n.r, e);
      case "or":
        return this.eval(n.l, e) || this.eval(n.r, e);
      case "not":
        return !this.eval(n.e, e);
      case "macro": {
        const m = this.macros.get(n.name);
        if (!m) throw new Error(`undefined macro ${n.name}`);
        return this.eval(m, e);
      }
      case "cmp":
        return this.compare(n, e);
    }
  }

  private compare(n: Extract<Node, { t: "cmp" }>, e: FalcoEvent): boolean {
    if (!Object.prototype.hasOwnProperty.call(e, n.field)) return false;
    if (n.op === "exists") return true;
    const actual = String(e[n.field]);
    const wanted = this.values(n.values);
    const numeric = (a: string, b: string) => a.trim() !== "" && b.trim() !== "" && !Number.isNaN(Number(a)) && !Number.isNaN(Number(b));
    const eq = (a: string, b: string) => (numeric(a, b) ? Number(a) === Number(b) : a === b);
    const w = wanted[0] ?? "";
    switch (n.op) {
      case "=":
      case "==":
        return eq(actual, w);
      case "!=":
        return !eq(actual, w);
      case "<":
        return Number(actual) < Number(w);
      case "<=":
        return Number(actual) <= Number(w);
      case ">":
        return Number(actual) > Number(w);
      case ">=":
        return Number(actual) >= Number(w);
      case "contains":
        return actual.includes(w);
      case "icontains":
        return actual.toLowerCase().includes(w.toLowerCase());
      case "startswith":
        return actual.startsWith(w);
      case "endswith":
        return actual.endsWith(w);
      case "glob":
        return globMatches(w, actual);
      case "in":
      case "intersects":
        return wanted.some((v) => eq(actual, v));
      case "pmatch":
        return wanted.some((v) => actual === v || actual.startsWith(v.endsWith("/") ? v : `${v}/`));
      default:
        throw new Error(`unsupported operator ${n.op}`);
    }
  }
}

/**
 * `fd.name` as libsinsp records it for an open: the path made absolute against the process's working directory (or
 * the `openat` directory descriptor's path) with `.`, `..` and repeated slashes folded, as Falco's field reference
 * describes it (`fd.nameraw` keeps the path as given). Magic links under /proc are not followed: they are text here.
 */
export function falcoFdName(path: string, cwd = "/"): string {
  const joined = path.startsWith("/") ? path : `${cwd}/${path}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}
