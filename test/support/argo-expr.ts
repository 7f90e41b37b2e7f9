/**
 * The part of expr-lang (github.com/antonmedv/expr, what Argo Rollouts 1.9 evaluates `successCondition` and
 * `failureCondition` with) that the platform's AnalysisTemplates use, evaluated as Argo Rollouts does
 * (utils/evaluate/evaluate.go at v1.9.0): the environment holds `result` (the Prometheus provider's list of sample
 * values for a vector) and `isNaN`, `isInf`; `&&`/`and` and `||`/`or` stop at the first deciding operand; an index past
 * the end of `result` is an evaluation error; comparisons with NaN are false (Go float semantics).
 *
 * A small recursive-descent evaluator rather than a JavaScript expression library: those differ from expr-lang exactly
 * where it matters here (an out-of-range index is `undefined`, not an error; `len` does not exist). Anything outside the
 * subset is refused with an error, so a template that starts using more of the language fails its test instead of
 * being evaluated wrongly.
 */

/** The phase Argo Rollouts gives one measurement. */
export type MeasurementPhase = "Successful" | "Failed" | "Inconclusive" | "Error";

type Value = number | boolean | number[] | ((...args: Value[]) => Value);

type Token = { kind: "num"; value: number } | { kind: "id"; value: string } | { kind: "op"; value: string };

const OPERATORS = ["&&", "||", "<=", ">=", "==", "!=", "<", ">", "!", "(", ")", "[", "]", ","];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ kind: "num", value: Number(num[1]) });
      i += num[1]!.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      const word = id[0];
      out.push(word === "and" ? { kind: "op", value: "&&" } : word === "or" ? { kind: "op", value: "||" } : word === "not" ? { kind: "op", value: "!" } : { kind: "id", value: word });
      i += word.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new SyntaxError(`unsupported character ${JSON.stringify(ch)} at ${i} in ${JSON.stringify(src)}`);
    out.push({ kind: "op", value: op });
    i += op.length;
  }
  return out;
}

/** Evaluates an expression of the subset against `env`. Throws for a syntax outside the subset or a runtime error. */
export function evalExpr(src: string, env: Readonly<Record<string, Value>>): Value {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.kind === "op" && peek()!.value === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new SyntaxError(`expected ${v} at token ${pos} of ${JSON.stringify(src)}`);
    pos++;
  };
  // Each parse function returns a thunk, so `&&` and `||` can skip their right operand as expr-lang does.
  type Thunk = () => Value;
  const or = (): Thunk => {
    let left = and();
    while (isOp("||")) {
      pos++;
      const l = left;
      const r = and();
      left = () => (truthy(l()) ? true : truthy(r()));
    }
    return left;
  };
  const and = (): Thunk => {
    let left = compare();
    while (isOp("&&")) {
      pos++;
      const l = left;
      const r = compare();
      left = () => (!truthy(l()) ? false : truthy(r()));
    }
    return left;
  };
  const compare = (): Thunk => {
    const left = unary();
    const t = peek();
    if (t?.kind === "op" && ["<", "<=", ">", ">=", "==", "!="].includes(t.value)) {
      pos++;
      const right = unary();
      return () => compareValues(t.value, number(left()), number(right()));
    }
    return left;
  };
  const unary = (): Thunk => {
    if (isOp("!")) {
      pos++;
      const inner = unary();
      return () => !truthy(inner());
    }
    return postfix();
  };
  const postfix = (): Thunk => {
    let base = primary();
    while (isOp("[")) {
      pos++;
      const index = or();
      expect("]");
      const b = base;
      base = () => {
        const list = b();
        const i = number(index());
        if (!Array.isArray(list)) throw new TypeError("cannot index a non-array");
        if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new RangeError(`index out of range: ${i} (array of length ${list.length})`);
        return list[i]!;
      };
    }
    return base;
  };
  const primary = (): Thunk => {
    const t = peek();
    if (t === undefined) throw new SyntaxError(`unexpected end of ${JSON.stringify(src)}`);
    pos++;
    if (t.kind === "num") return () => t.value;
    if (t.kind === "op" && t.value === "(") {
      const inner = or();
      expect(")");
      return inner;
    }
    if (t.kind === "id") {
      if (t.value === "true" || t.value === "false") return () => t.value === "true";
      if (isOp("(")) {
        pos++;
        const args: Thunk[] = [];
        if (!isOp(")")) {
          args.push(or());
          while (isOp(",")) {
            pos++;
            args.push(or());
          }
        }
        expect(")");
        const name = t.value;
        return () => callBuiltin(name, args.map((a) => a()), env);
      }
      if (!(t.value in env)) throw new ReferenceError(`unknown name ${t.value}`);
      return () => env[t.value]!;
    }
    throw new SyntaxError(`unexpected ${t.value} in ${JSON.stringify(src)}`);
  };
  const program = or();
  if (pos !== tokens.length) throw new SyntaxError(`unexpected ${tokens[pos]!.value} in ${JSON.stringify(src)}`);
  return program();
}

function callBuiltin(name: string, args: Value[], env: Readonly<Record<string, Value>>): Value {
  if (name === "len") {
    if (args.length !== 1 || !Array.isArray(args[0])) throw new TypeError("len() takes one array");
    return args[0].length;
  }
  const fn = env[name];
  if (typeof fn !== "function") throw new ReferenceError(`unknown function ${name}`);
  return fn(...args);
}

function number(v: Value): number {
  if (typeof v !== "number") throw new TypeError(`expected a number, got ${Array.isArray(v) ? "an array" : typeof v}`);
  return v;
}

function truthy(v: Value): boolean {
  if (typeof v !== "boolean") throw new TypeError(`expected a bool, got ${typeof v}`);
  return v;
}

function compareValues(op: string, a: number, b: number): boolean {
  switch (op) {
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    case "==": return a === b;
    default: return a !== b;
  }
}

/** Argo Rollouts' environment for a Prometheus vector result. */
export function argoEnv(result: number[]): Record<string, Value> {
  return {
    result,
    isNaN: (x: Value) => Number.isNaN(number(x)),
    isInf: (x: Value) => !Number.isFinite(number(x)) && !Number.isNaN(number(x)),
  };
}

/**
 * One measurement's phase from a metric's conditions and the query's result, as `EvaluateResult` decides it: an
 * evaluation error is Error; the failure condition wins; neither condition true is Inconclusive.
 */
export function measurementPhase(metric: { successCondition?: string; failureCondition?: string }, result: number[]): MeasurementPhase {
  const env = argoEnv(result);
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) success = truthy(evalExpr(metric.successCondition, env));
    if (metric.failureCondition) failure = truthy(evalExpr(metric.failureCondition, env));
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof ReferenceError) throw e; // outside the subset: the test must say so
    return "Error";
  }
  if (!metric.successCondition && !metric.failureCondition) return "Successful";
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return "Failed";
  if (!success) return "Inconclusive";
  return "Successful";
}
