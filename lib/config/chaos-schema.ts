import { z } from "zod";
import { MIN_REASON_LENGTH } from "./security/opt-out";
import { ResourcesSchema } from "./platform-schema";

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

/** The Litmus chaos operator (`litmus-core` chart) in the `litmus` namespace. */
export const LitmusConfigSchema = z.strictObject({
  /** Install the operator, with the reason. Absent: not installed, and neither is its namespace. */
  optIn: ChaosOptInSchema.optional(),
  /** The operator's container. */
  resources: ResourcesSchema,
});

export const ChaosConfigSchema = z.strictObject({
  litmus: LitmusConfigSchema,
});

export type ChaosConfig = z.infer<typeof ChaosConfigSchema>;
export type LitmusConfig = z.infer<typeof LitmusConfigSchema>;
