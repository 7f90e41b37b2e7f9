/**
 * Stage 1, parse: YAML text → SLO definitions, for every supported input format. A file may hold several
 * YAML documents (`---`), each dispatched on its `version` (platform and Sloth specs) or `apiVersion`
 * (OpenSLO, Sloth's Kubernetes form). Problems are collected, never thrown, so that one run reports them all.
 */
import { parseAllDocuments } from "yaml";
import type { RejectedSloDefinition, SloDefinition, SloDiagnostic } from "./model";
import { addError, dropNulls, type FieldPath, type FormatContext, isMap, suggest } from "./formats/common";
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
  /**
   * Refuse unknown keys in Sloth and OpenSLO files instead of ignoring them with a warning (the platform's
   * own format always refuses them).
   * @default false
   */
  readonly strict?: boolean;
}

export interface ParseResult {
  /** Definitions of the SLOs that parsed (those with problems are left out). */
  readonly definitions: SloDefinition[];
  /** Problems that make the input unusable; any error means nothing may be written. */
  readonly errors: SloDiagnostic[];
  /** Things ignored or worth a look; they do not stop compilation. */
  readonly warnings: SloDiagnostic[];
  /**
   * SLOs left out for a parse problem but complete enough to validate, so one run also reports their other
   * problems; never compile them.
   */
  readonly rejected: RejectedSloDefinition[];
}

/** The text of one SLO file and the name it is reported under. */
export interface SloText {
  readonly text: string;
  readonly file: string;
}

/** Parses the text of one SLO file (any supported format, one or more YAML documents). */
export function parseSloYaml(text: string, file: string, options: ParseOptions = {}): ParseResult {
  return parseSloTexts([{ text, file }], options);
}

/**
 * Parses several SLO files as one set: an OpenSLO `indicatorRef` may name a `kind: SLI` document of any of
 * them. Problems of every file are collected.
 */
export function parseSloTexts(inputs: readonly SloText[], options: ParseOptions = {}): ParseResult {
  const sink = newSink();
  for (const { text, file } of inputs) {
    const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
    const values: unknown[] = [];
    let bad = false;
    for (const doc of docs) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        const reason = e.message.split(/ at line \d+, column \d+/)[0]!.split("\n")[0]!;
        sink.errors.push({ file, stage: "parse", message: `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ${reason}` });
        bad = true;
      }
      if (doc.errors.length === 0) values.push(doc.toJS({ maxAliasCount: 1000 }));
    }
    if (!bad) dispatch(values, file, options, sink);
  }
  return finish(sink);
}

/** Parses already-loaded documents (e.g. built in TypeScript) of one file. */
export function parseSloDocuments(documents: readonly unknown[], file: string, options: ParseOptions = {}): ParseResult {
  const sink = newSink();
  dispatch(documents, file, options, sink);
  return finish(sink);
}

interface Sink {
  readonly definitions: SloDefinition[];
  readonly errors: SloDiagnostic[];
  readonly warnings: SloDiagnostic[];
  readonly rejected: RejectedSloDefinition[];
  readonly openslo: OpensloDocument[];
}

function newSink(): Sink {
  return { definitions: [], errors: [], warnings: [], rejected: [], openslo: [] };
}

function finish(sink: Sink): ParseResult {
  if (sink.openslo.length > 0) sink.definitions.push(...parseOpensloV1(sink.openslo));
  return { definitions: sink.definitions, errors: sink.errors, warnings: sink.warnings, rejected: sink.rejected };
}

/** One YAML document, or one item of a document that is a list of objects (OpenSLO's SDK writes those). */
interface Doc {
  readonly value: unknown;
  readonly prefix: FieldPath;
}

function dispatch(documents: readonly unknown[], file: string, options: ParseOptions, sink: Sink): void {
  const present = documents.filter((d) => d !== null && d !== undefined);
  if (present.length === 0) sink.errors.push({ file, stage: "parse", message: "no SLO document in file" });
  const docs: Doc[] = [];
  documents.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const prefix: FieldPath = present.length > 1 ? ["docs", i] : [];
    if (Array.isArray(doc)) doc.forEach((item, j) => docs.push({ value: item, prefix: [...prefix, j] }));
    else docs.push({ value: doc, prefix });
  });
  for (const { value, prefix } of docs) {
    const ctx: FormatContext = {
      file,
      format: SRE_PLATFORM_V1,
      prefix,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      ...(options.knownEnvironments !== undefined ? { knownEnvironments: options.knownEnvironments } : {}),
      strict: options.strict ?? false,
      errors: sink.errors,
      warnings: sink.warnings,
      rejected: sink.rejected,
    };
    if (!isMap(value)) {
      addError(ctx, [], "expected a map with version (or apiVersion) at the top of the document");
      continue;
    }
    const doc = dropNulls(value) as Record<string, unknown>;
    const version = doc["version"];
    const apiVersion = doc["apiVersion"];
    if (version !== undefined) {
      if (version === SRE_PLATFORM_V1) sink.definitions.push(...parseSrePlatformV1(doc, ctx));
      else if (version === SLOTH_PROMETHEUS_V1) sink.definitions.push(...parseSlothV1(doc, { ...ctx, format: "prometheus/v1" }));
      else addError(ctx, ["version"], `unknown version ${JSON.stringify(version)}${suggestOf(version, SUPPORTED_VERSIONS)}; allowed: ${SUPPORTED_VERSIONS.join(", ")} (or apiVersion: ${SUPPORTED_API_VERSIONS.join(", ")})`);
    } else if (apiVersion !== undefined) {
      if (apiVersion === OPENSLO_V1) sink.openslo.push({ doc, ctx: { ...ctx, format: "openslo/v1" } });
      else if (apiVersion === SLOTH_K8S_V1) sink.definitions.push(...parseSlothK8sV1(doc, { ...ctx, format: "prometheus/v1" }));
      else if (typeof apiVersion === "string" && apiVersion.startsWith("openslo/")) {
        addError(ctx, ["apiVersion"], `${apiVersion} is not supported; allowed: ${OPENSLO_V1} (from v1alpha: ratioMetrics → indicator.spec.ratioMetric with metricSource, timeWindows → timeWindow with duration and isRolling)`);
      } else {
        addError(ctx, ["apiVersion"], `unknown apiVersion ${JSON.stringify(apiVersion)}${suggestOf(apiVersion, SUPPORTED_API_VERSIONS)}; allowed: ${SUPPORTED_API_VERSIONS.join(", ")} (or version: ${SUPPORTED_VERSIONS.join(", ")})`);
      }
    } else {
      addError(ctx, ["version"], `required field is missing: the spec version; allowed: version: ${SUPPORTED_VERSIONS.join(" | ")}, or apiVersion: ${SUPPORTED_API_VERSIONS.join(" | ")}`);
    }
  }
}

function suggestOf(value: unknown, allowed: readonly string[]): string {
  return typeof value === "string" ? suggest(value, allowed) : "";
}
