/**
 * OpenSLO `openslo/v1`: `kind: SLO` objects with an inline `indicator` or an `indicatorRef` to a `kind: SLI`
 * document of any file loaded together (files may also hold a YAML list of objects). Mapped:
 * - `ratioMetric` good/total and bad/total → events SLI; `raw` with `rawType: failure|success` → raw SLI;
 *   `counter: true` queries select counters and are rewritten into rates per window (openslo-v1-sli.ts);
 * - `thresholdMetric` only as a classic histogram selector with `op: lte` (the bucket `le` is the value);
 * - `budgetingMethod: Occurrences`; a rolling `timeWindow` (required, as OpenSLO requires it) of 30d,
 *   28d (4w), 7d (1w), or 1M (→ 30d, warned);
 * - `objectives[0].target` (0..1) or `targetPercent` → objective in percent.
 * Unknown keys are ignored with a warning (an error with `strict`); an `SLI` no SLO uses is still checked.
 * @see https://github.com/OpenSLO/OpenSLO#slo
 */
import { z } from "zod";
import type { SloDefinition, SloPeriod } from "../model";
import {
  addError, addWarning, defaultAlertName, FieldMap, type FieldPath, type FormatContext, formatPath, isMap,
  PERIOD_ALIASES, parseLenient, reportZodIssues, suggest,
} from "./common";
import type { SloFormat, SloFormatDocument } from "./format";
import { metadataSchema, opensloSli, type SliSpec, sliSpecSchema } from "./openslo-v1-sli";

export const OPENSLO_V1 = "openslo/v1";

/** OpenSLO's month: no window table of its own; a rolling month is read as the 30d period (with a warning). */
const OPENSLO_PERIODS: Readonly<Record<string, SloPeriod>> = { "1M": "30d" };

const KINDS_USED = ["SLO", "SLI", "DataSource", "Service"];
const KINDS_IGNORED = ["AlertPolicy", "AlertCondition", "AlertNotificationTarget"];

const objectiveSchema = z.strictObject({
  displayName: z.string().optional(),
  op: z.enum(["lt", "lte", "gt", "gte"]).optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.union([z.string(), z.number()]).optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.string().optional(),
  compositeWeight: z.number().optional(),
});

const sloDocSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_V1),
  kind: z.literal("SLO"),
  metadata: metadataSchema,
  spec: z.strictObject({
    description: z.string().optional(),
    service: z.string(),
    indicator: z.strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z.array(z.strictObject({ duration: z.string(), isRolling: z.boolean().optional(), calendar: z.unknown().optional() })).optional(),
    budgetingMethod: z.string(),
    objectives: z.array(objectiveSchema).min(1, { error: "at least one objective is required" }),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

const sliDocSchema = z.strictObject({ apiVersion: z.literal(OPENSLO_V1), kind: z.literal("SLI"), metadata: metadataSchema, spec: sliSpecSchema });
const kindOnlySchema = z.object({ kind: z.string({ error: `kind is required: one of ${KINDS_USED.join(", ")}` }) });


/** OpenSLO in the registry of input formats (formats/index.ts). */
export const OPENSLO_V1_FORMAT: SloFormat = {
  name: OPENSLO_V1,
  title: "OpenSLO",
  markers: [{ field: "apiVersion", value: OPENSLO_V1, kinds: KINDS_USED }],
  detect: (doc) => doc["version"] === undefined && doc["apiVersion"] === OPENSLO_V1,
  parse: (documents) => parseOpensloV1(documents),
  explainUnclaimed: (doc) => {
    const v = doc["apiVersion"];
    if (doc["version"] !== undefined || typeof v !== "string" || !v.startsWith("openslo/")) return undefined;
    return {
      field: "apiVersion",
      message: `${v} is not supported; allowed: ${OPENSLO_V1} (from v1alpha: ratioMetrics → indicator.spec.ratioMetric with metricSource, timeWindows → timeWindow with duration and isRolling)`,
    };
  },
};

/**
 * Parses the `openslo/v1` documents of every file loaded together, so an `indicatorRef` finds the `SLI`
 * (and a `metricSourceRef` the `DataSource`) wherever it is written.
 */
export function parseOpensloV1(docs: readonly SloFormatDocument[]): SloDefinition[] {
  const slis = new Map<string, Sli>();
  const dataSourceTypes = new Map<string, string>();
  const slos: Array<{ slo: z.infer<typeof sloDocSchema>; ctx: FormatContext }> = [];
  for (const { doc, ctx } of docs) {
    const kind = kindOnlySchema.safeParse(doc, { reportInput: true });
    if (!kind.success) {
      reportZodIssues(ctx, kindOnlySchema, kind.error.issues, []);
      continue;
    }
    const k = kind.data.kind;
    if (k === "SLO") {
      const r = parseLenient(sloDocSchema, doc, ctx, [], sloNameOf(doc));
      if (r !== undefined) slos.push({ slo: r, ctx });
    } else if (k === "SLI") {
      const r = parseLenient(sliDocSchema, doc, ctx, []);
      if (r === undefined) continue;
      const previous = slis.get(r.metadata.name);
      if (previous) addError(ctx, ["metadata", "name"], `duplicate SLI name "${r.metadata.name}": already defined in ${previous.ctx.file}${previous.ctx.prefix.length ? ` (${formatPath(previous.ctx.prefix)})` : ""}`);
      else slis.set(r.metadata.name, { spec: r.spec, ctx, used: false });
    } else if (k === "DataSource") {
      const d = doc as { metadata?: { name?: unknown }; spec?: { type?: unknown } };
      if (typeof d.metadata?.name === "string" && typeof d.spec?.type === "string") dataSourceTypes.set(d.metadata.name, d.spec.type);
    } else if (KINDS_IGNORED.includes(k)) {
      addWarning(ctx, ["kind"], `${k} is ignored: the compiler generates its own page and ticket burn-rate alerts`);
    } else if (k !== "Service") {
      addError(ctx, ["kind"], `unsupported kind "${k}"; allowed kinds: ${[...KINDS_USED, ...KINDS_IGNORED].join(", ")}`);
    }
  }
  const defs: SloDefinition[] = [];
  const perFile = new Map<string, number>();
  for (const { slo, ctx } of slos) {
    const index = perFile.get(ctx.file) ?? 0;
    perFile.set(ctx.file, index + 1);
    const def = toDefinition(slo, ctx, index, slis, dataSourceTypes);
    if (def) defs.push(def);
  }
  // An SLI no SLO refers to is still checked, so a broken one never waits for its first user.
  for (const [name, sli] of slis) {
    if (sli.used) continue;
    addWarning(sli.ctx, ["metadata", "name"], `SLI "${name}" is not used by any SLO in the files given; checked, but compiles to nothing`);
    const site = { sctx: sli.ctx, sp: ["spec"], ctx: sli.ctx, op: [], id: undefined, dataSourceTypes };
    opensloSli(sli.spec, site, undefined, new FieldMap(sli.ctx));
  }
  return defs;
}

/** A `kind: SLI` document, and whether an SLO referred to it. */
interface Sli {
  readonly spec: SliSpec;
  readonly ctx: FormatContext;
  used: boolean;
}

function sloNameOf(doc: unknown): string | undefined {
  const m = isMap(doc) ? doc["metadata"] : undefined;
  const s = isMap(doc) ? doc["spec"] : undefined;
  const name = isMap(m) && typeof m["name"] === "string" ? m["name"] : undefined;
  const service = isMap(s) && typeof s["service"] === "string" ? s["service"] : undefined;
  return name === undefined ? undefined : service === undefined ? name : `${service}-${name}`;
}

function toDefinition(
  slo: z.infer<typeof sloDocSchema>,
  ctx: FormatContext,
  index: number,
  slis: Map<string, Sli>,
  dataSourceTypes: Map<string, string>,
): SloDefinition | undefined {
  const { metadata, spec } = slo;
  const id = `${spec.service}-${metadata.name}`;
  const errorsBefore = ctx.errors.length;
  const fields = new FieldMap(ctx)
    .set("service", ["spec", "service"])
    .set("name", ["metadata", "name"])
    .set("labels", ["metadata", "labels"])
    .set("alerting", ["spec"])
    .set("alerting.name", ["metadata", "name"]);

  if (spec.budgetingMethod !== "Occurrences") {
    addError(ctx, ["spec", "budgetingMethod"], `"${spec.budgetingMethod}" is not supported; allowed values: Occurrences (Timeslices and RatioTimeslices have no burn-rate alerting)`, id);
  }
  const period = toPeriod(spec.timeWindow, ctx, id);
  fields.set("period", ["spec", "timeWindow", 0, "duration"]);

  if (spec.objectives.length > 1) {
    addError(ctx, ["spec", "objectives"], `${spec.objectives.length} objectives given; only one objective per SLO is supported (split it into several SLOs)`, id);
  }
  const objective = spec.objectives[0]!;
  const op: FieldPath = ["spec", "objectives", 0];
  let percent: number | undefined;
  if (objective.target !== undefined) {
    percent = Number((objective.target * 100).toPrecision(12));
    fields.set("objective", [...op, "target"]);
    if (!(objective.target > 0 && objective.target < 1)) {
      addError(ctx, [...op, "target"], `must be a ratio strictly between 0 and 1 (e.g. 0.999), got ${objective.target}`, id);
    }
  } else if (objective.targetPercent !== undefined) {
    percent = objective.targetPercent;
    fields.set("objective", [...op, "targetPercent"]);
  } else {
    addError(ctx, [...op, "target"], "required field is missing: give target (a ratio such as 0.999) or targetPercent", id);
  }
  for (const key of ["timeSliceTarget", "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight"] as const) {
    if (objective[key] !== undefined) {
      addError(ctx, [...op, key], key.startsWith("timeSlice") ? "timeslice objectives are not supported (budgetingMethod Occurrences only)" : "per-objective indicators (composite SLOs) are not supported; use spec.indicator or spec.indicatorRef", id);
    }
  }
  if (spec.alertPolicies !== undefined) {
    addWarning(ctx, ["spec", "alertPolicies"], "ignored: the compiler generates its own page and ticket burn-rate alerts", id);
  }

  let sliSpec: SliSpec | undefined;
  let sliCtx = ctx;
  let sliPath: FieldPath = ["spec", "indicator", "spec"];
  if (spec.indicator && spec.indicatorRef !== undefined) {
    addError(ctx, ["spec", "indicatorRef"], "give either indicator or indicatorRef, not both", id);
  } else if (spec.indicator) {
    sliSpec = spec.indicator.spec;
  } else if (spec.indicatorRef !== undefined) {
    const found = slis.get(spec.indicatorRef);
    if (!found) {
      const known = [...slis.keys()];
      addError(ctx, ["spec", "indicatorRef"], `no SLI named "${spec.indicatorRef}" in the files given${suggest(spec.indicatorRef, known)}${known.length ? ` (SLIs: ${known.join(", ")})` : ""}; load the file with the kind: SLI document too, or inline it as spec.indicator`, id);
    } else {
      found.used = true;
      sliSpec = found.spec;
      sliCtx = found.ctx;
      sliPath = ["spec"];
    }
  } else {
    addError(ctx, ["spec", "indicator"], "missing SLI: give spec.indicator (inline) or spec.indicatorRef (the name of a kind: SLI document)", id);
  }
  const site = { sctx: sliCtx, sp: sliPath, ctx, op, id, dataSourceTypes };
  const sli = sliSpec ? opensloSli(sliSpec, site, objective, fields) : undefined;
  if (!sli || percent === undefined) return undefined;

  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.labels ?? {})) {
    labels[k] = Array.isArray(v) ? v.join(",") : v;
    fields.set(`labels.${k}`, ["metadata", "labels", k]);
  }
  const none = { disabled: false, labels: {}, annotations: {} };
  const description = spec.description ?? metadata.displayName;
  const def: SloDefinition = {
    service: spec.service,
    name: metadata.name,
    id,
    objective: percent,
    ...(description !== undefined ? { description } : {}),
    labels,
    sli,
    ...(period !== undefined ? { period } : {}),
    alerting: { name: defaultAlertName(spec.service, metadata.name), labels: {}, annotations: {}, page: none, ticket: none },
    source: { file: ctx.file, format: OPENSLO_V1, index, fields: fields.build() },
  };
  // Every file loaded together shares one error list, so this also sees problems of a referenced SLI.
  // Such a definition is still validated (labels, names), never compiled.
  if (ctx.errors.length > errorsBefore) {
    ctx.rejected.push(def);
    return undefined;
  }
  return def;
}

/** The durations a rolling `timeWindow` may have, for messages. */
const ALLOWED_DURATIONS = "30d, 28d (4w), 7d (1w), 1M (read as 30d)";

/**
 * The period of `spec.timeWindow`. OpenSLO requires the window (its SDK refuses an SLO without one), so a
 * missing one is an error rather than a silent 30d: the spec's author chose no period we could know.
 */
function toPeriod(windows: Array<{ duration: string; isRolling?: boolean | undefined; calendar?: unknown }> | undefined, ctx: FormatContext, id: string): SloPeriod | undefined {
  if (windows === undefined || windows.length === 0) {
    addError(ctx, ["spec", "timeWindow"], `required field is missing: one rolling time window, e.g. [{duration: 30d, isRolling: true}]; allowed durations: ${ALLOWED_DURATIONS}`, id);
    return undefined;
  }
  const w = windows[0]!;
  const wp: FieldPath = ["spec", "timeWindow", 0];
  if (windows.length > 1) addError(ctx, ["spec", "timeWindow"], "only one time window is supported", id);
  if (w.isRolling === false || w.calendar !== undefined) {
    addError(ctx, [...wp, "isRolling"], "calendar-aligned windows are not supported; use a rolling window (isRolling: true)", id);
  }
  const period = PERIOD_ALIASES[w.duration] ?? OPENSLO_PERIODS[w.duration];
  if (!period) {
    addError(ctx, [...wp, "duration"], `unsupported duration "${w.duration}"; allowed: ${ALLOWED_DURATIONS}: the alert windows have reviewed tables for these periods only`, id);
  } else if (w.duration === "1M") {
    addWarning(ctx, [...wp, "duration"], "1M (a month, 28 to 31 days) is read as a rolling 30d period", id);
  }
  return period;
}
