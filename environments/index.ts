import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { ConfigError, validateEnvironments } from "../lib/config/validate-environment";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

/** Every environment, in deployment order. Add one by writing `<name>.ts` beside these and listing it here. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [dev, staging, prod];

/**
 * Validates all environments (also the rules between them, such as non-overlapping VPCs) and returns the
 * ones asked for, in deployment order.
 * @param names environment names to return; every one must exist
 * @throws ConfigError naming the environment, the field path, the value and what is allowed
 */
export function loadEnvironments(names?: readonly string[], inputs: readonly unknown[] = ENVIRONMENTS): EnvironmentConfig[] {
  const all = validateEnvironments(inputs);
  if (!names || names.length === 0) return all;
  const known = all.map((e) => e.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      new Map(unknown.map((n) => [n, [{ path: "(environment)", value: n, allowed: `one of ${known.join(", ")}` }]])),
    );
  }
  return all.filter((e) => names.includes(e.name));
}
