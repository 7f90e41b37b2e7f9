/**
 * Request histories for proving canary analysis in a real Prometheus: services whose stable and canary pods (told apart
 * by the `rollouts_pod_template_hash` label, as a PodMonitor with `podTargetLabels` records it) serve requests at fixed
 * rates and error shares, written as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, with one SLO spec
 * per service in the shape of checkout-api's availability SLO, and the delivery configuration that canaries them.
 */
import type { CanaryDeliveryConfig } from "../../lib/delivery/delivery-plan";
import type { DeliveryConfig } from "../../lib/config/delivery-schema";
import { DEFAULT_CANARY_LABEL } from "../../lib/slo/canary-analysis";

/** One set of pods of a service: its pod-template hash, requests per second and the share that fail. */
export interface PodSet {
  readonly hash: string;
  readonly requestsPerSecond: number;
  readonly errorShare: number;
}

/** A service's history: its stable pods and, where a rollout is under way, its canary. */
export interface ServiceHistory {
  readonly service: string;
  readonly stable: PodSet;
  readonly canary?: PodSet;
}

/** The SLO every scenario service has: availability at 99.9 % over 30 days, as checkout-api's. */
export const OBJECTIVE = 99.9;

/**
 * The scenarios. `healthy`: a little stable noise, a clean canary. `burning-canary`: the canary fails 10 % of its
 * requests (threshold 14.4 × 0.001 = 1.44 %). `stable-errors`: the stable pods fail 10 %, the canary none.
 * `exhausted`: no rollout yet, 5 % errors for the whole history (the period budget is overspent many times).
 * `idle-canary`: the canary's series exist but it served nothing in the window (0/0 = NaN).
 */
export const SCENARIOS: readonly ServiceHistory[] = [
  { service: "healthy", stable: { hash: "stable-h", requestsPerSecond: 10, errorShare: 0.0002 }, canary: { hash: "canary-h", requestsPerSecond: 2, errorShare: 0 } },
  { service: "burning-canary", stable: { hash: "stable-b", requestsPerSecond: 10, errorShare: 0 }, canary: { hash: "canary-b", requestsPerSecond: 2, errorShare: 0.1 } },
  { service: "stable-errors", stable: { hash: "stable-s", requestsPerSecond: 10, errorShare: 0.1 }, canary: { hash: "canary-s", requestsPerSecond: 2, errorShare: 0 } },
  { service: "exhausted", stable: { hash: "stable-x", requestsPerSecond: 10, errorShare: 0.05 } },
  { service: "idle-canary", stable: { hash: "stable-i", requestsPerSecond: 10, errorShare: 0 }, canary: { hash: "canary-i", requestsPerSecond: 0, errorShare: 0 } },
];

/** The namespace the scenario services' templates are compiled for. */
export const NAMESPACE = "payments";

/** An SLO spec (`sre-platform/v1`) per scenario service, selecting its `job`. */
export function scenarioSloSpec(h: ServiceHistory): string {
  return [
    "version: sre-platform/v1",
    `service: ${h.service}`,
    "labels:",
    "  team: payments",
    "slos:",
    "  - name: availability",
    `    objective: ${OBJECTIVE}`,
    "    sli:",
    "      events:",
    `        errorQuery: sum(rate(http_requests_total{job="${h.service}",code=~"5.."}[{{.window}}]))`,
    `        totalQuery: sum(rate(http_requests_total{job="${h.service}"}[{{.window}}]))`,
    "    alerting:",
    `      name: ${h.service.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Availability`,
    "",
  ].join("\n");
}

/** Counter values of a pod set after `elapsed` seconds. */
function counters(p: PodSet, elapsed: number): { ok: number; errors: number } {
  const total = p.requestsPerSecond * elapsed;
  const errors = Math.floor(total * p.errorShare);
  return { ok: Math.floor(total) - errors, errors };
}

/**
 * The histories as OpenMetrics: every `step` seconds from `start` for `seconds`, one `code="200"` and one `code="500"`
 * counter per pod set (the error series exists even at 0, as instrumented services export it).
 */
export function historyOpenMetrics(histories: readonly ServiceHistory[], start: number, seconds: number, step = 15): string {
  const lines = ["# TYPE http_requests counter"];
  for (let t = start; t <= start + seconds; t += step) {
    for (const h of histories) {
      for (const p of [h.stable, ...(h.canary ? [h.canary] : [])]) {
        const c = counters(p, t - start);
        const labels = (code: string) => `{code="${code}",job="${h.service}",${DEFAULT_CANARY_LABEL}="${p.hash}"}`;
        lines.push(`http_requests_total${labels("200")} ${c.ok} ${t}`, `http_requests_total${labels("500")} ${c.errors} ${t}`);
      }
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

/** Delivery configuration canarying every scenario service, each gated on its availability budget. */
export function scenarioDelivery(overrides: DeliveryConfig["errorBudgetPolicy"]["overrides"] = []): CanaryDeliveryConfig {
  return {
    rollouts: { enabled: true, replicas: 1, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
    canaries: SCENARIOS.map((h) => ({
      service: h.service,
      slo: "availability",
      namespace: NAMESPACE,
      stableService: `${h.service}-stable`,
      canaryService: `${h.service}-canary`,
      virtualService: { name: h.service, routes: ["primary"] },
      canaryLabel: DEFAULT_CANARY_LABEL,
      steps: [{ setWeight: 20 }, { pause: { duration: "1m" } }],
      analysis: { window: "5m", interval: "1m", count: 5, failureLimit: 1, inconclusiveLimit: 2 },
    })),
    errorBudgetPolicy: {
      gates: SCENARIOS.map((h) => ({ service: h.service, slo: "availability" })),
      floor: 0,
      approvers: ["incident-commander"],
      ticketPattern: "^CHG-[0-9]+$",
      maxOverrideDays: 3,
      overrides,
    },
  };
}
