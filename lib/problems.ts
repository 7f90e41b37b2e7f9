/**
 * Framework-free problem reporting shared by configuration validation (lib/config) and construct props
 * validation (constructs/common/validation.ts re-exports these).
 */

/** One thing wrong with a configuration value or construct props. */
export interface ValidationProblem {
  /** Dotted path of the offending field, e.g. `cluster.nodeGroups[1].minSize`. */
  readonly path: string;
  /** What was given, rendered for a message. */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
}

/** Renders problems as one line each: `scope: path: got <value>; allowed: <allowed>`. */
export function formatProblems(scope: string, problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `${scope}: ${p.path}: got ${renderValue(p.value)}; allowed: ${p.allowed}`).join("\n");
}

/** Renders a value for a message: strings quoted, objects as JSON, `undefined` as `nothing`. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    return String(value);
  }
}
