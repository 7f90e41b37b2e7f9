import { z } from "zod";
import { ResourcesSchema } from "./platform-schema";
import { MIN_REASON_LENGTH } from "./security/opt-out";
import { isDnsLabel } from "../kubernetes/names";
import { PROMETHEUS_DURATION, PROMETHEUS_DURATION_RULE } from "../kubernetes/durations";

/**
 * `delivery`: how services are rolled out. Argo Rollouts runs canaries whose traffic Istio shifts; the platform judges
 * each canary by the service's SLO (an AnalysisTemplate compiled from it) and stops promotion while the SLO's error
 * budget is spent (the error-budget policy). Teams own their Rollouts; the platform owns the analysis.
 */

/** An Argo Rollouts duration: a whole number of seconds, minutes or hours (`30s`, `5m`, `1h`). */
export const ROLLOUTS_DURATION = /^[1-9]\d*(s|m|h)$/;
const rolloutsDuration = z.string().regex(ROLLOUTS_DURATION, { message: "a duration such as 30s, 5m or 1h" });
const promDuration = z.string().regex(PROMETHEUS_DURATION, { message: PROMETHEUS_DURATION_RULE }).refine((d) => d !== "", { message: PROMETHEUS_DURATION_RULE });
const k8sName = z.string().refine(isDnsLabel, { message: "a Kubernetes name: lowercase letters, digits and '-', at most 63 characters" });
/** A Prometheus label name. */
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: "a Prometheus label name" });
/** RFC 3339 in UTC, to the second: `2026-12-24T18:00:00Z`. */
export const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const utcTimestamp = z.string().regex(UTC_TIMESTAMP, { message: "a UTC time such as 2026-12-24T18:00:00Z" }).refine((t) => !Number.isNaN(Date.parse(t)), { message: "a real date and time" });

/** The Argo Rollouts controller (argo-rollouts chart) in the `argo-rollouts` namespace. */
export const RolloutsConfigSchema = z.strictObject({
  /** Install the controller. Canaries and the error-budget policy need it. */
  enabled: z.boolean(),
  /** Controller replicas; one leads, the others wait (leader election), so two survive a node drain. */
  replicas: z.number().int().min(1).max(3),
  resources: ResourcesSchema,
});

/** One step of a canary: shift traffic, or wait. */
export const CanaryStepSchema = z.union([
  z.strictObject({ setWeight: z.number().int().min(1).max(100) }),
  /** Without a duration the rollout waits for `kubectl argo rollouts promote`. */
  z.strictObject({ pause: z.strictObject({ duration: rolloutsDuration.optional() }) }),
]);

/** How a service's canary is rolled out and judged. */
export const CanaryConfigSchema = z.strictObject({
  /** The SLO spec's `service` (the `sre_service` label). */
  service: z.string().min(1),
  /** The SLO (by name, within the service) whose SLI judges the canary. */
  slo: z.string().min(1),
  /** The team namespace the service's Rollout runs in. */
  namespace: k8sName,
  /** The Services Argo Rollouts points at the stable and the canary ReplicaSet. */
  stableService: k8sName,
  canaryService: k8sName,
  /** The VirtualService whose HTTP routes Argo Rollouts re-weights, and the routes by name. */
  virtualService: z.strictObject({ name: k8sName, routes: z.array(z.string().min(1)).min(1) }),
  /** Subset-level routing: the DestinationRule whose subsets Argo Rollouts labels. @default - host-level routing */
  destinationRule: z.strictObject({ name: k8sName, canarySubsetName: k8sName, stableSubsetName: k8sName }).optional(),
  /** The Prometheus label that carries the pods' `rollouts-pod-template-hash` (PodMonitor `podTargetLabels`). */
  canaryLabel: labelName,
  /** Traffic steps after the budget gate; the last weight below 100 is followed by full promotion. */
  steps: z.array(CanaryStepSchema).min(1),
  /** The background analysis of the canary against its SLO. */
  analysis: z.strictObject({
    /** The canary's error ratio window. */
    window: promDuration,
    interval: rolloutsDuration,
    count: z.number().int().min(1),
    failureLimit: z.number().int().min(0),
    inconclusiveLimit: z.number().int().min(0),
    /** @default - the SLO's fast page burn-rate factor (14.4 for 30 days) */
    burnRateFactor: z.number().positive().optional(),
  }),
});

/** An override of the error-budget gate for one SLO: who approved it, under which ticket, until when, and why. */
export const BudgetOverrideSchema = z.strictObject({
  service: z.string().min(1),
  slo: z.string().min(1),
  ticket: z.string().min(1),
  /** One of the policy's `approvers`. */
  approvedBy: z.string().min(1),
  approved: utcTimestamp,
  expires: utcTimestamp,
  reason: z.string().trim().min(MIN_REASON_LENGTH, { message: `why promotion must go ahead on a spent budget, in at least ${MIN_REASON_LENGTH} characters` }),
});

/**
 * The error-budget policy: the SLOs that gate promotion, the floor, who may override and how. A gated SLO's remaining
 * budget below the floor stops its service's promotions (a pre-promotion analysis fails) and tells its owners (P2).
 */
export const ErrorBudgetPolicySchema = z.strictObject({
  /** The SLOs that gate promotion of their service. */
  gates: z.array(z.strictObject({ service: z.string().min(1), slo: z.string().min(1) })),
  /** Remaining share of the period's budget below which promotion stops: 0 is "spent", 0.1 keeps a tenth in reserve. */
  floor: z.number().min(0).max(1),
  /** Who may approve an override (groups or roles, as the organisation names them). */
  approvers: z.array(z.string().min(1)).min(1),
  /** The ticket ids an override must cite, as a regular expression (e.g. `^CHG-[0-9]+$`). */
  ticketPattern: z.string().min(1).refine(isRegExp, { message: "a regular expression" }),
  /** The longest an override may last, in days from its approval. */
  maxOverrideDays: z.number().int().min(1).max(14),
  overrides: z.array(BudgetOverrideSchema),
});

export const DeliveryConfigSchema = z.strictObject({
  rollouts: RolloutsConfigSchema,
  canaries: z.array(CanaryConfigSchema),
  errorBudgetPolicy: ErrorBudgetPolicySchema,
});

export type DeliveryConfig = z.infer<typeof DeliveryConfigSchema>;
export type CanaryConfig = z.infer<typeof CanaryConfigSchema>;
export type CanaryStep = z.infer<typeof CanaryStepSchema>;
export type ErrorBudgetPolicyConfig = z.infer<typeof ErrorBudgetPolicySchema>;
export type BudgetOverrideConfig = z.infer<typeof BudgetOverrideSchema>;

function isRegExp(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}
