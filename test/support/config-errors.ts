/** What the configuration tests share: an environment changed in one place, validated as a user's file would be. */
import { ConfigError, validateEnvironments } from "../../lib/config/validate-environment";

/** A deep copy of an environment that a test may change anywhere. */
export type Mutable = Record<string, any>;

/** The lines of the error that validating `input` throws (one problem per line), or `[]` when it validates. */
export function configErrorLines(input: unknown): string[] {
  try {
    validateEnvironments([input]);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
}

/** {@link configErrorLines} of a copy of `base` changed by `mutate`. */
export function configErrorsWith(base: object, mutate: (c: Mutable) => void): string[] {
  const copy = structuredClone(base) as Mutable;
  mutate(copy);
  return configErrorLines(copy);
}
