import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { ConfigError, validateEnvironments } from "../lib/config/validate-environment";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

/** Every environment, in deployment order. Add one by writing `<name>.ts` beside these and listing it here. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [dev, staging, prod];

/**
 * The file each environment is written in, `environments/<name>.ts`, by name: error messages name it. A name two
 * inputs share (a copied file that kept its original's name) names no file: which of the two is meant is unknown.
 */
export function environmentSources(inputs: readonly unknown[] = ENVIRONMENTS): ReadonlyMap<string, string> {
  const names = inputs.map((i) => (i as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === "string" && n !== "");
  return new Map(names.filter((n) => names.indexOf(n) === names.lastIndexOf(n)).map((n) => [n, `environments/${n}.ts`]));
}

/**
 * Validates all environments (also the rules between them, such as non-overlapping VPCs) and returns the
 * ones asked for, in deployment order.
 * @param names environment names to return; every one must exist
 * @throws ConfigError naming the environment's file, the field path, the value and what is allowed
 */
export function loadEnvironments(names?: readonly string[], inputs: readonly unknown[] = ENVIRONMENTS): EnvironmentConfig[] {
  let all: EnvironmentConfig[];
  try {
    all = validateEnvironments(inputs);
  } catch (e) {
    throw e instanceof ConfigError ? e.withSources(environmentSources(inputs)) : e;
  }
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
