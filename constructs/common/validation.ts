import { Token } from "cdktf";
import type { Construct } from "constructs";
import { formatProblems, ValidationProblem } from "../../lib/problems";

export { formatProblems, renderValue } from "../../lib/problems";
export type { ValidationProblem } from "../../lib/problems";

/** A problem list for a construct's props, collected before anything is built. */
export class ValidationError extends Error {
  /** Where the problems were found (a construct path or a file name). */
  declare public readonly scope: string;
  declare public readonly problems: readonly ValidationProblem[];

  /** @param scope where the problems were found (a construct path or a file name) */
  constructor(scope: string, problems: readonly ValidationProblem[]) {
    super(formatProblems(scope, problems));
    this.name = "ValidationError";
    // Not enumerable: Node prints an uncaught error's own enumerable fields after its message, which
    // would repeat every problem as an object dump.
    Object.defineProperty(this, "scope", { value: scope, enumerable: false });
    Object.defineProperty(this, "problems", { value: problems, enumerable: false });
    // The message names the construct path, the field, the value and what is allowed; the frames inside this
    // library would only bury it when a consumer's app (run by cdktf synth) ends on an uncaught error.
    Object.defineProperty(this, "stack", { value: `${this.name}: ${this.message}`, enumerable: false, writable: true, configurable: true });
  }
}

/**
 * Throws one {@link ValidationError} naming every required prop that is missing, before anything reads
 * them: TypeScript callers cannot leave them out, but JavaScript callers (and `as any`) can, and would
 * otherwise get `Cannot read properties of undefined` from deep inside the construct.
 * @param required each required prop and what it must be
 */
export function requireProps<T extends object>(scope: Construct, props: T | undefined, required: { readonly [K in keyof T]?: string }): asserts props is T {
  const given = (props ?? {}) as Record<string, unknown>;
  const problems = Object.entries(required as Record<string, string>)
    .filter(([key]) => given[key] === undefined || given[key] === null)
    .map(([key, allowed]) => ({ path: key, value: given[key], allowed: `${allowed} (required)` }));
  if (typeof props !== "object" || props === null) {
    throwIfProblems(scope.node.path, problems.length > 0 ? problems : [{ path: "props", value: props, allowed: "an object of props" }]);
  }
  throwIfProblems(scope.node.path, problems);
}

/** Throws one {@link ValidationError} naming every problem, or returns when there is none. */
export function throwIfProblems(scope: string, problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) throw new ValidationError(scope, problems);
}

/**
 * True when a value is (or contains) an unresolved cdktf token, so a synth-time check must skip it:
 * the real value is known only to Terraform at apply time.
 */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return Token.isUnresolved(value);
}
