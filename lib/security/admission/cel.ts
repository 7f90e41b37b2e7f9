/**
 * Renders configuration values into CEL source. Values are written as literals (never spliced as code), so a
 * registry or workload name can only ever be data in the expression, whatever it contains.
 * @see https://github.com/google/cel-spec/blob/master/doc/langdef.md#string-and-bytes-values
 */

/** A single-quoted CEL string literal: backslashes and quotes escaped, control characters as escapes. */
export function celString(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `'${escaped}'`;
}

/** A CEL list of string literals. */
export function celStringList(values: readonly string[]): string {
  return `[${values.map(celString).join(", ")}]`;
}

/** `value` as an RE2 pattern matching exactly that text (RE2 and JavaScript share these metacharacters). */
export function re2Literal(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** Joins conditions with `||`, each parenthesised; `false` when there is none. */
export function celAny(conditions: readonly string[]): string {
  return conditions.length === 0 ? "false" : conditions.map((c) => `(${c})`).join(" || ");
}
