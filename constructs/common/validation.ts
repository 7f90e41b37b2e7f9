import { Token } from "cdktf";

/** One thing wrong with a construct's props or a configuration value. */
export interface ValidationProblem {
  /** Dotted path of the offending field, e.g. `nodeGroups[1].minSize`. */
  readonly path: string;
  /** What was given, rendered for a message. */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
}

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

/** Renders problems as one line each: `scope: path: got <value>; allowed: <allowed>`. */
export function formatProblems(scope: string, problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `${scope}: ${p.path}: got ${renderValue(p.value)}; allowed: ${p.allowed}`).join("\n");
}

function renderValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
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
