/**
 * Stage 1, parse: YAML text → SLO definitions, for every supported input format. A file may hold several
 * YAML documents (`---`); each goes to the first format of `SLO_FORMATS` (formats/index.ts) that claims it,
 * and each format then parses all its documents of all files at once. Problems are collected, never thrown,
 * so that one run reports them all.
 */
import { parseAllDocuments } from "yaml";
import type { RejectedSloDefinition, SloDefinition, SloDiagnostic } from "./model";
import { addError, dropNulls, type FieldPath, type FormatContext, isMap } from "./formats/common";
import { detectFormat, markerValues, SLO_FORMATS, type SloFormat, type SloFormatDocument, unclaimedDocumentProblem } from "./formats/index";

/** Values of `version:` some format reads (derived from `SLO_FORMATS`). */
export const SUPPORTED_VERSIONS: readonly string[] = markerValues("version");
/** Values of `apiVersion:` some format reads (derived from `SLO_FORMATS`). */
export const SUPPORTED_API_VERSIONS: readonly string[] = markerValues("apiVersion");

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
   * own format always refuses them), and an SLI selector without a `namespace` matcher (lib/slo/namespace-matchers.ts)
   * instead of warning about it.
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
  /** The environment names the platform specs override (`environments.<name>`), sorted. */
  readonly overriddenEnvironments: string[];
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
    if (!bad) claim(values, file, options, sink);
  }
  return finish(sink, inputs.map((i) => i.file));
}

/** Parses already-loaded documents (e.g. built in TypeScript) of one file. */
export function parseSloDocuments(documents: readonly unknown[], file: string, options: ParseOptions = {}): ParseResult {
  const sink = newSink();
  claim(documents, file, options, sink);
  return finish(sink, [file]);
}

interface Sink {
  readonly errors: SloDiagnostic[];
  readonly warnings: SloDiagnostic[];
  readonly rejected: RejectedSloDefinition[];
  /** The documents each format claimed, in input order. */
  readonly claimed: Map<SloFormat, SloFormatDocument[]>;
  /** Documents no format claimed; reported after the formats have parsed theirs, in input order. */
  readonly unclaimed: SloFormatDocument[];
  readonly overridden: Set<string>;
}

function newSink(): Sink {
  return { errors: [], warnings: [], rejected: [], claimed: new Map(SLO_FORMATS.map((f) => [f, []])), unclaimed: [], overridden: new Set() };
}

/**
 * Lets every format parse the documents it claimed, then reports the unclaimed ones. Definitions and
 * diagnostics are put back in file order (a stable sort, so each file keeps its own order).
 */
function finish(sink: Sink, files: readonly string[]): ParseResult {
  const definitions: SloDefinition[] = [];
  for (const [format, documents] of sink.claimed) if (documents.length > 0) definitions.push(...format.parse(documents));
  for (const { doc, ctx } of sink.unclaimed) {
    const problem = unclaimedDocumentProblem(doc);
    addError(ctx, [problem.field], problem.message);
  }
  const order = new Map<string, number>();
  files.forEach((f, i) => order.has(f) || order.set(f, i));
  const byFile = <T>(fileOf: (x: T) => string) => (a: T, b: T) => (order.get(fileOf(a)) ?? 0) - (order.get(fileOf(b)) ?? 0);
  definitions.sort(byFile((d: SloDefinition) => d.source.file));
  sink.errors.sort(byFile((d: SloDiagnostic) => d.file));
  sink.warnings.sort(byFile((d: SloDiagnostic) => d.file));
  return { definitions, errors: sink.errors, warnings: sink.warnings, rejected: sink.rejected, overriddenEnvironments: [...sink.overridden].sort() };
}

/** One YAML document, or one item of a document that is a list of objects (OpenSLO's SDK writes those). */
interface Doc {
  readonly value: unknown;
  readonly prefix: FieldPath;
}

/** Hands each document of one file to the format that claims it (parsing waits for `finish`). */
function claim(documents: readonly unknown[], file: string, options: ParseOptions, sink: Sink): void {
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
    const context = (format: FormatContext["format"]): FormatContext => ({
      file,
      format,
      prefix,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      ...(options.knownEnvironments !== undefined ? { knownEnvironments: options.knownEnvironments } : {}),
      strict: options.strict ?? false,
      overridden: sink.overridden,
      errors: sink.errors,
      warnings: sink.warnings,
      rejected: sink.rejected,
    });
    if (!isMap(value)) {
      addError(context(SLO_FORMATS[0]!.name), [], "expected a map with version (or apiVersion) at the top of the document");
      continue;
    }
    const doc = dropNulls(value) as Record<string, unknown>;
    const format = detectFormat(doc);
    if (format) sink.claimed.get(format)!.push({ doc, ctx: context(format.name) });
    else sink.unclaimed.push({ doc, ctx: context(SLO_FORMATS[0]!.name) });
  }
}
