/** Strict PromQL syntax check with the official grammar, for asserting that generated expressions parse. */
import { parser } from "@prometheus-io/lezer-promql";

const strict = parser.configure({ strict: true });

/** Returns an error message, or undefined when `expr` parses. */
export function promqlSyntaxError(expr: string): string | undefined {
  try {
    strict.parse(expr);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
