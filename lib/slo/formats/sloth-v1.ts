/**
 * Sloth specs as Sloth reads them: `version: prometheus/v1` (snake_case keys) and the Kubernetes form
 * `apiVersion: sloth.slok.dev/v1`, `kind: PrometheusServiceLevel` (the same spec under `spec`, camelCase).
 * Plugin SLIs are refused: their queries live in Go code we cannot run.
 * @see https://sloth.dev/specs/default/
 */
import { z } from "zod";
import type { RejectedSloDefinition, Sli, SloAlertSeverity, SloDefinition, SloInputFormat } from "../model";
import { SUPPORTED_PERIODS } from "../windows";
import {
  addError, addWarning, defaultAlertName, FieldMap, fieldOf, type FieldPath, type FormatContext, isMap, labelMap,
  parseLenient, queryString, reportSliProblems,
} from "./common";
import type { SloFormat } from "./format";

export const SLOTH_PROMETHEUS_V1 = "prometheus/v1";
export const SLOTH_K8S_V1 = "sloth.slok.dev/v1";
const FORMAT: SloInputFormat = "prometheus/v1";

/** Key spelling of the two Sloth forms. */
interface Keys {
  readonly errorQuery: string;
  readonly totalQuery: string;
  readonly errorRatioQuery: string;
  readonly pageAlert: string;
  readonly ticketAlert: string;
  readonly sloPlugins: string;
}
const SNAKE: Keys = { errorQuery: "error_query", totalQuery: "total_query", errorRatioQuery: "error_ratio_query", pageAlert: "page_alert", ticketAlert: "ticket_alert", sloPlugins: "slo_plugins" };
const CAMEL: Keys = { errorQuery: "errorQuery", totalQuery: "totalQuery", errorRatioQuery: "errorRatioQuery", pageAlert: "pageAlert", ticketAlert: "ticketAlert", sloPlugins: "sloPlugins" };

/** Sloth plugins are Go code that Sloth runs; nothing here can run them, and ignoring one changes the rules. */
const PLUGIN_HINT = "(plugins are Go code that Sloth runs; this compiler cannot run them, and ignoring one would change the rules)";

function sloSchema(k: Keys) {
  const alert = z.strictObject({ disable: z.boolean().optional(), labels: labelMap.optional(), annotations: labelMap.optional() });
  return z.strictObject({
    name: z.string(),
    description: z.string().optional(),
    objective: z.number(),
    labels: labelMap.optional(),
    infoLabels: labelMap.optional(),
    sli: z.strictObject({
      events: z.strictObject({ [k.errorQuery]: queryString, [k.totalQuery]: queryString }).optional(),
      raw: z.strictObject({ [k.errorRatioQuery]: queryString }).optional(),
      plugin: z.unknown().optional(),
    }).optional(),
    alerting: z.strictObject({
      name: z.string().optional(),
      labels: labelMap.optional(),
      annotations: labelMap.optional(),
      [k.pageAlert]: alert.optional(),
      [k.ticketAlert]: alert.optional(),
    }).optional(),
    interval: z.strictObject({ all: z.string().optional(), slierror: z.string().optional(), metadata: z.string().optional(), alert: z.string().optional() }).optional(),
    plugins: z.unknown().optional(),
  });
}
const SNAKE_SLO = sloSchema(SNAKE);
const CAMEL_SLO = sloSchema(CAMEL);

const serviceShape = { service: z.string(), labels: labelMap.optional(), slos: z.array(z.unknown()).min(1, { error: "at least one SLO is required" }) };
const promV1Schema = z.strictObject({ version: z.literal(SLOTH_PROMETHEUS_V1), ...serviceShape, slo_plugins: z.unknown().optional() });
const k8sSchema = z.strictObject({
  apiVersion: z.literal(SLOTH_K8S_V1),
  kind: z.literal("PrometheusServiceLevel"),
  metadata: z.record(z.string(), z.unknown()).optional(),
  spec: z.strictObject({ ...serviceShape, sloPlugins: z.unknown().optional() }),
});

/** Sloth's two spellings in the registry of input formats (formats/index.ts). */
export const SLOTH_V1_FORMAT: SloFormat = {
  name: FORMAT,
  title: "Sloth",
  markers: [{ field: "version", value: SLOTH_PROMETHEUS_V1 }, { field: "apiVersion", value: SLOTH_K8S_V1, kinds: ["PrometheusServiceLevel"] }],
  detect: (doc) => doc["version"] === SLOTH_PROMETHEUS_V1 || (doc["version"] === undefined && doc["apiVersion"] === SLOTH_K8S_V1),
  parse: (documents) =>
    documents.flatMap(({ doc, ctx }) => (doc["version"] === SLOTH_PROMETHEUS_V1 ? parseSlothV1(doc, ctx) : parseSlothK8sV1(doc, ctx))),
};

/** Parses a `prometheus/v1` document. */
export function parseSlothV1(doc: unknown, ctx: FormatContext): SloDefinition[] {
  return parseService(doc, promV1Schema, [], SNAKE, ctx);
}

/**
 * Parses a `sloth.slok.dev/v1` `PrometheusServiceLevel` object. An `AlertWindows` object (Sloth's custom
 * window table) gets one line: our windows come from the reviewed tables of windows.ts.
 */
export function parseSlothK8sV1(doc: unknown, ctx: FormatContext): SloDefinition[] {
  const kind = isMap(doc) ? doc["kind"] : undefined;
  if (kind === "AlertWindows") {
    addError(ctx, ["kind"], `Sloth AlertWindows files are not supported: the alert windows come from the compiler's reviewed tables for ${SUPPORTED_PERIODS.join(", ")} (docs/slo-compiler.md); remove this file from the inputs and choose the period instead`);
    return [];
  }
  if (kind !== "PrometheusServiceLevel") {
    addError(ctx, ["kind"], kind === undefined ? `required field is missing; allowed: PrometheusServiceLevel` : `unsupported kind ${JSON.stringify(kind)} for ${SLOTH_K8S_V1}; allowed: PrometheusServiceLevel`);
    return [];
  }
  return parseService(doc, k8sSchema, ["spec"], CAMEL, ctx);
}

function parseService(doc: unknown, schema: z.ZodType, specPath: FieldPath, keys: Keys, ctx: FormatContext): SloDefinition[] {
  const top = parseLenient(schema, doc, ctx, []);
  let spec: unknown = doc;
  for (const p of specPath) spec = isMap(spec) ? spec[p as string] : undefined;
  if (isMap(spec) && spec[keys.sloPlugins] !== undefined) {
    addError(ctx, [...specPath, keys.sloPlugins], `Sloth SLO plugins are not supported ${PLUGIN_HINT}; remove ${keys.sloPlugins}`);
  }
  if (!isMap(spec) || typeof spec["service"] !== "string" || !Array.isArray(spec["slos"])) return [];
  const service = spec["service"];
  const serviceLabels = labelMap.safeParse(spec["labels"] ?? {});
  const defs: SloDefinition[] = [];
  spec["slos"].forEach((raw, index) => {
    const def = parseSlo(raw, index, service, serviceLabels.success ? serviceLabels.data : {}, specPath, keys, ctx);
    if (def) defs.push(def);
  });
  return top !== undefined ? defs : [];
}

function parseSlo(
  raw: unknown,
  index: number,
  service: string,
  serviceLabels: Readonly<Record<string, string>>,
  specPath: FieldPath,
  keys: Keys,
  ctx: FormatContext,
): SloDefinition | undefined {
  const base: FieldPath = [...specPath, "slos", index];
  const rawName = isMap(raw) && typeof raw["name"] === "string" ? raw["name"] : undefined;
  const sloLabel = rawName !== undefined ? `${service}-${rawName}` : undefined;
  const errorsBefore = ctx.errors.length;
  const parsed = parseLenient((keys === SNAKE ? SNAKE_SLO : CAMEL_SLO) as z.ZodType, raw, ctx, base, sloLabel);
  if (parsed === undefined) {
    const sliSchema = (keys === SNAKE ? SNAKE_SLO : CAMEL_SLO).shape.sli;
    const sliFailed = ctx.errors.slice(errorsBefore).some((d) => d.field?.startsWith(fieldOf(ctx, [...base, "sli"])));
    const sliOnly = isMap(raw) && !sliFailed ? sliSchema.safeParse(raw["sli"]) : undefined;
    if (sliOnly?.success && sliOnly.data !== undefined) {
      const fields = new FieldMap(ctx);
      reportSliProblems(ctx, toSli(sliOnly.data as SlothSlo["sli"], [...base, "sli"], keys, fields, ctx, sloLabel ?? ""), fields, sloLabel);
    }
    return undefined;
  }
  // The schema's keys are computed, so the parsed value is read through plain records.
  const slo = parsed as unknown as SlothSlo;
  const id = `${service}-${slo.name}`;
  if (slo.plugins !== undefined) addError(ctx, [...base, "plugins"], `Sloth SLO plugins are not supported ${PLUGIN_HINT}; remove plugins`, id);
  const fields = new FieldMap(ctx)
    .set("service", [...specPath, "service"])
    .set("name", [...base, "name"])
    .set("objective", [...base, "objective"])
    .set("labels", [...base, "labels"]);
  for (const k of Object.keys(serviceLabels)) fields.set(`labels.${k}`, [...specPath, "labels", k]);
  for (const k of Object.keys(slo.labels ?? {})) fields.set(`labels.${k}`, [...base, "labels", k]);

  const sli = toSli(slo.sli, [...base, "sli"], keys, fields, ctx, id);
  if (slo.infoLabels !== undefined) {
    addWarning(ctx, [...base, "infoLabels"], "ignored: the compiler's info series (sre_slo_info) carries the SLO's labels, objective, period and SLI kind", id);
  }
  if (slo.interval !== undefined) {
    addWarning(ctx, [...base, "interval"], "ignored: rule group intervals are chosen by the compiler to suit each window", id);
  }

  const a = slo.alerting ?? {};
  const ap: FieldPath = [...base, "alerting"];
  const page = a[keys.pageAlert] as SlothAlert | undefined;
  const ticket = a[keys.ticketAlert] as SlothAlert | undefined;
  const anyEnabled = !(page?.disable ?? false) || !(ticket?.disable ?? false);
  if (a.name === undefined && anyEnabled) {
    addError(ctx, [...ap, "name"], `required field is missing: the alert name is needed while ${keys.pageAlert} or ${keys.ticketAlert} is enabled`, id);
  }
  fields
    .set("alerting", ap)
    .set("alerting.name", a.name !== undefined ? [...ap, "name"] : ap)
    .map("alerting.labels", a.labels, [...ap, "labels"])
    .map("alerting.annotations", a.annotations, [...ap, "annotations"])
    .map("alerting.page.labels", page?.labels, [...ap, keys.pageAlert, "labels"])
    .map("alerting.page.annotations", page?.annotations, [...ap, keys.pageAlert, "annotations"])
    .map("alerting.ticket.labels", ticket?.labels, [...ap, keys.ticketAlert, "labels"])
    .map("alerting.ticket.annotations", ticket?.annotations, [...ap, keys.ticketAlert, "annotations"]);
  const severity = (s: SlothAlert | undefined): SloAlertSeverity => ({
    disabled: s?.disable ?? false,
    labels: s?.labels ?? {},
    annotations: s?.annotations ?? {},
  });
  const def: RejectedSloDefinition = {
    service,
    name: slo.name,
    id,
    objective: slo.objective,
    ...(slo.description !== undefined ? { description: slo.description } : {}),
    labels: { ...serviceLabels, ...(slo.labels ?? {}) },
    ...(sli !== undefined ? { sli } : {}),
    alerting: {
      name: a.name ?? defaultAlertName(service, slo.name),
      labels: a.labels ?? {},
      annotations: a.annotations ?? {},
      page: severity(page),
      ticket: severity(ticket),
    },
    source: { file: ctx.file, format: FORMAT, index, fields: fields.build() },
  };
  // Built despite a problem found above: validated (labels, queries) so one run shows everything, never compiled.
  if (sli === undefined || ctx.errors.length > errorsBefore) {
    ctx.rejected.push(def);
    return undefined;
  }
  return { ...def, sli };
}

interface SlothAlert {
  disable?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface SlothSlo {
  name: string;
  description?: string;
  objective: number;
  labels?: Record<string, string>;
  sli?: { events?: Record<string, string>; raw?: Record<string, string>; plugin?: unknown };
  alerting?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;
  interval?: unknown;
  infoLabels?: unknown;
  plugins?: unknown;
}

function toSli(sli: SlothSlo["sli"], sp: FieldPath, keys: Keys, fields: FieldMap, ctx: FormatContext, id: string): Sli | undefined {
  fields.set("sli", sp);
  if (sli?.plugin !== undefined) {
    addError(ctx, [...sp, "plugin"], `Sloth SLI plugins are not supported ${PLUGIN_HINT}; write the plugin's queries as an events or raw SLI`, id);
    return undefined;
  }
  if (!sli || (sli.events === undefined && sli.raw === undefined)) {
    addError(ctx, sp, "missing SLI: give one of events, raw", id);
    return undefined;
  }
  if (sli.events !== undefined && sli.raw !== undefined) {
    addError(ctx, sp, "give exactly one SLI kind, got events and raw", id);
    return undefined;
  }
  if (sli.events) {
    fields.set("sli.errorQuery", [...sp, "events", keys.errorQuery]).set("sli.totalQuery", [...sp, "events", keys.totalQuery]);
    return { kind: "events", errorQuery: sli.events[keys.errorQuery]!, totalQuery: sli.events[keys.totalQuery]! };
  }
  fields.set("sli.errorRatioQuery", [...sp, "raw", keys.errorRatioQuery]);
  return { kind: "raw", errorRatioQuery: sli.raw![keys.errorRatioQuery]! };
}
