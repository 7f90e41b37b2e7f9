/**
 * OpenSLO `openslo/v1`: `kind: SLO` objects with an inline `indicator` or an `indicatorRef` to a `kind: SLI`
 * document of the same file. Mapped:
 * - `ratioMetric` good/total and bad/total → events SLI; `raw` with `rawType: failure|success` → raw SLI;
 * - `thresholdMetric` only as a classic histogram selector with `op: lte` (the bucket `le` is the value);
 * - `budgetingMethod: Occurrences`; a rolling `timeWindow` of 30d, 28d (4w) or 7d (1w);
 * - `objectives[0].target` (0..1) or `targetPercent` → objective in percent.
 * OpenSLO queries are instant queries; ours are evaluated per alert window, so every ratio query must
 * contain `{{.window}}` (e.g. `sum(rate(http_requests_total[{{.window}}]))`).
 * @see https://github.com/OpenSLO/OpenSLO#slo
 */
import { z } from "zod";
import type { Sli, SloDefinition, SloPeriod } from "../model";
import { checkPromql, hasWindowPlaceholder, matcherLabelNames, normalizeWindowPlaceholder, parseVectorSelector } from "../promql";
import {
  addError, addWarning, defaultAlertName, FieldMap, type FieldPath, type FormatContext, isMap, labelValue,
  PERIOD_ALIASES, reportZodIssues, strictObject,
} from "./common";

export const OPENSLO_V1 = "openslo/v1";

const KINDS_USED = ["SLO", "SLI", "DataSource", "Service"];
const KINDS_IGNORED = ["AlertPolicy", "AlertCondition", "AlertNotificationTarget"];

const metadataSchema = strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([labelValue, z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const metricSourceSchema = strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});
const metricHolder = strictObject({ metricSource: metricSourceSchema });

const sliSpecSchema = strictObject({
  description: z.string().optional(),
  thresholdMetric: metricHolder.optional(),
  ratioMetric: strictObject({
    counter: z.boolean().optional(),
    good: metricHolder.optional(),
    bad: metricHolder.optional(),
    total: metricHolder.optional(),
    rawType: z.enum(["success", "failure"]).optional(),
    raw: metricHolder.optional(),
  }).optional(),
});

const objectiveSchema = strictObject({
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

const sloDocSchema = strictObject({
  apiVersion: z.literal(OPENSLO_V1),
  kind: z.literal("SLO"),
  metadata: metadataSchema,
  spec: strictObject({
    description: z.string().optional(),
    service: z.string(),
    indicator: strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z.array(strictObject({ duration: z.string(), isRolling: z.boolean().optional(), calendar: z.unknown().optional() })).optional(),
    budgetingMethod: z.string(),
    objectives: z.array(objectiveSchema).min(1, { error: "at least one objective is required" }),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

const sliDocSchema = strictObject({ apiVersion: z.literal(OPENSLO_V1), kind: z.literal("SLI"), metadata: metadataSchema, spec: sliSpecSchema });
const kindOnlySchema = z.object({ kind: z.string({ error: `kind is required: one of ${KINDS_USED.join(", ")}` }) });

type SliSpec = z.infer<typeof sliSpecSchema>;
type MetricHolder = z.infer<typeof metricHolder>;

/** One YAML document of a file, with its own context (its field-path prefix). */
export interface OpensloDocument {
  readonly doc: unknown;
  readonly ctx: FormatContext;
}

/** Parses the `openslo/v1` documents of one file together, so `indicatorRef` finds `SLI` documents. */
export function parseOpensloV1(docs: readonly OpensloDocument[]): SloDefinition[] {
  const slis = new Map<string, { spec: SliSpec; ctx: FormatContext }>();
  const dataSourceTypes = new Map<string, string>();
  const slos: Array<{ slo: z.infer<typeof sloDocSchema>; ctx: FormatContext }> = [];
  for (const { doc, ctx } of docs) {
    const kind = kindOnlySchema.safeParse(doc, { reportInput: true });
    if (!kind.success) {
      reportZodIssues(ctx, kind.error.issues, []);
      continue;
    }
    const k = kind.data.kind;
    if (k === "SLO") {
      const r = sloDocSchema.safeParse(doc, { reportInput: true });
      if (r.success) slos.push({ slo: r.data, ctx });
      else reportZodIssues(ctx, r.error.issues, [], sloNameOf(doc));
    } else if (k === "SLI") {
      const r = sliDocSchema.safeParse(doc, { reportInput: true });
      if (r.success) slis.set(r.data.metadata.name, { spec: r.data.spec, ctx });
      else reportZodIssues(ctx, r.error.issues, []);
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
  slos.forEach(({ slo, ctx }, index) => {
    const def = toDefinition(slo, ctx, index, slis, dataSourceTypes);
    if (def) defs.push(def);
  });
  return defs;
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
  slis: Map<string, { spec: SliSpec; ctx: FormatContext }>,
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
      addError(ctx, ["spec", "indicatorRef"], `no SLI named "${spec.indicatorRef}" in this file${known.length ? ` (SLIs here: ${known.join(", ")})` : ""}; put the kind: SLI document in the same file or inline it as spec.indicator`, id);
    } else {
      sliSpec = found.spec;
      sliCtx = found.ctx;
      sliPath = ["spec"];
    }
  } else {
    addError(ctx, ["spec", "indicator"], "missing SLI: give spec.indicator (inline) or spec.indicatorRef (the name of a kind: SLI document)", id);
  }
  const sli = sliSpec ? toSli(sliSpec, sliCtx, sliPath, objective, op, ctx, fields, id, dataSourceTypes) : undefined;
  // All documents of a file share one error list, so this also sees problems found in a referenced SLI.
  if (!sli || percent === undefined || ctx.errors.length > errorsBefore) return undefined;

  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.labels ?? {})) {
    labels[k] = Array.isArray(v) ? v.join(",") : v;
    fields.set(`labels.${k}`, ["metadata", "labels", k]);
  }
  const none = { disabled: false, labels: {}, annotations: {} };
  const description = spec.description ?? metadata.displayName;
  return {
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
}

function toPeriod(windows: Array<{ duration: string; isRolling?: boolean | undefined; calendar?: unknown }> | undefined, ctx: FormatContext, id: string): SloPeriod | undefined {
  if (windows === undefined || windows.length === 0) return undefined;
  const w = windows[0]!;
  const wp: FieldPath = ["spec", "timeWindow", 0];
  if (windows.length > 1) addError(ctx, ["spec", "timeWindow"], "only one time window is supported", id);
  if (w.isRolling === false || w.calendar !== undefined) {
    addError(ctx, [...wp, "isRolling"], "calendar-aligned windows are not supported; use a rolling window (isRolling: true)", id);
  }
  const period = PERIOD_ALIASES[w.duration];
  if (!period) addError(ctx, [...wp, "duration"], `unsupported duration "${w.duration}"; allowed: 30d, 28d (4w), 7d (1w)`, id);
  return period;
}

function toSli(
  s: SliSpec,
  sctx: FormatContext,
  sp: FieldPath,
  objective: z.infer<typeof objectiveSchema>,
  op: FieldPath,
  ctx: FormatContext,
  fields: FieldMap,
  id: string,
  dataSourceTypes: Map<string, string>,
): Sli | undefined {
  fields.set("sli", sp, sctx);
  const query = (h: MetricHolder | undefined, key: string, needsWindow: boolean): string | undefined => {
    if (!h) return undefined;
    const mp: FieldPath = [...sp, ...key.split("."), "metricSource"];
    const ms = h.metricSource;
    const type = ms.type ?? (ms.metricSourceRef !== undefined ? dataSourceTypes.get(ms.metricSourceRef) : undefined);
    if (type === undefined || type.toLowerCase() !== "prometheus") {
      addError(sctx, [...mp, "type"], type === undefined ? "required field is missing: metric source type (allowed: Prometheus)" : `unsupported metric source type "${type}"; allowed: Prometheus`, id);
      return undefined;
    }
    const q = ms.spec["query"];
    const qp: FieldPath = [...mp, "spec", "query"];
    if (typeof q !== "string" || q.trim() === "") {
      addError(sctx, qp, "required field is missing: a PromQL query", id);
      return undefined;
    }
    if (needsWindow && !hasWindowPlaceholder(q)) {
      addError(sctx, qp, "missing {{.window}}: OpenSLO queries are instant, but each alert window needs its own rate; write the range as {{.window}}, e.g. sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))", id);
      return undefined;
    }
    const problem = checkPromql(q);
    if (problem) {
      addError(sctx, qp, problem.message, id);
      return undefined;
    }
    return normalizeWindowPlaceholder(q.trim());
  };

  const kinds = [s.ratioMetric ? "ratioMetric" : undefined, s.thresholdMetric ? "thresholdMetric" : undefined].filter((x) => x);
  if (kinds.length !== 1) {
    addError(sctx, sp, kinds.length === 0 ? "missing SLI: give ratioMetric or thresholdMetric" : "give either ratioMetric or thresholdMetric, not both", id);
    return undefined;
  }
  if (s.ratioMetric) {
    const r = s.ratioMetric;
    const rp: FieldPath = [...sp, "ratioMetric"];
    if (r.raw) {
      if (r.good || r.bad || r.total) {
        addError(sctx, rp, "give raw alone, or good/bad with total", id);
        return undefined;
      }
      if (!r.rawType) {
        addError(sctx, [...rp, "rawType"], "required with raw: success (the query is a success ratio) or failure (an error ratio)", id);
        return undefined;
      }
      const q = query(r.raw, "ratioMetric.raw", true);
      if (q === undefined) return undefined;
      fields.set("sli.errorRatioQuery", [...rp, "raw", "metricSource", "spec", "query"], sctx);
      return { kind: "raw", errorRatioQuery: r.rawType === "failure" ? q : `1 - (${q})` };
    }
    if (!r.total || (r.good === undefined) === (r.bad === undefined)) {
      addError(sctx, rp, "give total with exactly one of good or bad (or raw with rawType)", id);
      return undefined;
    }
    const total = query(r.total, "ratioMetric.total", true);
    const good = query(r.good, "ratioMetric.good", true);
    const bad = query(r.bad, "ratioMetric.bad", true);
    if (total === undefined || (good === undefined && bad === undefined)) return undefined;
    fields.set("sli.totalQuery", [...rp, "total", "metricSource", "spec", "query"], sctx);
    fields.set("sli.errorQuery", [...rp, bad !== undefined ? "bad" : "good", "metricSource", "spec", "query"], sctx);
    return { kind: "events", errorQuery: bad ?? `(${total}) - (${good})`, totalQuery: total };
  }
  const tp: FieldPath = [...sp, "thresholdMetric", "metricSource", "spec", "query"];
  const q = query(s.thresholdMetric, "thresholdMetric", false);
  if (q === undefined) return undefined;
  const sel = parseVectorSelector(q);
  const hint = "thresholdMetric is supported only as a classic histogram selector such as http_request_duration_seconds_bucket{job=\"api\"}, with objectives[0].op lte and value the bucket bound";
  if (!sel || hasWindowPlaceholder(q) || /_(count|sum)$/.test(sel.metric)) {
    addError(sctx, tp, `${hint}; got ${JSON.stringify(q)}`, id);
    return undefined;
  }
  if (matcherLabelNames(sel.matchers).includes("le")) {
    addError(sctx, tp, `remove the le matcher: the bucket bound comes from objectives[0].value`, id);
    return undefined;
  }
  if (objective.op !== "lte" || objective.value === undefined) {
    addError(ctx, [...op, objective.op !== "lte" ? "op" : "value"], objective.op !== "lte" ? `must be lte for a histogram threshold (a bucket counts values <= le), got ${JSON.stringify(objective.op)}` : "required field is missing: the latency threshold (a bucket bound)", id);
    return undefined;
  }
  fields.set("sli.metric", tp, sctx).set("sli.selector", tp, sctx).set("sli.threshold", [...op, "value"]);
  return { kind: "latency", metric: sel.metric.replace(/_bucket$/, ""), selector: sel.matchers, threshold: String(objective.value) };
}

/** True when the document is an OpenSLO object at all (any version), for the dispatcher's messages. */
export function isOpensloApiVersion(v: unknown): boolean {
  return typeof v === "string" && v.startsWith("openslo/");
}
