/**
 * OpenSLO `openslo/v1` indicators (inline `spec.indicator`, or a `kind: SLI` document) → our SLI kinds.
 *
 * OpenSLO Prometheus queries are instant queries. With `ratioMetric.counter: true` they select counters
 * (`sum(http_requests_total{code="200"})`); each alert window needs their rate, so the parsed query is
 * rewritten (`sum(rate(http_requests_total{code="200"}[{{.window}}]))`, see promql-rewrite.ts) or refused
 * with the reason. A query that already contains Sloth's `{{.window}}` is used as written.
 */
import { z } from "zod";
import type { Sli } from "../model";
import { checkPromql, hasWindowPlaceholder, matcherLabelNames, normalizeWindowPlaceholder, parseVectorSelector } from "../promql";
import { counterRates } from "../promql-rewrite";
import { addError, FieldMap, type FieldPath, type FormatContext, labelValue } from "./common";

export const metadataSchema = z.strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([labelValue, z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const metricSourceSchema = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  // Optional so that a source without a query (OpenSLO's own examples leave it empty) still gets its type
  // checked and the rest of the SLO read.
  spec: z.record(z.string(), z.unknown()).optional(),
});
const metricHolder = z.strictObject({ metricSource: metricSourceSchema });

export const sliSpecSchema = z.strictObject({
  description: z.string().optional(),
  thresholdMetric: metricHolder.optional(),
  ratioMetric: z.strictObject({
    counter: z.boolean().optional(),
    good: metricHolder.optional(),
    bad: metricHolder.optional(),
    total: metricHolder.optional(),
    rawType: z.enum(["success", "failure"]).optional(),
    raw: metricHolder.optional(),
  }).optional(),
});

export type SliSpec = z.infer<typeof sliSpecSchema>;
type MetricHolder = z.infer<typeof metricHolder>;

/** The objective fields a threshold SLI needs (absent when an unused `kind: SLI` is checked on its own). */
export interface ThresholdObjective {
  readonly op?: string | undefined;
  readonly value?: number | undefined;
}

/** Where the SLI is written, and where its problems go. */
export interface SliSite {
  /** The context of the document holding the SLI (another document, or file, for an `indicatorRef`). */
  readonly sctx: FormatContext;
  /** Path of the SLI's `spec` in that document. */
  readonly sp: FieldPath;
  /** The SLO's context, for problems of the objective. */
  readonly ctx: FormatContext;
  /** Path of `objectives[0]` in the SLO. */
  readonly op: FieldPath;
  readonly id: string | undefined;
  readonly dataSourceTypes: ReadonlyMap<string, string>;
}

/**
 * Maps an OpenSLO indicator to an SLI, or reports why not.
 * @param objective undefined when a standalone SLI is validated without an SLO
 */
export function opensloSli(s: SliSpec, site: SliSite, objective: ThresholdObjective | undefined, fields: FieldMap): Sli | undefined {
  const { sctx, sp, ctx, op, id } = site;
  fields.set("sli", sp, sctx);
  const counter = s.ratioMetric?.counter === true;
  const query = (h: MetricHolder | undefined, key: string, mode: "rate" | "ratio" | "instant"): string | undefined => {
    if (!h) return undefined;
    const mp: FieldPath = [...sp, ...key.split("."), "metricSource"];
    const ms = h.metricSource;
    const type = ms.type ?? (ms.metricSourceRef !== undefined ? site.dataSourceTypes.get(ms.metricSourceRef) : undefined);
    if (type === undefined || type.toLowerCase() !== "prometheus") {
      const where = ms.metricSourceRef !== undefined && ms.type === undefined ? ` (no DataSource named "${ms.metricSourceRef}" in the files given)` : "";
      addError(sctx, [...mp, "type"], type === undefined ? `required field is missing: metric source type (allowed: Prometheus)${where}` : `unsupported metric source type "${type}"; allowed: Prometheus`, id);
      return undefined;
    }
    const q = ms.spec?.["query"];
    const qp: FieldPath = [...mp, "spec", "query"];
    if (typeof q !== "string" || q.trim() === "") {
      addError(sctx, qp, "required field is missing: a PromQL query", id);
      return undefined;
    }
    const problem = checkPromql(q);
    if (problem) {
      addError(sctx, qp, problem.message, id);
      return undefined;
    }
    if (mode === "instant" || hasWindowPlaceholder(q)) return normalizeWindowPlaceholder(q.trim());
    if (!counter) {
      addError(sctx, qp, "missing {{.window}}: OpenSLO queries are instant, but each alert window needs its own rate; set ratioMetric.counter: true if the query selects counters (the compiler then takes their rate over each window), or write the range as {{.window}}, e.g. sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))", id);
      return undefined;
    }
    const rewritten = counterRates(q, mode === "ratio");
    if ("refused" in rewritten) {
      addError(sctx, qp, `counter: true, but the query cannot be turned into a rate over each window: ${rewritten.refused}`, id);
      return undefined;
    }
    return rewritten.query;
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
      const q = query(r.raw, "ratioMetric.raw", "ratio");
      if (q === undefined) return undefined;
      fields.set("sli.errorRatioQuery", [...rp, "raw", "metricSource", "spec", "query"], sctx);
      return { kind: "raw", errorRatioQuery: r.rawType === "failure" ? q : `1 - (${q})` };
    }
    if (!r.total || (r.good === undefined) === (r.bad === undefined)) {
      addError(sctx, rp, "give total with exactly one of good or bad (or raw with rawType)", id);
      return undefined;
    }
    const total = query(r.total, "ratioMetric.total", "rate");
    const good = query(r.good, "ratioMetric.good", "rate");
    const bad = query(r.bad, "ratioMetric.bad", "rate");
    if (total === undefined || (good === undefined && bad === undefined)) return undefined;
    fields.set("sli.totalQuery", [...rp, "total", "metricSource", "spec", "query"], sctx);
    fields.set("sli.errorQuery", [...rp, bad !== undefined ? "bad" : "good", "metricSource", "spec", "query"], sctx);
    return { kind: "events", errorQuery: bad ?? `(${total}) - (${good})`, totalQuery: total };
  }
  const tp: FieldPath = [...sp, "thresholdMetric", "metricSource", "spec", "query"];
  const q = query(s.thresholdMetric, "thresholdMetric", "instant");
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
  if (objective === undefined) return undefined;
  if (objective.op !== "lte" || objective.value === undefined) {
    addError(ctx, [...op, objective.op !== "lte" ? "op" : "value"], objective.op !== "lte" ? `must be lte for a histogram threshold (a bucket counts values <= le), got ${JSON.stringify(objective.op)}` : "required field is missing: the latency threshold (a bucket bound)", id);
    return undefined;
  }
  fields.set("sli.metric", tp, sctx).set("sli.selector", tp, sctx).set("sli.threshold", [...op, "value"]);
  return { kind: "latency", metric: sel.metric.replace(/_bucket$/, ""), selector: sel.matchers, threshold: String(objective.value) };
}
