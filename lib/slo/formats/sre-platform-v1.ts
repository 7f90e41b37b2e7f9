/**
 * The platform's own SLO spec, `version: sre-platform/v1`: the same shape in YAML (environments/slos/*.yaml)
 * and in TypeScript (`SloSpecV1`), so both go through one schema and one validation.
 */
import { z } from "zod";
import type { RejectedSloDefinition, ServiceDown, Sli, SloAlerting, SloAlertSeverity, SloDefinition } from "../model";
import { parseVectorSelector } from "../promql";
import { DEFAULT_SERVICE_DOWN, isAlertDuration } from "../service-down";
import {
  addError, defaultAlertName, FieldMap, type FieldPath, type FormatContext, isMap, labelMap, labelValue,
  queryString, reportSliProblems, reportZodIssues, suggest,
} from "./common";
import type { SloFormat } from "./format";

export const SRE_PLATFORM_V1 = "sre-platform/v1";

/** A service's SLOs. */
export interface SloSpecV1 {
  readonly version: "sre-platform/v1";
  /** Owning service; becomes the `service` of every SLO and part of its id. */
  readonly service: string;
  /** Labels added to every rule and alert of every SLO of the service. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The service's service-down (P0) alert: one per service, fired when its targets are all down or absent,
   * or its traffic is gone, for `for`.
   * @default - on, `for: 2m`, traffic must not be zero, targets derived from the SLIs' `job`/`namespace` matchers
   */
  readonly serviceDown?: SloSpecV1ServiceDown;
  readonly slos: readonly SloSpecV1Slo[];
}

/** Settings of a service's service-down (P0) alert. */
export interface SloSpecV1ServiceDown {
  /** @default false */
  readonly disabled?: boolean;
  /** How long the service must look down before the P0 fires, a Prometheus duration (`30s`, `2m`, `1h`). @default "2m" */
  readonly for?: string;
  /**
   * True when no traffic is normal at times (a quiet night, a batch consumer): then only absent or down
   * targets count, never zero traffic.
   * @default false
   */
  readonly trafficCanBeZero?: boolean;
  /**
   * Selector of the targets' `up` series, e.g. `up{namespace="payments",job="checkout-api"}`.
   * @default - derived from the `job` (and `namespace`) equality matchers of the SLIs' selectors
   */
  readonly targets?: string;
}

export interface SloSpecV1Slo {
  /** Unique per service; the SLO id is `<service>-<name>`. */
  readonly name: string;
  /** Target in percent, strictly between 0 and 100, e.g. `99.9`. */
  readonly objective: number;
  readonly description?: string;
  /** Labels of this SLO, merged over the service labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - the compiler's period (30d unless `--period` says otherwise) */
  readonly period?: "30d" | "28d" | "7d";
  /** Exactly one SLI kind. */
  readonly sli: SloSpecV1Sli;
  /** @default - both alerts enabled, named after service and SLO (`CheckoutApiAvailability`) */
  readonly alerting?: SloSpecV1Alerting;
  /** Per-environment overrides, applied when loading for that environment (`--environment prod`). */
  readonly environments?: Readonly<Record<string, SloSpecV1EnvironmentOverride>>;
}

export interface SloSpecV1Sli {
  /** Bad and total events; both queries use `{{.window}}`, e.g. `sum(rate(x_total{code=~"5.."}[{{.window}}]))`. */
  readonly events?: { readonly errorQuery: string; readonly totalQuery: string };
  /** A ready-made error ratio (0..1) over `{{.window}}`. */
  readonly raw?: { readonly errorRatioQuery: string };
  /** Latency from a classic histogram: good when within bucket `le=threshold`. */
  readonly latency?: {
    /** Histogram base name, without `_bucket`/`_count`. */
    readonly metric: string;
    /** Label matchers without braces, e.g. `job="api"`. @default "" (all series) */
    readonly selector?: string;
    /** Bucket bound as the `le` label writes it; quote it (`"1.0"`) when the exporter writes it so. */
    readonly threshold: string | number;
    /** @default [] */
    readonly groupBy?: readonly string[];
  };
  /** Availability from a 0/1 gauge such as `up{job="api"}` (no window: the compiler averages it). */
  readonly availability?: { readonly gaugeQuery: string };
}

export interface SloSpecV1Alert {
  /** @default false */
  readonly disabled?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface SloSpecV1Alerting {
  /** A Prometheus identifier. @default - PascalCase of service and SLO name */
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - none; the compiler may derive one from its `runbookBaseUrl` */
  readonly runbookUrl?: string;
  /**
   * What the on-call does first when the alert fires (Markdown), copied into the generated runbook.
   * @default - none; the runbook says where to add it
   */
  readonly mitigation?: string;
  readonly page?: SloSpecV1Alert;
  readonly ticket?: SloSpecV1Alert;
}

export interface SloSpecV1EnvironmentOverride {
  readonly objective?: number;
  readonly alerting?: {
    readonly page?: { readonly disabled?: boolean };
    readonly ticket?: { readonly disabled?: boolean };
  };
}

const SLI_KINDS = ["events", "raw", "latency", "availability"] as const;

const alertSchema = z.strictObject({
  disabled: z.boolean().optional(),
  labels: labelMap.optional(),
  annotations: labelMap.optional(),
});

const overrideSchema = z.strictObject({
  objective: z.number().optional(),
  alerting: z.strictObject({
    page: z.strictObject({ disabled: z.boolean().optional() }).optional(),
    ticket: z.strictObject({ disabled: z.boolean().optional() }).optional(),
  }).optional(),
});

const sliSchema = z.strictObject({
  events: z.strictObject({ errorQuery: queryString, totalQuery: queryString }).optional(),
  raw: z.strictObject({ errorRatioQuery: queryString }).optional(),
  latency: z.strictObject({
    metric: z.string(),
    selector: z.string().optional(),
    threshold: z.union([z.string(), z.number()], { error: "expected a number or a string such as \"0.3\"" }),
    groupBy: z.array(z.string()).optional(),
  }).optional(),
  availability: z.strictObject({ gaugeQuery: queryString }).optional(),
});

const sloSchema = z.strictObject({
  name: z.string().meta({ description: "Unique per service; the SLO id is <service>-<name>." }),
  objective: z.number().meta({ description: "Target in percent, strictly between 0 and 100, e.g. 99.9 (not a ratio such as 0.999)." }),
  description: z.string().optional(),
  labels: labelMap.optional(),
  period: z.enum(["30d", "28d", "7d"]).optional().meta({ description: "SLO period; default 30d." }),
  sli: sliSchema.optional().meta({ description: "How good and bad events are counted: exactly one of events, raw, latency, availability." }),
  alerting: z.strictObject({
    name: z.string().optional(),
    labels: labelMap.optional(),
    annotations: labelMap.optional(),
    runbookUrl: z.string().optional(),
    mitigation: z.string().optional(),
    page: alertSchema.optional(),
    ticket: alertSchema.optional(),
  }).optional(),
  environments: z.record(z.string(), overrideSchema).optional().meta({ description: "Per-environment overrides by environment name (objective, alerts disabled)." }),
});

const serviceDownSchema = z.strictObject({
  disabled: z.boolean().optional(),
  for: z.string().optional(),
  trafficCanBeZero: z.boolean().optional(),
  targets: z.string().optional(),
});

const specSchema = z.strictObject({
  version: z.literal(SRE_PLATFORM_V1),
  service: z.string().meta({ description: "Owning service; becomes the service of every SLO and part of its id." }),
  labels: labelMap.optional().meta({ description: "Labels added to every rule and alert of every SLO of the service." }),
  serviceDown: serviceDownSchema.optional().meta({ description: "The service-down (P0) alert: on by default; targets, traffic, duration." }),
  slos: z.array(z.unknown()).min(1, { error: "at least one SLO is required" }),
});

/** Where editors and the package find the JSON Schema of the format (see {@link sloSpecV1JsonSchema}). */
export const SRE_PLATFORM_V1_SCHEMA_FILE = "schemas/slo/sre-platform-v1.schema.json";

/**
 * The JSON Schema (draft-07, which editors' YAML servers read) of an `sre-platform/v1` file, generated from the
 * zod schemas the parser uses, so completion and the parser agree on every key. What zod cannot say is added: an
 * SLI has exactly one kind, and label values may be YAML numbers or booleans (taken as their text). The parser
 * still checks more (PromQL, names, objective bounds, known environments).
 */
export function sloSpecV1JsonSchema(): Record<string, unknown> {
  const file = specSchema.extend({ slos: z.array(sloSchema).min(1) }).meta({
    title: "sre-platform/v1 SLO spec",
    description: "A service's service level objectives, compiled by sre-platform into Prometheus recording and multi-window multi-burn-rate alerting rules.",
  });
  const schema = z.toJSONSchema(file, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema === sliSchema) Object.assign(ctx.jsonSchema, { minProperties: 1, maxProperties: 1 });
      if (ctx.zodSchema === labelValue) {
        for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[k];
        Object.assign(ctx.jsonSchema, { type: ["string", "number", "boolean"] });
      }
    },
  }) as Record<string, unknown>;
  return schema;
}

/**
 * Type check: whatever the schema accepts is a `SloSpecV1Slo` (the interface is the documentation); `sli` is
 * optional in the schema only so that its absence gets our own "missing SLI" message.
 */
const _sloSchemaMatchesType: z.ZodType<Omit<SloSpecV1Slo, "sli"> & { sli?: SloSpecV1Sli }> = sloSchema;
void _sloSchemaMatchesType;

/** The platform's own format in the registry of input formats (formats/index.ts). */
export const SRE_PLATFORM_V1_FORMAT: SloFormat = {
  name: SRE_PLATFORM_V1,
  markers: [{ field: "version", value: SRE_PLATFORM_V1 }],
  detect: (doc) => doc["version"] === SRE_PLATFORM_V1,
  parse: (documents) => documents.flatMap(({ doc, ctx }) => parseSrePlatformV1(doc, ctx)),
};

/**
 * Turns one `sre-platform/v1` document (YAML-parsed or built in TypeScript) into definitions. Problems go
 * to `ctx.errors`; an SLO with a problem is left out, the others are still returned so that validation can
 * report their problems in the same run.
 */
export function parseSrePlatformV1(doc: unknown, ctx: FormatContext): SloDefinition[] {
  const top = specSchema.safeParse(doc, { reportInput: true });
  if (!top.success) {
    reportZodIssues(ctx, specSchema, top.error.issues.filter((i) => i.path[0] !== "slos" || i.path.length === 1), []);
    if (!isMap(doc) || !Array.isArray(doc["slos"]) || typeof doc["service"] !== "string") return [];
  }
  const spec = doc as { service: string; labels?: Record<string, string>; slos: unknown[] };
  const serviceLabels = top.success ? (top.data.labels ?? {}) : {};
  const serviceDown = top.success ? toServiceDown(top.data.serviceDown, ctx) : undefined;
  const defs: SloDefinition[] = [];
  spec.slos.forEach((raw, index) => {
    const def = parseSlo(raw, index, spec.service, serviceLabels, ctx);
    if (def) defs.push(serviceDown === undefined ? def : { ...def, serviceDown });
  });
  return top.success ? defs : [];
}

/** The spec's `serviceDown` with its defaults; problems go to `ctx.errors`. */
function toServiceDown(raw: SloSpecV1ServiceDown | undefined, ctx: FormatContext): ServiceDown | undefined {
  if (raw === undefined) return undefined;
  const out: { -readonly [K in keyof ServiceDown]: ServiceDown[K] } = {
    disabled: raw.disabled ?? DEFAULT_SERVICE_DOWN.disabled,
    for: raw.for ?? DEFAULT_SERVICE_DOWN.for,
    trafficCanBeZero: raw.trafficCanBeZero ?? DEFAULT_SERVICE_DOWN.trafficCanBeZero,
  };
  if (!isAlertDuration(out.for)) {
    addError(ctx, ["serviceDown", "for"], `must be a Prometheus duration of one unit, more than zero (e.g. 30s, 2m, 1h; units s, m, h, d, w), got ${JSON.stringify(out.for)}`);
  }
  if (raw.targets !== undefined) {
    const selector = parseVectorSelector(raw.targets);
    if (selector === undefined || raw.targets.trim() === "") {
      addError(ctx, ["serviceDown", "targets"], `must be a plain vector selector such as up{namespace="payments",job="checkout-api"}, got ${JSON.stringify(raw.targets)}`);
    } else {
      out.targets = raw.targets.trim();
    }
  }
  return out;
}

function parseSlo(
  raw: unknown,
  index: number,
  service: string,
  serviceLabels: Readonly<Record<string, string>>,
  ctx: FormatContext,
): SloDefinition | undefined {
  const base: FieldPath = ["slos", index];
  const rawName = isMap(raw) && typeof raw["name"] === "string" ? raw["name"] : undefined;
  const sloLabel = rawName !== undefined ? `${service}-${rawName}` : undefined;
  const parsed = sloSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    reportZodIssues(ctx, sloSchema, parsed.error.issues, base, sloLabel);
    const sliOnly = isMap(raw) && !parsed.error.issues.some((i) => i.path[0] === "sli") ? sliSchema.safeParse(raw["sli"]) : undefined;
    if (sliOnly?.success && sliOnly.data !== undefined) {
      const fields = new FieldMap(ctx);
      reportSliProblems(ctx, toSli(sliOnly.data, base, fields, ctx, sloLabel ?? ""), fields, sloLabel);
    }
    return undefined;
  }
  const slo = parsed.data;
  const id = `${service}-${slo.name}`;
  const fields = new FieldMap(ctx)
    .set("service", ["service"])
    .set("name", [...base, "name"])
    .set("objective", [...base, "objective"])
    .set("period", [...base, "period"])
    .set("labels", [...base, "labels"]);
  for (const k of Object.keys(serviceLabels)) fields.set(`labels.${k}`, ["labels", k]);
  for (const k of Object.keys(slo.labels ?? {})) fields.set(`labels.${k}`, [...base, "labels", k]);

  const sli = toSli(slo.sli, base, fields, ctx, id);

  const a = slo.alerting ?? {};
  const ap: FieldPath = [...base, "alerting"];
  fields
    .set("alerting", ap)
    .set("alerting.name", a.name !== undefined ? [...ap, "name"] : ap)
    .set("alerting.runbookUrl", [...ap, "runbookUrl"])
    .set("alerting.mitigation", [...ap, "mitigation"])
    .map("alerting.labels", a.labels, [...ap, "labels"])
    .map("alerting.annotations", a.annotations, [...ap, "annotations"])
    .map("alerting.page.labels", a.page?.labels, [...ap, "page", "labels"])
    .map("alerting.page.annotations", a.page?.annotations, [...ap, "page", "annotations"])
    .map("alerting.ticket.labels", a.ticket?.labels, [...ap, "ticket", "labels"])
    .map("alerting.ticket.annotations", a.ticket?.annotations, [...ap, "ticket", "annotations"]);

  let objective = slo.objective;
  let pageDisabled = a.page?.disabled ?? false;
  let ticketDisabled = a.ticket?.disabled ?? false;
  const envs = slo.environments ?? {};
  for (const env of Object.keys(envs)) ctx.overridden?.add(env);
  if (ctx.knownEnvironments) {
    for (const env of Object.keys(envs)) {
      if (!ctx.knownEnvironments.includes(env)) {
        addError(ctx, [...base, "environments", env],
          `unknown environment "${env}"${suggest(env, ctx.knownEnvironments)}; known environments: ${ctx.knownEnvironments.join(", ")}`, id);
      }
    }
  }
  const override = ctx.environment !== undefined ? envs[ctx.environment] : undefined;
  if (override) {
    const op: FieldPath = [...base, "environments", ctx.environment as string];
    if (override.objective !== undefined) {
      objective = override.objective;
      fields.set("objective", [...op, "objective"]);
    }
    if (override.alerting?.page?.disabled !== undefined) pageDisabled = override.alerting.page.disabled;
    if (override.alerting?.ticket?.disabled !== undefined) ticketDisabled = override.alerting.ticket.disabled;
  }

  const severity = (s: typeof a.page, disabled: boolean): SloAlertSeverity => ({
    disabled,
    labels: s?.labels ?? {},
    annotations: s?.annotations ?? {},
  });
  const alerting: SloAlerting = {
    name: a.name ?? defaultAlertName(service, slo.name),
    labels: a.labels ?? {},
    annotations: a.annotations ?? {},
    page: severity(a.page, pageDisabled),
    ticket: severity(a.ticket, ticketDisabled),
    ...(a.runbookUrl !== undefined ? { runbookUrl: a.runbookUrl } : {}),
    ...(a.mitigation !== undefined ? { mitigation: a.mitigation } : {}),
  };
  const def: RejectedSloDefinition = {
    service,
    name: slo.name,
    id,
    objective,
    ...(slo.description !== undefined ? { description: slo.description } : {}),
    labels: { ...serviceLabels, ...(slo.labels ?? {}) },
    ...(sli !== undefined ? { sli } : {}),
    ...(slo.period !== undefined ? { period: slo.period } : {}),
    alerting,
    source: { file: ctx.file, format: SRE_PLATFORM_V1, index, fields: fields.build() },
  };
  // Without an SLI (already reported) the rest is still validated, so one run shows every problem.
  if (sli === undefined) {
    ctx.rejected.push(def);
    return undefined;
  }
  return { ...def, sli };
}

type SliInput = z.infer<typeof sloSchema>["sli"];

function toSli(sli: SliInput, base: FieldPath, fields: FieldMap, ctx: FormatContext, id: string): Sli | undefined {
  const sp: FieldPath = [...base, "sli"];
  fields.set("sli", sp);
  const given = SLI_KINDS.filter((k) => sli?.[k] !== undefined);
  if (!sli || given.length === 0) {
    addError(ctx, sp, `missing SLI: give one of ${SLI_KINDS.join(", ")}`, id);
    return undefined;
  }
  if (given.length > 1) {
    addError(ctx, sp, `give exactly one SLI kind, got ${given.join(" and ")}`, id);
    return undefined;
  }
  if (sli.events) {
    fields.set("sli.errorQuery", [...sp, "events", "errorQuery"]).set("sli.totalQuery", [...sp, "events", "totalQuery"]);
    return { kind: "events", errorQuery: sli.events.errorQuery, totalQuery: sli.events.totalQuery };
  }
  if (sli.raw) {
    fields.set("sli.errorRatioQuery", [...sp, "raw", "errorRatioQuery"]);
    return { kind: "raw", errorRatioQuery: sli.raw.errorRatioQuery };
  }
  if (sli.latency) {
    const lp: FieldPath = [...sp, "latency"];
    for (const k of ["metric", "selector", "threshold", "groupBy"]) fields.set(`sli.${k}`, [...lp, k]);
    const l = sli.latency;
    return {
      kind: "latency",
      metric: l.metric,
      selector: (l.selector ?? "").trim(),
      threshold: String(l.threshold),
      ...(l.groupBy !== undefined ? { groupBy: l.groupBy } : {}),
    };
  }
  fields.set("sli.gaugeQuery", [...sp, "availability", "gaugeQuery"]);
  return { kind: "availability", gaugeQuery: sli.availability!.gaugeQuery };
}
