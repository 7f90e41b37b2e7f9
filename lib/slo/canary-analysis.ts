/**
 * Stage `canary`: a compiled SLO → the Argo Rollouts `AnalysisTemplate`s that judge a canary by it and gate promotion on
 * its error budget, and the alert that tells the owners when the gate is shut.
 *
 * The SLO's recording rules aggregate per service, so they cannot tell the canary's errors from the stable pods'. The
 * canary analysis therefore asks Prometheus the SLI itself, narrowed to the canary's pods by one more label matcher
 * added to every selector of the parsed query (`promql-rewrite.ts`, never string concatenation): by default the pod
 * label Argo Rollouts puts on each ReplicaSet's pods, `rollouts-pod-template-hash`, which a PodMonitor or ServiceMonitor
 * with `podTargetLabels` carries as `rollouts_pod_template_hash`; its value is the `{{args.canary-hash}}` argument the
 * Rollout passes (`valueFrom.podTemplateHashValue: Latest`). That error ratio is judged against the error ratio at
 * which the SLO pages: the fast page pair's burn-rate factor × (1 − objective), e.g. 14.4 × 0.001 = 0.0144 for 99.9 %
 * over 30 days. A canary that burns the budget fast enough to page if it were the whole service fails.
 *
 * No data is decided, not left to chance. Argo Rollouts evaluates `successCondition` and `failureCondition` (expr-lang)
 * on the query's result, a list of sample values; `result[0]` on an empty list is an evaluation error, and four in a
 * row (`consecutiveErrorLimit`) error the analysis and abort the rollout — the classic way a rollout with no canary
 * traffic yet is aborted. Here both conditions hold only for a number: an empty result (no canary pod has served a
 * request) and NaN (served none in the window, 0/0) make neither true, so the measurement is Inconclusive, and past
 * `inconclusiveLimit` the rollout pauses for a person, who can retry or abort. Neither promotes a canary nobody has
 * tested, and neither aborts a healthy one for lack of traffic.
 */
import type { CompiledSlo } from "./compile";
import * as c from "./conventions";
import { SloError, type SloDefinition } from "./model";
import { fillWindow } from "./promql";
import { withMatcher } from "./promql-rewrite";
import type { AlertingRule } from "./rules";
import { num } from "./rules";
import { roundFactor } from "./windows";

/** The AnalysisTemplate argument that carries the canary's pod-template hash. */
export const CANARY_HASH_ARG = "canary-hash";
/** The Prometheus label holding the `rollouts-pod-template-hash` pod label (a PodMonitor's `podTargetLabels`). */
export const DEFAULT_CANARY_LABEL = "rollouts_pod_template_hash";
/** The Argo Rollouts placeholder of {@link CANARY_HASH_ARG}, resolved by the controller before it queries. */
export const CANARY_HASH_PLACEHOLDER = `{{args.${CANARY_HASH_ARG}}}`;

/** Annotation on a budget gate that records an active override: ticket, approver and expiry. */
export const BUDGET_OVERRIDE_ANNOTATION = "sre-platform.io/error-budget-override";
/** The label a budget-gate override series carries (its ticket), visible in the AnalysisRun's measurements. */
export const LABEL_OVERRIDE = "sre_override";

/** An `argoproj.io/v1alpha1` AnalysisTemplate with the Prometheus provider, as far as the platform writes one. */
export interface AnalysisTemplateObject {
  readonly apiVersion: "argoproj.io/v1alpha1";
  readonly kind: "AnalysisTemplate";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly args?: ReadonlyArray<{ readonly name: string }>;
    readonly metrics: readonly AnalysisMetric[];
  };
}

/** One metric of an AnalysisTemplate. */
export interface AnalysisMetric {
  readonly name: string;
  readonly interval?: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly provider: { readonly prometheus: { readonly address: string; readonly query: string; readonly timeout: number } };
}

/** How one service's canary is judged. */
export interface CanaryAnalysisOptions {
  readonly name: string;
  readonly namespace: string;
  /** The environment's in-cluster Prometheus, e.g. `http://kube-prometheus-stack-prometheus.monitoring:9090`. */
  readonly prometheusUrl: string;
  /** The window of the canary's error ratio (a Prometheus duration, at least two scrapes). */
  readonly window: string;
  /** Time between measurements. */
  readonly interval: string;
  /** Measurements taken; the metric ends after them. */
  readonly count: number;
  /** Failed measurements tolerated; one more fails the analysis and aborts the rollout. */
  readonly failureLimit: number;
  /** Inconclusive (no data, NaN) measurements tolerated; one more pauses the rollout for a person. */
  readonly inconclusiveLimit: number;
  /** @default {@link DEFAULT_CANARY_LABEL} */
  readonly canaryLabel?: string;
  /** @default - the factor of the SLO's fast page pair (14.4 for 30 days) */
  readonly burnRateFactor?: number;
}

/** An override of the budget gate: recorded in configuration, with its ticket, and over at its expiry. */
export interface BudgetOverride {
  readonly ticket: string;
  readonly approvedBy: string;
  /** RFC 3339 UTC time after which the gate is shut again. */
  readonly expires: string;
}

/** How one SLO's error budget gates promotion. */
export interface BudgetGateOptions {
  readonly name: string;
  readonly namespace: string;
  readonly prometheusUrl: string;
  /** Remaining share of the period's budget below which promotion stops (0 = exhausted; may be negative: overspent). */
  readonly floor: number;
  /** @default [] */
  readonly overrides?: readonly BudgetOverride[];
}

/** The error ratio a canary may show: the burn-rate factor × the SLO's error budget. */
export function canaryErrorThreshold(compiled: CompiledSlo, burnRateFactor?: number): { factor: number; threshold: number } {
  const factor = burnRateFactor ?? compiled.windows.page[0].factor;
  return { factor, threshold: roundFactor(factor * ((100 - compiled.slo.objective) / 100)) };
}

/**
 * The SLI's error ratio over `window`, narrowed to the pods whose `label` is `value`: the worst group when the SLI
 * groups (`max`), empty when the subset has no series, NaN when it served nothing. An error series that is absent
 * while the subset has traffic reads as 0 errors (`or 0 * total`), as in the recording rules.
 * @throws SloError (stage `canary`) when the SLI cannot be narrowed
 */
export function canaryErrorRatioQuery(slo: SloDefinition, window: string, label: string, value: string): string {
  const narrow = (query: string, field: string): string => {
    const r = withMatcher(fillWindow(query, window), label, value);
    if ("refused" in r) throw new SloError([{ file: slo.source.file, slo: slo.id, field, stage: "canary", message: `cannot narrow the SLI to the canary's pods: ${r.refused}` }]);
    return r.query;
  };
  const sli = slo.sli;
  switch (sli.kind) {
    case "events": {
      const errors = narrow(sli.errorQuery, "sli.errorQuery");
      const total = narrow(sli.totalQuery, "sli.totalQuery");
      return `max(\n  (\n    (${errors})\n    or\n    0 * (${total})\n  )\n  /\n  (${total})\n)`;
    }
    case "latency": {
      const by = (sli.groupBy ?? []).join(", ");
      const sum = by === "" ? "sum" : `sum by (${by})`;
      const matchers = (extra: string) => [sli.selector.trim(), extra].filter((x) => x !== "").join(",");
      const count = narrow(`${sum} (rate(${sli.metric}_count{${matchers("")}}[${window}]))`, "sli.selector");
      const good = narrow(`${sum} (rate(${sli.metric}_bucket{${matchers(`le=${JSON.stringify(sli.threshold)}`)}}[${window}]))`, "sli.selector");
      return `max(\n  clamp_min((${count}) - (${good}), 0)\n  /\n  (${count})\n)`;
    }
    case "availability": {
      const gauge = narrow(sli.gaugeQuery, "sli.gaugeQuery");
      return `max(\n  1 - avg(avg_over_time((${gauge})[${window}:]))\n)`;
    }
    case "raw":
      return `max(\n  ${narrow(sli.errorRatioQuery, "sli.errorRatioQuery")}\n)`;
  }
}

/**
 * Conditions that hold only for a number: `len(result) > 0 && !isNaN(result[0]) && result[0] <op> value`. expr-lang's
 * `&&` stops at the first false operand, so `result[0]` is never read from an empty list.
 */
export function numericConditions(pass: "<=" | ">=", value: number): { successCondition: string; failureCondition: string } {
  const guard = "len(result) > 0 && !isNaN(result[0])";
  const fail = pass === "<=" ? ">" : "<";
  return { successCondition: `${guard} && result[0] ${pass} ${num(value)}`, failureCondition: `${guard} && result[0] ${fail} ${num(value)}` };
}

/** The template that judges a canary by the SLO: its error ratio against the page threshold, every `interval`. */
export function canaryAnalysisTemplate(compiled: CompiledSlo, opts: CanaryAnalysisOptions): AnalysisTemplateObject {
  const label = opts.canaryLabel ?? DEFAULT_CANARY_LABEL;
  const { threshold } = canaryErrorThreshold(compiled, opts.burnRateFactor);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: opts.name, namespace: opts.namespace, labels: templateLabels(compiled.slo) },
    spec: {
      args: [{ name: CANARY_HASH_ARG }],
      metrics: [
        {
          name: "canary-error-ratio",
          interval: opts.interval,
          count: opts.count,
          failureLimit: opts.failureLimit,
          inconclusiveLimit: opts.inconclusiveLimit,
          ...numericConditions("<=", threshold),
          provider: { prometheus: { address: opts.prometheusUrl, query: canaryErrorRatioQuery(compiled.slo, opts.window, label, CANARY_HASH_PLACEHOLDER), timeout: 30 } },
        },
      ],
    },
  };
}

/** Seconds since the epoch of an RFC 3339 time. */
function epochSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

/**
 * The budget gate's query: the SLO's remaining period budget (`slo:period_error_budget_remaining:ratio`, always a
 * number), or 1 while an override's expiry is ahead — the larger (`topk(1, …)`, which keeps labels) of the budget and a
 * constant 1 that exists only before the expiry, labelled with the override's ticket so the measurement shows why the
 * gate was open.
 */
export function budgetGateQuery(slo: SloDefinition, overrides: readonly BudgetOverride[] = []): string {
  const budget = c.sloSelector(c.PERIOD_BUDGET_REMAINING, c.identityLabels(slo.service, slo.name, slo.id));
  const open = overrides.map((o) => `(label_replace(vector(1), ${JSON.stringify(LABEL_OVERRIDE)}, ${JSON.stringify(o.ticket)}, "", "") and on() (vector(time()) < ${epochSeconds(o.expires)}))`);
  return open.length === 0 ? `min(${budget})` : `topk(1,\n  min(${budget})\n  or\n  ${open.join("\n  or\n  ")}\n)`;
}

/** The pre-promotion gate on the SLO's error budget: fails when less than `floor` of the period's budget is left. */
export function budgetGateTemplate(compiled: CompiledSlo, opts: BudgetGateOptions): AnalysisTemplateObject {
  const overrides = opts.overrides ?? [];
  const annotations = overrides.length === 0 ? undefined : { [BUDGET_OVERRIDE_ANNOTATION]: overrides.map((o) => `ticket=${o.ticket} approvedBy=${o.approvedBy} expires=${o.expires}`).join("; ") };
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: opts.name, namespace: opts.namespace, labels: templateLabels(compiled.slo), ...(annotations ? { annotations } : {}) },
    spec: {
      metrics: [
        {
          name: "error-budget-remaining",
          // One measurement: the gate is a decision before promotion, not a watch.
          count: 1,
          failureLimit: 0,
          inconclusiveLimit: 0,
          ...numericConditions(">=", opts.floor),
          provider: { prometheus: { address: opts.prometheusUrl, query: budgetGateQuery(compiled.slo, overrides), timeout: 30 } },
        },
      ],
    },
  };
}

/** Name of the alert that tells a service's owners its promotions are stopped. */
export const BUDGET_EXHAUSTED_ALERT = "SloErrorBudgetPromotionBlocked";

/**
 * The P2 that tells the owners their promotions are stopped: the remaining budget under the floor for `for`. It keeps
 * the SLO's own labels (team, tier) so it routes to the owners like the SLO's ticket alert.
 */
export function budgetExhaustedAlert(compiled: CompiledSlo, floor: number, forDuration = "5m"): AlertingRule {
  const slo = compiled.slo;
  const ident = c.identityLabels(slo.service, slo.name, slo.id);
  const reserved = new Set(c.RESERVED_LABELS);
  const specLabels = Object.fromEntries(Object.entries(slo.labels).filter(([k]) => !reserved.has(k)));
  return {
    alert: BUDGET_EXHAUSTED_ALERT,
    expr: `${c.sloSelector(c.PERIOD_BUDGET_REMAINING, ident)} < ${num(floor)}`,
    for: forDuration,
    labels: sortedLabels({ ...specLabels, ...ident, [c.LABEL_ALERTMANAGER_SEVERITY]: c.ALERTMANAGER_SEVERITY.ticket, [c.LABEL_PRIORITY]: "P2" }),
    annotations: {
      summary: `{{$labels.${c.LABEL_SERVICE}}} {{$labels.${c.LABEL_SLO}}}: error budget under the promotion floor; canary promotions are stopped.`,
      description:
        `Only {{ $value | humanizePercentage }} of the ${compiled.windows.period} error budget of {{$labels.${c.LABEL_SERVICE}}} {{$labels.${c.LABEL_SLO}}} ` +
        `is left (floor ${num(floor * 100)}%). The error-budget policy stops promotions until the budget recovers; an override needs an approver and a ticket (delivery.errorBudgetPolicy.overrides).`,
    },
  };
}

function templateLabels(slo: SloDefinition): Record<string, string> {
  // Kubernetes label values: the SLO's identity, which the compiler keeps within label-value rules.
  return { "app.kubernetes.io/managed-by": "sre-platform", "sre-platform.io/service": slo.service, "sre-platform.io/slo": slo.name };
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}
