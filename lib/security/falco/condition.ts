/**
 * A small reader of Falco's condition language, enough to check generated rules at synth: it tokenizes a
 * condition, parses the boolean structure (`and`, `or`, `not`, parentheses, field comparisons) and reports every
 * macro and list the condition refers to, or the first syntax error. No maintained parser of the language exists on
 * npm; the grammar followed is libsinsp's filter grammar (falcosecurity/libs, userspace/libsinsp/filter/parser.h).
 *
 * One rule is stricter than Falco, on purpose: inside a list (`in (...)`, `intersects (...)`, `pmatch (...)`) a bare
 * word is a list reference and a literal must be quoted or numeric. Falco would take an unknown bare word as a
 * literal, so a misspelled list name would silently match nothing; here it is an undefined list.
 */

/** Binary comparison operators. */
const COMPARISON_OPERATORS = [
  "=", "==", "!=", "<", "<=", ">", ">=",
  "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex",
] as const;
/** Operators whose right side is a parenthesised list. */
const LIST_OPERATORS = ["in", "intersects", "pmatch"] as const;
/** Operators without a right side. */
const UNARY_OPERATORS = ["exists"] as const;
const KEYWORDS = new Set(["and", "or", "not", ...LIST_OPERATORS, ...UNARY_OPERATORS, ...COMPARISON_OPERATORS.filter((o) => /^[a-z]/.test(o))]);

/** A field: `class.name`, optionally with an argument, e.g. `proc.aname[2]` or `k8s.pod.label[app]`. */
const FIELD = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(\[[^\]\s]+\])?$/i;
/** A macro or list name. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;

export type TokenKind = "lparen" | "rparen" | "comma" | "string" | "operator" | "word";

export interface ConditionToken {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset in the condition, for messages. */
  readonly at: number;
}

/** What a condition refers to, or why it does not parse. */
export interface ConditionReferences {
  readonly macros: readonly string[];
  readonly lists: readonly string[];
  readonly fields: readonly string[];
  /** The first syntax error, with its offset; absent when the condition parses. */
  readonly error?: string;
}

/** Splits a condition into tokens; throws on an unterminated string. */
export function tokenizeCondition(condition: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  let i = 0;
  while (i < condition.length) {
    const c = condition[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c === "(" ? "lparen" : c === ")" ? "rparen" : "comma", text: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < condition.length && condition[j] !== c) j += condition[j] === "\\" ? 2 : 1;
      if (j >= condition.length) throw new Error(`unterminated string starting at offset ${i}`);
      tokens.push({ kind: "string", text: condition.slice(i, j + 1), at: i });
      i = j + 1;
    } else if (/[=!<>]/.test(c)) {
      const two = condition.slice(i, i + 2);
      const op = ["==", "!=", "<=", ">="].includes(two) ? two : c;
      if (op === "!") throw new Error(`'!' without '=' at offset ${i}`);
      tokens.push({ kind: "operator", text: op, at: i });
      i += op.length;
    } else {
      let j = i;
      // A word runs to whitespace, a parenthesis, a comma, a quote or a comparison sign; a field argument in
      // brackets may hold any of those but whitespace.
      while (j < condition.length && !/[\s(),"'=!<>]/.test(condition[j]!)) {
        if (condition[j] === "[") {
          const close = condition.indexOf("]", j);
          j = close === -1 ? condition.length : close + 1;
        } else j++;
      }
      tokens.push({ kind: "word", text: condition.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  readonly macros = new Set<string>();
  readonly lists = new Set<string>();
  readonly fields = new Set<string>();
  constructor(private readonly tokens: readonly ConditionToken[]) {}

  parse(): void {
    if (this.tokens.length === 0) throw new Error("the condition is empty");
    this.or();
    const rest = this.peek();
    if (rest) throw new Error(`unexpected ${JSON.stringify(rest.text)} at offset ${rest.at}`);
  }

  private peek(): ConditionToken | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): ConditionToken {
    const t = this.tokens[this.i++];
    if (!t) throw new Error(`expected ${what} at the end of the condition`);
    return t;
  }

  private isWord(t: ConditionToken | undefined, word: string): boolean {
    return t !== undefined && t.kind === "word" && t.text.toLowerCase() === word;
  }

  private or(): void {
    this.and();
    while (this.isWord(this.peek(), "or")) {
      this.i++;
      this.and();
    }
  }

  private and(): void {
    this.not();
    while (this.isWord(this.peek(), "and")) {
      this.i++;
      this.not();
    }
  }

  private not(): void {
    if (this.isWord(this.peek(), "not")) {
      this.i++;
      this.not();
    } else this.primary();
  }

  private primary(): void {
    const t = this.next("a macro, a field or '('");
    if (t.kind === "lparen") {
      this.or();
      const close = this.next("')'");
      if (close.kind !== "rparen") throw new Error(`expected ')' at offset ${close.at}, got ${JSON.stringify(close.text)}`);
      return;
    }
    if (t.kind !== "word" || KEYWORDS.has(t.text.toLowerCase())) {
      throw new Error(`expected a macro, a field or '(' at offset ${t.at}, got ${JSON.stringify(t.text)}`);
    }
    if (FIELD.test(t.text)) {
      this.fields.add(t.text.replace(/\[.*$/, ""));
      this.check(t);
    } else if (IDENTIFIER.test(t.text)) {
      this.macros.add(t.text);
    } else throw new Error(`${JSON.stringify(t.text)} at offset ${t.at} is neither a field (class.name) nor a macro name`);
  }

  /** The operator and operand after a field. */
  private check(field: ConditionToken): void {
    const op = this.next(`an operator after ${field.text}`);
    const name = op.text.toLowerCase();
    if ((UNARY_OPERATORS as readonly string[]).includes(name) && op.kind === "word") return;
    if ((LIST_OPERATORS as readonly string[]).includes(name) && op.kind === "word") return this.list(op);
    if ((COMPARISON_OPERATORS as readonly string[]).includes(name)) {
      const value = this.next(`a value after ${op.text}`);
      if (value.kind === "string" || (value.kind === "word" && !KEYWORDS.has(value.text.toLowerCase()))) {
        if (value.kind === "word" && FIELD.test(value.text)) this.fields.add(value.text.replace(/\[.*$/, ""));
        return;
      }
      throw new Error(`expected a value after ${op.text} at offset ${value.at}, got ${JSON.stringify(value.text)}`);
    }
    throw new Error(`expected an operator after ${field.text} at offset ${op.at}, got ${JSON.stringify(op.text)}`);
  }

  private list(op: ConditionToken): void {
    const open = this.next(`'(' after ${op.text}`);
    if (open.kind !== "lparen") throw new Error(`expected '(' after ${op.text} at offset ${open.at}, got ${JSON.stringify(open.text)}`);
    for (;;) {
      const item = this.next("a list item or ')'");
      if (item.kind === "string" || (item.kind === "word" && NUMBER.test(item.text))) {
        // a literal
      } else if (item.kind === "word" && IDENTIFIER.test(item.text)) {
        this.lists.add(item.text);
      } else if (item.kind === "rparen" && this.tokens[this.i - 2]?.kind === "lparen") {
        throw new Error(`empty list after ${op.text} at offset ${open.at}`);
      } else {
        throw new Error(`expected a quoted literal, a number or a list name at offset ${item.at}, got ${JSON.stringify(item.text)}`);
      }
      const sep = this.next("',' or ')'");
      if (sep.kind === "rparen") return;
      if (sep.kind !== "comma") throw new Error(`expected ',' or ')' at offset ${sep.at}, got ${JSON.stringify(sep.text)}`);
    }
  }
}

/** The macros, lists and fields a condition uses, or its first syntax error. */
export function conditionReferences(condition: string): ConditionReferences {
  let parser: Parser | undefined;
  try {
    parser = new Parser(tokenizeCondition(condition));
    parser.parse();
    return { macros: [...parser.macros], lists: [...parser.lists], fields: [...parser.fields] };
  } catch (e) {
    return { macros: [...(parser?.macros ?? [])], lists: [...(parser?.lists ?? [])], fields: [...(parser?.fields ?? [])], error: (e as Error).message };
  }
}
