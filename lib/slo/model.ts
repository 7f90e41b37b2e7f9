/**
 * The normalized SLO model: every input format (the platform's own `sre-platform/v1`, Sloth
 * `prometheus/v1`, OpenSLO `openslo/v1`) is parsed and validated into these types, and every later stage
 * (windows, rules, emitters, dashboards, chaos probes, canary analysis) reads only these types.
 *
 * Objectives are percentages in (0, 100), as users write them (`99.9`), never ratios.
 */

/** Where a definition came from, so every error and warning can name the file and the field. */
export interface SloSource {
  /** Path of the file as given (or `<inline>` for TypeScript specs). */
  readonly file: string;
  /** Input format the definition was read from. */
  readonly format: SloInputFormat;
  /** Index of the SLO inside its file (0-based), for field paths such as `slos[2].sli`. */
  readonly index: number;
  /**
   * Where each model field was written in the file, keyed by the model path (`objective`, `sli.errorQuery`,
   * `alerting.name`, `labels.team`, `alerting.page.labels`, …) and valued by the path in the file's own
   * terms (`slos[0].sli.events.error_query`), so diagnostics of any stage name the field the user wrote.
   * Use `sourceField(def, key)` from `validate.ts` to look a path up with fallbacks.
   * @default - the model path itself
   */
  readonly fields?: Readonly<Record<string, string>>;
}

export type SloInputFormat = "sre-platform/v1" | "prometheus/v1" | "openslo/v1";

/** SLO periods with a burn-rate alert window table. */
export type SloPeriod = "30d" | "28d" | "7d";

/**
 * How "bad" is measured. Queries that contain `{{.window}}` get it replaced by a Prometheus duration
 * (`5m`, `1h`, …) at compile time; the replaced query must parse as PromQL.
 */
export type Sli = EventsSli | RawSli | LatencySli | AvailabilitySli;

/** Bad and total events as two queries returning per-second rates over `{{.window}}`. */
export interface EventsSli {
  readonly kind: "events";
  /** e.g. `sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))` */
  readonly errorQuery: string;
  /** e.g. `sum(rate(http_requests_total{job="api"}[{{.window}}]))` */
  readonly totalQuery: string;
}

/** A ready-made error ratio (0..1) over `{{.window}}`. Numerator and denominator are not known separately. */
export interface RawSli {
  readonly kind: "raw";
  readonly errorRatioQuery: string;
}

/**
 * Latency from a classic Prometheus histogram: an event is good when it falls in the bucket
 * `le=<threshold>`; bad events are `_count − _bucket{le}`.
 */
export interface LatencySli {
  readonly kind: "latency";
  /** Histogram base name without suffix, e.g. `http_request_duration_seconds`. */
  readonly metric: string;
  /** Label matchers that select the service's series, without braces, e.g. `job="api",route!="/health"`; may be empty. */
  readonly selector: string;
  /** Bucket upper bound in the metric's unit, as the `le` label value is written, e.g. `0.3`. */
  readonly threshold: string;
  /**
   * Labels kept by the `sum by (...)` aggregation.
   * @default [] (one series per SLO)
   */
  readonly groupBy?: readonly string[];
}

/** Availability from a 0/1 gauge such as `up`: the share of samples equal to 0 is the error ratio. */
export interface AvailabilitySli {
  readonly kind: "availability";
  /** Gauge selector, e.g. `up{job="api"}`; each sample must be 0 or 1. */
  readonly gaugeQuery: string;
}

/** One of the two multi-window multi-burn-rate alerts. */
export interface SloAlertSeverity {
  /** When true, this alert is not generated. */
  readonly disabled: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface SloAlerting {
  /** Alert name shared by the page and ticket alerts (a valid Prometheus identifier). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Fast burn: pages a human. */
  readonly page: SloAlertSeverity;
  /** Slow burn: opens a ticket. */
  readonly ticket: SloAlertSeverity;
  /**
   * Runbook link put in the `runbook_url` annotation of both alerts.
   * @default - none given in the spec; the compiler may fill in a default from its options
   */
  readonly runbookUrl?: string;
  /**
   * What the on-call does first (Markdown), copied into the generated runbook.
   * @default - none
   */
  readonly mitigation?: string;
}

/**
 * The service-down (P0) alert of the SLO's service: one alert per service, whatever the number of its SLOs.
 * It fires when every scrape target of the service is down or absent, or when the service's total traffic
 * (`sre_slo:requests:rate5m` of its events and latency SLOs) is zero or absent, for `for`.
 */
export interface ServiceDown {
  /** When true, no service-down alert is generated for the service. */
  readonly disabled: boolean;
  /** How long the service must look down before the P0 fires (a Prometheus duration). */
  readonly for: string;
  /**
   * True when zero traffic is legitimate (a quiet night, a batch consumer): only absent or down targets count.
   */
  readonly trafficCanBeZero: boolean;
  /**
   * Selector of the service's scrape targets' `up` series, e.g. `up{namespace="payments",job="checkout-api"}`.
   * @default - derived from the `job` (and `namespace`) equality matchers of the SLIs' selectors
   */
  readonly targets?: string;
}

/** One validated service level objective. */
export interface SloDefinition {
  /** Owning service (a Prometheus label value). */
  readonly service: string;
  /** SLO name, unique per service. */
  readonly name: string;
  /** `<service>-<name>`, unique across everything compiled together. */
  readonly id: string;
  /** Target in percent, strictly between 0 and 100 (e.g. 99.9). */
  readonly objective: number;
  readonly description?: string;
  /** Labels added to every recording rule and alert of this SLO (spec-level and SLO-level, merged). */
  readonly labels: Readonly<Record<string, string>>;
  readonly sli: Sli;
  /**
   * Period from the spec; the CLI's `--period` overrides it.
   * @default "30d"
   */
  readonly period?: SloPeriod;
  readonly alerting: SloAlerting;
  /**
   * The service's service-down alert, as the spec configures it.
   * @default - enabled, `for: 2m`, traffic must not be zero, targets derived from the SLI
   */
  readonly serviceDown?: ServiceDown;
  readonly source: SloSource;
}

/**
 * An SLO left out of compilation for a parse problem (a missing alert name, a missing SLI), still validated
 * so that one run reports its other problems (a bad label name) too.
 */
export type RejectedSloDefinition = Omit<SloDefinition, "sli"> & { readonly sli?: Sli };

/** A message about one SLO, for stderr: `file: slo-id: field: message`. */
export interface SloDiagnostic {
  readonly file: string;
  /** SLO id or name; absent for file-level problems (bad YAML, unknown version). */
  readonly slo?: string;
  /** Field path inside the file, e.g. `slos[0].sli.events.error_query`. */
  readonly field?: string;
  /** Compiler stage: `parse`, `validate`, `windows`, `rules`, `emit`. */
  readonly stage: string;
  readonly message: string;
  /**
   * For a problem at a position of a query: the query's line there and a caret under the column (two lines),
   * which a terminal shows below the one-line diagnostic.
   */
  readonly excerpt?: string;
}

/** Renders a diagnostic as one stderr line. */
export function formatDiagnostic(d: SloDiagnostic): string {
  return [d.file, d.slo, d.field].filter((x) => x !== undefined && x !== "").join(": ") + `: ${d.message}`;
}

/** Thrown by any stage for bad input; carries every problem found, never a partial result. */
export class SloError extends Error {
  declare public readonly diagnostics: readonly SloDiagnostic[];

  constructor(diagnostics: readonly SloDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "SloError";
    // Not enumerable, so an uncaught SloError prints its message without a dump of the same problems.
    Object.defineProperty(this, "diagnostics", { value: diagnostics, enumerable: false });
  }
}
