/**
 * Stage 1, parse: YAML text → SLO definitions, for every supported input format. A file may hold several
 * YAML documents (`---`), each dispatched on its `version` (platform and Sloth specs) or `apiVersion`
 * (OpenSLO, Sloth's Kubernetes form). Problems are collected, never thrown, so that one run reports them all.
 */
import { parseAllDocuments } from "yaml";
import type { SloDefinition, SloDiagnostic } from "./model";
import { addError, type FieldPath, type FormatContext, isMap, suggest } from "./formats/common";
import { OPENSLO_V1, parseOpensloV1, type OpensloDocument } from "./formats/openslo-v1";
import { parseSlothK8sV1, parseSlothV1, SLOTH_K8S_V1, SLOTH_PROMETHEUS_V1 } from "./formats/sloth-v1";
import { parseSrePlatformV1, SRE_PLATFORM_V1 } from "./formats/sre-platform-v1";

/** Values of `version:` we read. */
export const SUPPORTED_VERSIONS: readonly string[] = [SRE_PLATFORM_V1, SLOTH_PROMETHEUS_V1];
/** Values of `apiVersion:` we read. */
export const SUPPORTED_API_VERSIONS: readonly string[] = [OPENSLO_V1, SLOTH_K8S_V1];

export interface ParseOptions {
  /**
   * Apply the `environments.<name>` overrides of platform specs for this environment.
   * @default - no overrides applied
   */
  readonly environment?: string;
  /**
   * When given, every `environments` key of a platform spec must be one of these (catches `prdo`).
   * @default - any key accepted
   */
  readonly knownEnvironments?: readonly string[];
}

export interface ParseResult {
  /** Definitions of the SLOs that parsed (those with problems are left out). */
  readonly definitions: SloDefinition[];
  /** Problems that make the input unusable; any error means nothing may be written. */
  readonly errors: SloDiagnostic[];
  /** Things ignored or worth a look; they do not stop compilation. */
  readonly warnings: SloDiagnostic[];
}

/** Parses the text of one SLO file (any supported format, one or more YAML documents). */
export function parseSloYaml(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const errors: SloDiagnostic[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const values: unknown[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      const reason = e.message.split(/ at line \d+, column \d+/)[0]!.split("\n")[0]!;
      errors.push({ file, stage: "parse", message: `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ${reason}` });
    }
    if (doc.errors.length === 0) values.push(doc.toJS({ maxAliasCount: 1000 }));
  }
  if (errors.length > 0) return { definitions: [], errors, warnings: [] };
  return parseSloDocuments(values, file, options);
}

/** Parses already-loaded documents (e.g. built in TypeScript) of one file. */
export function parseSloDocuments(documents: readonly unknown[], file: string, options: ParseOptions = {}): ParseResult {
  const errors: SloDiagnostic[] = [];
  const warnings: SloDiagnostic[] = [];
  const docs = documents.filter((d) => d !== null && d !== undefined);
  const definitions: SloDefinition[] = [];
  const opensloDocs: OpensloDocument[] = [];
  if (docs.length === 0) {
    errors.push({ file, stage: "parse", message: "no SLO document in file" });
  }
  documents.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const prefix: FieldPath = docs.length > 1 ? ["docs", i] : [];
    const ctx: FormatContext = {
      file,
      format: SRE_PLATFORM_V1,
      prefix,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      ...(options.knownEnvironments !== undefined ? { knownEnvironments: options.knownEnvironments } : {}),
      errors,
      warnings,
    };
    if (!isMap(doc)) {
      addError(ctx, [], "expected a map with version (or apiVersion) at the top of the document");
      return;
    }
    const version = doc["version"];
    const apiVersion = doc["apiVersion"];
    if (version !== undefined) {
      if (version === SRE_PLATFORM_V1) definitions.push(...parseSrePlatformV1(doc, ctx));
      else if (version === SLOTH_PROMETHEUS_V1) definitions.push(...parseSlothV1(doc, { ...ctx, format: "prometheus/v1" }));
      else addError(ctx, ["version"], `unknown version ${JSON.stringify(version)}${suggestOf(version, SUPPORTED_VERSIONS)}; allowed: ${SUPPORTED_VERSIONS.join(", ")} (or apiVersion: ${SUPPORTED_API_VERSIONS.join(", ")})`);
    } else if (apiVersion !== undefined) {
      if (apiVersion === OPENSLO_V1) opensloDocs.push({ doc, ctx: { ...ctx, format: "openslo/v1" } });
      else if (apiVersion === SLOTH_K8S_V1) definitions.push(...parseSlothK8sV1(doc, { ...ctx, format: "prometheus/v1" }));
      else if (typeof apiVersion === "string" && apiVersion.startsWith("openslo/")) {
        addError(ctx, ["apiVersion"], `${apiVersion} is not supported; allowed: ${OPENSLO_V1} (from v1alpha: ratioMetrics → indicator.spec.ratioMetric with metricSource, timeWindows → timeWindow with duration and isRolling)`);
      } else {
        addError(ctx, ["apiVersion"], `unknown apiVersion ${JSON.stringify(apiVersion)}${suggestOf(apiVersion, SUPPORTED_API_VERSIONS)}; allowed: ${SUPPORTED_API_VERSIONS.join(", ")} (or version: ${SUPPORTED_VERSIONS.join(", ")})`);
      }
    } else {
      addError(ctx, ["version"], `required field is missing: the spec version; allowed: version: ${SUPPORTED_VERSIONS.join(" | ")}, or apiVersion: ${SUPPORTED_API_VERSIONS.join(" | ")}`);
    }
  });
  if (opensloDocs.length > 0) definitions.push(...parseOpensloV1(opensloDocs));
  return { definitions, errors, warnings };
}

function suggestOf(value: unknown, allowed: readonly string[]): string {
  return typeof value === "string" ? suggest(value, allowed) : "";
}
