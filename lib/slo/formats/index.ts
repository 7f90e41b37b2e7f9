/**
 * The registry of SLO input formats: the loader (parse.ts) walks this list and nothing else, and the
 * message for a document no format claims is built from it. A new format is one file exporting a `SloFormat`
 * and one entry here.
 */
import type { SloFormat, SloFormatMarker, UnclaimedDocumentProblem } from "./format";
import { suggest } from "./common";
import { OPENSLO_V1_FORMAT } from "./openslo-v1";
import { SLOTH_V1_FORMAT } from "./sloth-v1";
import { SRE_PLATFORM_V1_FORMAT } from "./sre-platform-v1";

export type { SloFormat, SloFormatDocument, SloFormatMarker, UnclaimedDocumentProblem } from "./format";

/** Every input format, in the order they are asked whether a document is theirs. */
export const SLO_FORMATS: readonly SloFormat[] = [SRE_PLATFORM_V1_FORMAT, SLOTH_V1_FORMAT, OPENSLO_V1_FORMAT];

/** The format that claims `doc`, if any (the first in `formats` whose `detect` says yes). */
export function detectFormat(doc: Readonly<Record<string, unknown>>, formats: readonly SloFormat[] = SLO_FORMATS): SloFormat | undefined {
  return formats.find((f) => f.detect(doc));
}

/** The values of `field` that some format reads, in registry order. */
export function markerValues(field: SloFormatMarker["field"], formats: readonly SloFormat[] = SLO_FORMATS): string[] {
  return formats.flatMap((f) => f.markers.filter((m) => m.field === field).map((m) => m.value));
}

/**
 * `sre-platform/v1 (version: sre-platform/v1); Sloth prometheus/v1 (version: prometheus/v1, or apiVersion:
 * sloth.slok.dev/v1 with kind: PrometheusServiceLevel); …`: what each format expects at the top of a document.
 */
export function describeFormats(formats: readonly SloFormat[] = SLO_FORMATS): string {
  return formats
    .map((f) => {
      const marks = f.markers.map((m) => `${m.field}: ${m.value}${m.kinds?.length ? ` with kind: ${orList(m.kinds)}` : ""}`);
      return `${f.title !== undefined ? `${f.title} ` : ""}${f.name} (${marks.join(", or ")})`;
    })
    .join("; ");
}

/**
 * Why no format claimed `doc`: an unknown `version` or `apiVersion` (with the closest known value), or neither
 * given; a format may explain a near miss of its own (an older OpenSLO version) more precisely.
 */
export function unclaimedDocumentProblem(doc: Readonly<Record<string, unknown>>, formats: readonly SloFormat[] = SLO_FORMATS): UnclaimedDocumentProblem {
  for (const f of formats) {
    const own = f.explainUnclaimed?.(doc);
    if (own) return own;
  }
  const supported = `allowed: ${describeFormats(formats)}`;
  for (const field of ["version", "apiVersion"] as const) {
    const value = doc[field];
    if (value === undefined) continue;
    const hint = typeof value === "string" ? suggest(value, markerValues(field, formats)) : "";
    return { field, message: `unknown ${field} ${JSON.stringify(value)}${hint}; ${supported}` };
  }
  return { field: "version", message: `required field is missing: version (or apiVersion) saying the format; ${supported}` };
}

function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}
