/**
 * Reads SLO files (or directories of them), parses and validates everything together, and either returns
 * definitions that every later stage can trust or throws one `SloError` listing every problem of every file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type SloDefinition, type SloDiagnostic, SloError } from "./model";
import { closest } from "./formats/common";
import { parseSloTexts, type ParseOptions, type SloText } from "./parse";
import { validateSloDefinitions } from "./validate";
import { namespaceMatcherDiagnostics } from "./namespace-matchers";
import { applyServiceOverrides, type ServiceOverrides } from "./service-overrides";

/** Options of the loader: the parser's, and the environment's overrides of its services. */
export interface LoadOptions extends ParseOptions {
  /**
   * The environment's overrides of its specs' services (`slo.overrides`), applied to the loaded definitions; an
   * override of a service no spec defines is an error naming where it is written.
   * @default - none
   */
  readonly serviceOverrides?: ServiceOverrides;
}

export interface LoadResult {
  /** Valid definitions of all files, in file order then SLO order. */
  readonly definitions: SloDefinition[];
  /** Non-fatal findings (ignored fields, …), for stderr. */
  readonly warnings: SloDiagnostic[];
  /** The files read, after directories were expanded. */
  readonly files: string[];
  /** The environment names the platform specs override (`environments.<name>`), sorted. */
  readonly overriddenEnvironments: string[];
}

const SLO_FILE_RE = /\.ya?ml$/;

/** Expands directories into their `*.yaml`/`*.yml` files (sorted, not recursive); files are kept as given. */
export function expandSloPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // A missing path is reported when it is read.
    }
    if (isDir) out.push(...readdirSync(p).filter((f) => SLO_FILE_RE.test(f)).sort().map((f) => join(p, f)));
    else out.push(p);
  }
  return out;
}

/**
 * Loads, parses and validates SLO files as one set (SLO ids must be unique across all of them).
 * @returns the definitions; use `loadSloFilesWithWarnings` to also get the non-fatal findings
 * @throws SloError listing every problem found in every file; nothing is returned partially
 */
export function loadSloFiles(paths: readonly string[], options: LoadOptions = {}): SloDefinition[] {
  return loadSloFilesWithWarnings(paths, options).definitions;
}

/**
 * Like `loadSloFiles`, and also returns the warnings (ignored fields, …) and the files read.
 * @throws SloError listing every problem found in every file
 */
export function loadSloFilesWithWarnings(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const files = expandSloPaths(paths);
  const errors: SloDiagnostic[] = [];
  const warnings: SloDiagnostic[] = [];
  const definitions: SloDefinition[] = [];
  if (files.length === 0) {
    errors.push({ file: paths.join(", ") || "<none>", stage: "load", message: "no SLO files given (or no *.yaml files in the directories given)" });
  }
  const texts: SloText[] = [];
  for (const file of files) {
    try {
      texts.push({ text: readFileSync(file, "utf8"), file });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({ file, stage: "load", message: code === "ENOENT" ? "cannot read file: no such file" : `cannot read file: ${code ?? (e as Error).message}` });
    }
  }
  // All files at once: an OpenSLO indicatorRef may name an SLI of another file.
  const parsed = parseSloTexts(texts, options);
  errors.push(...parsed.errors);
  warnings.push(...parsed.warnings);
  // The environment's overrides of its services, before validation: an overridden `for` is checked like a spec's.
  const overridden = applyServiceOverrides(parsed.definitions, options.serviceOverrides);
  errors.push(...overridden.errors);
  definitions.push(...overridden.definitions);
  const unknown = unknownEnvironmentProblem(options, parsed.overriddenEnvironments);
  if (unknown !== undefined) errors.unshift({ file: files.join(", ") || "<none>", field: "environment", stage: "load", message: unknown });
  // Rejected SLOs are validated too, so one run reports every independent problem; they are never returned.
  errors.push(...validateSloDefinitions([...definitions, ...parsed.rejected]));
  // An SLI that reads every namespace: a warning, an error when the caller is strict.
  (options.strict === true ? errors : warnings).push(...namespaceMatcherDiagnostics(definitions));
  if (errors.length > 0) throw new SloError(errors);
  return { definitions, warnings, files, overriddenEnvironments: parsed.overriddenEnvironments };
}

/**
 * Why the environment to load for is not one, if it is not: outside `knownEnvironments` when that list is
 * given; without it, a name no spec overrides but close to one a spec does (`prd` for `prod`), which would
 * otherwise silently get the base objectives.
 */
export function unknownEnvironmentProblem(options: LoadOptions, overridden: readonly string[]): string | undefined {
  const env = options.environment;
  if (env === undefined) return undefined;
  const known = options.knownEnvironments;
  if (known !== undefined) {
    if (known.includes(env)) return undefined;
    const meant = closest(env, known);
    return `unknown environment "${env}"${meant !== undefined ? ` (did you mean "${meant}"?)` : ""}; allowed: ${known.join(", ")}`;
  }
  if (overridden.includes(env)) return undefined;
  const meant = closest(env, overridden);
  return meant === undefined
    ? undefined
    : `unknown environment "${env}" (did you mean "${meant}"?): no spec overrides it, so it would get the base objectives; the specs override: ${overridden.join(", ")}`;
}
