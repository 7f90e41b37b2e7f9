/**
 * Helpers shared by the input-format parsers: field paths, diagnostics, zod schemas for the common shapes
 * and the rendering of zod issues into our own messages (`file: slo: field: message`).
 */
import { z } from "zod";
import { closest, suggest } from "../../did-you-mean";
import type { RejectedSloDefinition, SloDiagnostic, SloInputFormat, SloPeriod } from "../model";
import type { Sli } from "../model";
import { checkSli, normalizeWindowPlaceholder } from "../promql";

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** `["slos", 0, "sli", "events"]` → `slos[0].sli.events`; odd keys are quoted: `labels["a.b"]`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Per-document parsing state: where we are, and where problems go. */
export interface FormatContext {
  readonly file: string;
  readonly format: SloInputFormat;
  /** Prepended to every field path, e.g. `["docs", 1]` in a file with several YAML documents. */
  readonly prefix: FieldPath;
  /** Environment whose overrides apply (platform specs only). */
  readonly environment?: string;
  /** When given, `environments` keys of platform specs must be among these. */
  readonly knownEnvironments?: readonly string[];
  /**
   * Unknown keys in third-party formats (Sloth, OpenSLO) are errors, not warnings. The platform's own format
   * always refuses them.
   * @default false
   */
  readonly strict?: boolean;
  /** Every environment name a platform spec overrides (`environments.<name>`), collected while parsing. */
  readonly overridden?: Set<string>;
  readonly errors: SloDiagnostic[];
  readonly warnings: SloDiagnostic[];
  /**
   * Definitions built despite a parse problem (e.g. a missing alert name): never compiled, but validated so
   * that one run reports their other problems (a bad label name) too.
   */
  readonly rejected: RejectedSloDefinition[];
}

export function fieldOf(ctx: FormatContext, path: FieldPath): string {
  return formatPath([...ctx.prefix, ...path]);
}

export function addError(ctx: FormatContext, path: FieldPath, message: string, slo?: string): void {
  ctx.errors.push(diag(ctx, path, message, slo));
}

export function addWarning(ctx: FormatContext, path: FieldPath, message: string, slo?: string): void {
  ctx.warnings.push(diag(ctx, path, message, slo));
}

function diag(ctx: FormatContext, path: FieldPath, message: string, slo?: string): SloDiagnostic {
  const field = fieldOf(ctx, path);
  return {
    file: ctx.file,
    ...(slo !== undefined ? { slo } : {}),
    ...(field !== "" ? { field } : {}),
    stage: "parse",
    message,
  };
}

export { closest, suggest };

/**
 * A key that an object schema does not declare, as data: where it is, what it is, what the schema allows
 * there and the likely intended key. Messages are formatted from this, never read back out of one.
 */
export interface UnknownKey {
  /** Path of the object holding the key, relative to the value parsed. */
  readonly path: FieldPath;
  readonly key: string;
  /** The keys the object's schema declares, read from the schema itself, so keys added by `.extend()` count. */
  readonly allowed: readonly string[];
  /** The allowed key within a small edit distance (a typo, another spelling), if any. */
  readonly suggestion?: string;
}

/**
 * The object schema that `path` leads to inside `schema`, looking through optional, nullable, default,
 * pipe (transforms, preprocess), union, array and record schemas.
 */
export function objectSchemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault || schema instanceof z.ZodReadonly) {
    return objectSchemaAt(schema.unwrap() as z.core.$ZodType, path);
  }
  if (schema instanceof z.ZodPipe) return objectSchemaAt(schema.in, path) ?? objectSchemaAt(schema.out, path);
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as readonly z.core.$ZodType[]) {
      const found = objectSchemaAt(option, path);
      if (found) return found;
    }
    return undefined;
  }
  if (path.length === 0) return schema instanceof z.ZodObject ? schema : undefined;
  const [head, ...rest] = path;
  if (schema instanceof z.ZodObject) {
    const child = typeof head === "string" ? (schema.shape as Record<string, z.core.$ZodType | undefined>)[head] : undefined;
    return child ? objectSchemaAt(child, rest) : undefined;
  }
  if (schema instanceof z.ZodArray) return typeof head === "number" ? objectSchemaAt(schema.element, rest) : undefined;
  if (schema instanceof z.ZodRecord) return objectSchemaAt(schema.valueType, rest);
  return undefined;
}

/** The unknown keys of an `unrecognized_keys` issue of `schema`, each with the keys allowed where it is. */
export function unknownKeysOf(schema: z.core.$ZodType, issue: z.core.$ZodIssueUnrecognizedKeys): UnknownKey[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const allowed = Object.keys(objectSchemaAt(schema, issue.path)?.shape ?? {});
  return issue.keys.map((key) => {
    const suggestion = closest(key, allowed);
    return { path, key, allowed, ...(suggestion !== undefined ? { suggestion } : {}) };
  });
}

/** `unknown field "objetive" (did you mean "objective"?); allowed fields: name, objective, …` */
export function unknownKeyMessage(u: UnknownKey): string {
  const meant = u.suggestion !== undefined ? ` (did you mean "${u.suggestion}"?)` : "";
  const allowed = u.allowed.length > 0 ? `; allowed fields: ${u.allowed.join(", ")}` : "; no fields are allowed here";
  return `unknown field "${u.key}"${meant}${allowed}`;
}

/** Label and annotation values: YAML numbers and booleans (`tier: 1`) are taken as their text. */
export const labelValue = z.preprocess(
  (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v),
  z.string({ error: "must be a string" }),
);

/** A map of label (or annotation) names to values; names and values are checked in validate.ts. */
export const labelMap = z.record(z.string(), labelValue);

/** Query strings: YAML block scalars (`|`) keep a trailing newline, which we drop; `{{ .window }}` → `{{.window}}`. */
export const queryString = z.string().transform((s) => normalizeWindowPlaceholder(s.trim()));

/** Periods as written in specs; `4w` and `1w` are Prometheus' own spelling of 28d and 7d. */
export const PERIOD_ALIASES: Readonly<Record<string, SloPeriod>> = { "30d": "30d", "28d": "28d", "4w": "28d", "7d": "7d", "1w": "7d" };

/**
 * YAML writes an optional key left empty (`labels:` with nothing under it, `ticket_alert:` with its children
 * commented out) as null. Sloth's and OpenSLO's decoders read that as absent, and so do we, in every format:
 * a null map value is dropped, so a required key left empty reads as missing. List items are kept.
 */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isMap(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = dropNulls(x);
  return out;
}

/**
 * Parses a third-party document (Sloth, OpenSLO) as its own tools do: keys the format does not know are
 * ignored with a warning naming the key and the likely intended one, unless `ctx.strict`. A misspelt
 * REQUIRED key stays an error (`objetive` for `objective`), since ignoring it leaves the field missing.
 * @returns the parsed value, or undefined when there are errors (reported to `ctx`)
 */
export function parseLenient<T>(schema: z.ZodType<T>, raw: unknown, ctx: FormatContext, base: FieldPath, slo?: string): T | undefined {
  const first = schema.safeParse(raw, { reportInput: true });
  if (first.success) return first.data;
  const unknown = first.error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? unknownKeysOf(schema, i) : []));
  if (ctx.strict || unknown.length === 0) {
    reportZodIssues(ctx, schema, first.error.issues, base, slo);
    return undefined;
  }
  const cleaned = structuredClone(raw);
  for (const u of unknown) {
    let at: unknown = cleaned;
    for (const p of u.path) at = isMap(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[p] : undefined;
    if (isMap(at)) delete at[u.key];
  }
  const second = schema.safeParse(cleaned, { reportInput: true });
  const missing = new Set(
    (second.success ? [] : second.error.issues).filter((i) => i.code === "invalid_type" && i.input === undefined).map((i) => JSON.stringify(i.path)),
  );
  const misspelt: UnknownKey[] = [];
  for (const u of unknown) {
    if (u.suggestion !== undefined && missing.has(JSON.stringify([...u.path, u.suggestion]))) misspelt.push(u);
    else addWarning(ctx, [...base, ...u.path, u.key], `${unknownKeyMessage(u)}; ignored${ctx.format === "prometheus/v1" ? ", as Sloth ignores it" : ""} (an error in strict mode)`, slo);
  }
  if (second.success && misspelt.length === 0) return second.data;
  reportProblems(ctx, [...misspelt, ...(second.success ? [] : second.error.issues)], base, slo);
  return undefined;
}

/** Renders the zod issues of `schema` as diagnostics under `base` (the path of the parsed value inside the document). */
export function reportZodIssues(
  ctx: FormatContext,
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
  base: FieldPath,
  slo?: string,
): void {
  reportProblems(ctx, issues.flatMap((i): Array<UnknownKey | z.core.$ZodIssue> => (i.code === "unrecognized_keys" ? unknownKeysOf(schema, i) : [i])), base, slo);
}

/** One diagnostic per unknown key and per other issue, in the order given. */
function reportProblems(ctx: FormatContext, problems: ReadonlyArray<UnknownKey | z.core.$ZodIssue>, base: FieldPath, slo?: string): void {
  // A misspelt required key gives two problems (unknown "objetive", missing "objective"); keep the first only.
  const misspelt = new Set<string>();
  for (const p of problems) if (!("code" in p) && p.suggestion !== undefined) misspelt.add(JSON.stringify([...p.path, p.suggestion]));
  for (const issue of problems) {
    if (!("code" in issue)) {
      addError(ctx, [...base, ...issue.path, issue.key], unknownKeyMessage(issue), slo);
      continue;
    }
    if (issue.code === "invalid_type" && issue.input === undefined && misspelt.has(JSON.stringify(issue.path))) continue;
    const path: PathSegment[] = [...base, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    let message = issue.message;
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined) message = `required field is missing (expected ${article(issue.expected)})`;
        else if (issue.message && !issue.message.startsWith("Invalid input")) message = `${issue.message}, got ${describeValue(issue.input)}`;
        else message = `expected ${article(issue.expected)}, got ${describeValue(issue.input)}`;
        break;
      case "invalid_value":
        message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(issue.input)}`;
        break;
      default:
        break;
    }
    addError(ctx, path, message, slo);
  }
}

function article(type: string): string {
  if (type === "array") return "a list";
  if (type === "object" || type === "record") return "a map";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A short, safe rendering of a YAML value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

/** SLO and service names: used in rule group names, label values and ids. */
export const SLO_NAME_RE = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

/** `checkout-api` + `availability` → `CheckoutApiAvailability`: the alert name when a spec gives none. */
export function defaultAlertName(service: string, name: string): string {
  const pascal = `${service} ${name}`
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== "")
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
  return /^[A-Za-z_]/.test(pascal) ? pascal : `Slo${pascal}`;
}

/** Collects `SloSource.fields`: model path → file path. */
export class FieldMap {
  private readonly entries: Record<string, string> = {};
  constructor(private readonly ctx: FormatContext) {}

  /** `inCtx` names another document of the same file (an OpenSLO `SLI` referenced by an `SLO`). */
  set(key: string, path: FieldPath, inCtx: FormatContext = this.ctx): this {
    this.entries[key] = fieldOf(inCtx, path);
    return this;
  }

  /** Records `<key>` and `<key>.<label>` for each label of a map written at `path`. */
  map(key: string, values: Readonly<Record<string, string>> | undefined, path: FieldPath): this {
    this.set(key, path);
    for (const name of Object.keys(values ?? {})) this.set(`${key}.${name}`, [...path, name]);
    return this;
  }

  build(): Readonly<Record<string, string>> {
    return { ...this.entries };
  }
}

/** True for a plain YAML map (not a list, not a scalar). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * For an SLO dropped because of other problems (a misspelt key, a missing objective): still report the
 * problems of its queries, so one run shows everything.
 */
export function reportSliProblems(ctx: FormatContext, sli: Sli | undefined, fields: FieldMap, slo: string | undefined): void {
  if (!sli) return;
  const paths = fields.build();
  for (const p of checkSli(sli)) {
    ctx.errors.push({ file: ctx.file, ...(slo !== undefined ? { slo } : {}), field: paths[p.key] ?? paths["sli"] ?? p.key, stage: "validate", message: p.message });
  }
}
