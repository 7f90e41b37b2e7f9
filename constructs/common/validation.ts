import { Token } from "cdktf";
import { formatProblems, ValidationProblem } from "../../lib/problems";

export { formatProblems, renderValue } from "../../lib/problems";
export type { ValidationProblem } from "../../lib/problems";

/** A problem list for a construct's props, collected before anything is built. */
export class ValidationError extends Error {
  /** @param scope where the problems were found (a construct path or a file name) */
  constructor(
    public readonly scope: string,
    public readonly problems: readonly ValidationProblem[],
  ) {
    super(formatProblems(scope, problems));
    this.name = "ValidationError";
  }
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
