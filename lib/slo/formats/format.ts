/**
 * The shape every SLO input format exports: one descriptor saying how to recognise its documents and how to
 * parse them. The loader walks `SLO_FORMATS` (formats/index.ts) and knows no format by name, so adding a
 * format is one file and one list entry; the message for a document no format claims is built from the
 * descriptors' `markers`, so it always lists what is actually supported.
 */
import type { SloDefinition, SloInputFormat } from "../model";
import type { FormatContext } from "./common";

/** A top-level key and value that mark a document as one format's, e.g. `apiVersion: openslo/v1`. */
export interface SloFormatMarker {
  readonly field: "version" | "apiVersion";
  readonly value: string;
  /** The `kind`s read under this `apiVersion`, for the message about unrecognised documents. @default - no kind */
  readonly kinds?: readonly string[];
}

/** One YAML document (or one item of a top-level list) claimed by a format, with its own context. */
export interface SloFormatDocument {
  /** The document, YAML nulls already dropped. */
  readonly doc: Readonly<Record<string, unknown>>;
  /** Where its problems go and how its field paths are written (`ctx.format` is the format's name). */
  readonly ctx: FormatContext;
}

/** A problem to report for a document no format claimed: where, and what to say. */
export interface UnclaimedDocumentProblem {
  readonly field: "version" | "apiVersion";
  readonly message: string;
}

/** An SLO input format. */
export interface SloFormat {
  /** The format's name, as definitions record it in `source.format`. */
  readonly name: SloInputFormat;
  /** Who defines the format, for messages (`Sloth`, `OpenSLO`). @default - the platform's own: no title */
  readonly title?: string;
  /** The values that mark its documents; messages about unrecognised documents list them. */
  readonly markers: readonly SloFormatMarker[];
  /** Is this document mine? Called on each document in `SLO_FORMATS` order; the first format to say yes owns it. */
  detect(doc: Readonly<Record<string, unknown>>): boolean;
  /**
   * Parses every document this format claimed in the files loaded together, at once: a document may refer to
   * another one (an OpenSLO `indicatorRef` names a `kind: SLI` of any file). Problems go to each document's
   * `ctx`; an SLO with a problem is left out of the result.
   */
  parse(documents: readonly SloFormatDocument[]): SloDefinition[];
  /**
   * A more precise message for a document no format claimed but that looks like this format's (another version
   * of it, say), instead of the generic list of formats.
   * @default - the generic message
   */
  explainUnclaimed?(doc: Readonly<Record<string, unknown>>): UnclaimedDocumentProblem | undefined;
}
