import type { ValidationProblem } from "../problems";
import { isQuantity, parseQuantity, QUANTITY_RULE } from "./quantity";

/**
 * The platform's rule for a container's resources, in one place for the configuration schemas and the add-ons:
 * CPU and memory requested, memory limited (never BestEffort, never evicted first), no CPU limit (throttling slows
 * a container that the node could serve), and a memory request no larger than the limit (the pod would never start).
 */

/** A container's resources as the platform writes them (fields optional: constructs check what callers pass). */
export interface ResourcesLike {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly memory?: string };
}

/** The problem when the memory request is larger than the memory limit, under `path` (`….resources`). */
export function memoryRequestProblem(path: string, r: ResourcesLike): ValidationProblem | undefined {
  const request = parseQuantity(r.requests?.memory ?? "");
  const limit = parseQuantity(r.limits?.memory ?? "");
  if (request === undefined || limit === undefined || request <= limit) return undefined;
  return { path: `${path}.requests.memory`, value: r.requests?.memory, allowed: `at most limits.memory (${r.limits?.memory})` };
}

/**
 * Every problem of `r` under `path`: a missing or malformed CPU request, memory request or memory limit, and a
 * memory request over the limit. `who` says whose pods these are, for the message (`Falco's pods`).
 */
export function resourcesProblems(path: string, r: ResourcesLike, who = "every component"): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [field, value] of [["requests.cpu", r.requests?.cpu], ["requests.memory", r.requests?.memory], ["limits.memory", r.limits?.memory]] as const) {
    if (value === undefined) problems.push({ path: `${path}.${field}`, value, allowed: `a quantity: ${who} request CPU and memory and limit memory` });
    else if (!isQuantity(value)) problems.push({ path: `${path}.${field}`, value, allowed: QUANTITY_RULE });
  }
  const overLimit = memoryRequestProblem(path, r);
  if (overLimit) problems.push(overLimit);
  return problems;
}
