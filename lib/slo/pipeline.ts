import { compileSlos, type CompileOptions, type CompileResult } from "./compile";
import { loadSloFilesWithWarnings, type LoadOptions } from "./load";
import type { SloDefinition, SloDiagnostic } from "./model";
import { sourceField } from "./validate";

/** Options of {@link loadAndCompileSlos}: the loader's (environment overrides) and the compiler's. */
export interface LoadAndCompileOptions extends LoadOptions, CompileOptions {}

export interface LoadAndCompileResult {
  readonly definitions: SloDefinition[];
  readonly result: CompileResult;
  /** Every non-fatal finding of every stage, its field named as the user wrote it. */
  readonly warnings: SloDiagnostic[];
  /** The files read, after directories were expanded. */
  readonly files: string[];
  /** The environment names the platform specs override (`environments.<name>`), sorted. */
  readonly overriddenEnvironments: string[];
}

/**
 * Spec files → validated definitions → rules, the one path the synth and the CLI share.
 * @throws SloError naming file, SLO and field, before anything is compiled
 */
export function loadAndCompileSlos(paths: readonly string[], options: LoadAndCompileOptions = {}): LoadAndCompileResult {
  const { period, runbookBaseUrl, ...loadOptions } = options;
  const loaded = loadSloFilesWithWarnings(paths, loadOptions);
  const result = compileSlos(loaded.definitions, {
    ...(period !== undefined ? { period } : {}),
    ...(runbookBaseUrl !== undefined ? { runbookBaseUrl } : {}),
  });
  const byId = new Map(loaded.definitions.map((d) => [d.id, d]));
  return {
    definitions: loaded.definitions,
    result,
    warnings: [...loaded.warnings, ...result.warnings].map((w) => inSourceTerms(w, byId)),
    files: loaded.files,
    overriddenEnvironments: loaded.overriddenEnvironments,
  };
}

/** Rewrites a later stage's model field path (`alerting.page`) into the file's own (`slos[0].alerting.page`). */
function inSourceTerms(d: SloDiagnostic, byId: ReadonlyMap<string, SloDefinition>): SloDiagnostic {
  const def = d.slo !== undefined ? byId.get(d.slo) : undefined;
  if (!def || d.field === undefined || d.stage === "parse" || d.stage === "validate") return d;
  return { ...d, field: sourceField(def, d.field) };
}
