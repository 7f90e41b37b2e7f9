import { z } from "zod";
import { MIN_REASON_LENGTH } from "./security/opt-out";
import { ResourcesSchema } from "./platform-schema";
import { isDnsLabel } from "../kubernetes/names";
import { CRON_SCHEDULE_RULE, isCronSchedule } from "../kubernetes/cron";

/**
 * `chaos`: the chaos-engineering tooling of an environment. Off unless the environment opts in with its reason: the
 * Litmus operator holds cluster-wide rights to start pods that kill, stress and cut off other workloads, so running it
 * is a decision on record, the mirror of the `optOut` flags that turn a zero-trust default off.
 */

/** Turns a piece of chaos tooling on; the reason is required so the decision is on record. */
export const ChaosOptInSchema = z.strictObject({
  /** Why this environment runs it (at least a sentence). */
  reason: z.string().trim().min(MIN_REASON_LENGTH, { message: `why this environment runs chaos tooling, in at least ${MIN_REASON_LENGTH} characters` }),
});

const seconds = (max: number) => z.number().int().min(1).max(max);
const percent = z.number().int().min(1).max(100);

/** pod-delete: deletes the target's pods, `podsAffectedPercent` of them every `intervalSeconds` for `durationSeconds`. */
export const PodDeleteSchema = z.strictObject({
  /** @default 30 */
  durationSeconds: seconds(3600).optional(),
  /** @default 10 */
  intervalSeconds: seconds(600).optional(),
  /** Delete without a grace period (`FORCE`). @default false: the pods shut down as they would in a rollout */
  force: z.boolean().optional(),
  /** @default 50 */
  podsAffectedPercent: percent.optional(),
});

/** pod-network-latency: delays the target pods' outgoing traffic by `latencyMs` (± `jitterMs`). */
export const PodNetworkLatencySchema = z.strictObject({
  /** @default 60 */
  durationSeconds: seconds(3600).optional(),
  /** @default 300 */
  latencyMs: z.number().int().min(1).max(60000).optional(),
  /** @default 0 */
  jitterMs: z.number().int().min(0).max(60000).optional(),
  /** @default 50 */
  podsAffectedPercent: percent.optional(),
});

/** pod-cpu-hog: loads `cpuCores` cores of each target pod to `cpuLoad` percent. */
export const PodCpuHogSchema = z.strictObject({
  /** @default 60 */
  durationSeconds: seconds(3600).optional(),
  /** @default 1 */
  cpuCores: z.number().int().min(1).max(64).optional(),
  /** @default 100 */
  cpuLoad: percent.optional(),
  /** @default 50 */
  podsAffectedPercent: percent.optional(),
});

/** node-drain: cordons and drains the node of one of the target's pods, then uncordons it. */
export const NodeDrainSchema = z.strictObject({
  /** @default 120 */
  durationSeconds: seconds(3600).optional(),
});

/** The experiments run against one target, in this order (a ChaosEngine runs its experiments one after another). */
export const TargetExperimentsSchema = z
  .strictObject({
    "pod-delete": PodDeleteSchema.optional(),
    "pod-network-latency": PodNetworkLatencySchema.optional(),
    "pod-cpu-hog": PodCpuHogSchema.optional(),
    "node-drain": NodeDrainSchema.optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), { message: "at least one experiment: pod-delete, pod-network-latency, pod-cpu-hog or node-drain" });

/** Which SLOs hold the experiment to a steady state: the service's, or none with the reason. */
export const TargetSteadyStateSchema = z.union([
  z.strictObject({
    /** The `service` of the SLO specs whose SLOs become the engine's promProbes. */
    service: z.string().min(1),
  }),
  z.strictObject({
    /** No SLO probes; the experiment's own verdict only. */
    optOut: z.strictObject({ reason: z.string().trim().min(MIN_REASON_LENGTH, { message: `why this target has no SLO to hold it to, in at least ${MIN_REASON_LENGTH} characters` }) }),
  }),
]);

/** One workload chaos is run against: a ChaosEngine of its own. */
export const ChaosTargetSchema = z.strictObject({
  /** The ChaosEngine's name, unique in the environment (an RFC 1123 label). */
  name: z.string().refine(isDnsLabel, { message: "a ChaosEngine name (RFC 1123 label: lowercase letters, digits and '-')" }),
  /** A team namespace (`security.namespaces.teams`) the workload runs in. */
  namespace: z.string().refine(isDnsLabel, { message: "a namespace name (RFC 1123 label)" }),
  app: z.strictObject({
    kind: z.enum(["deployment", "statefulset", "daemonset", "rollout"]),
    /** One label selecting the workload's pods, `key=value`. */
    label: z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9][A-Za-z0-9_.-]*=[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/, { message: "one label selector, key=value (e.g. app.kubernetes.io/name=checkout-api)" }),
  }),
  steadyState: TargetSteadyStateSchema,
  experiments: TargetExperimentsSchema,
  /** Run on a schedule (a platform CronJob turns the engine on). Absent: run on demand only. */
  schedule: z.strictObject({ cron: z.string().refine(isCronSchedule, { message: CRON_SCHEDULE_RULE }) }).optional(),
});

/** How the SLO probes judge every engine of the environment. */
export const SteadyStateConfigSchema = z.strictObject({
  /** Share of the period's error budget that must remain before and after an experiment (0 ≤ floor < 1). */
  budgetFloor: z.number().min(0).lt(1),
  /** One probe query's timeout, e.g. "5s". */
  probeTimeout: z.string().regex(/^(\d+(ms|s|m|h))+$/, { message: 'a duration such as "5s" or "1m30s"' }),
  /** Between checks and retries, e.g. "10s". */
  interval: z.string().regex(/^(\d+(ms|s|m|h))+$/, { message: 'a duration such as "10s" or "1m"' }),
});

/** The Litmus chaos operator (`litmus-core` chart) in the `litmus` namespace, and the experiments it runs. */
export const LitmusConfigSchema = z.strictObject({
  /** Install the operator, with the reason. Absent: not installed, and neither is its namespace. */
  optIn: ChaosOptInSchema.optional(),
  /** The operator's container. */
  resources: ResourcesSchema,
  /**
   * Allow node-drain: a ClusterRole that may cordon nodes and evict any pod on them, bound to the chaos
   * ServiceAccounts of the targets that run it. Absent: a target listing node-drain is a configuration error.
   */
  nodeDrain: z.strictObject({ optIn: ChaosOptInSchema }).optional(),
  /** How the SLO probes judge the experiments. @default { budgetFloor: 0.25, probeTimeout: "5s", interval: "10s" } */
  steadyState: SteadyStateConfigSchema.optional(),
  /** The workloads chaos runs against. @default [] */
  targets: z.array(ChaosTargetSchema).optional(),
});

export const ChaosConfigSchema = z.strictObject({
  litmus: LitmusConfigSchema,
});

export type ChaosConfig = z.infer<typeof ChaosConfigSchema>;
export type LitmusConfig = z.infer<typeof LitmusConfigSchema>;
export type ChaosTargetConfig = z.infer<typeof ChaosTargetSchema>;
export type TargetExperimentsConfig = z.infer<typeof TargetExperimentsSchema>;
export type SteadyStateConfig = z.infer<typeof SteadyStateConfigSchema>;
