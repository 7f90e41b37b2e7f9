import { z } from "zod";

/** The shortest reason an opt-out or an exception may give: about a sentence. */
export const MIN_REASON_LENGTH = 20;

/**
 * Turns one named zero-trust default off; the reason is required so the decision is on record. In a module of its
 * own so each part's schema under `security/` can import it without importing `security-schema.ts`, which imports
 * those parts (a cycle would leave it undefined while they load).
 */
export const OptOutSchema = z.strictObject({
  /** Why this environment turns the default off (at least a sentence). */
  reason: z.string().trim().min(MIN_REASON_LENGTH, { message: `why the default is turned off, in at least ${MIN_REASON_LENGTH} characters` }),
});
export type OptOut = z.infer<typeof OptOutSchema>;
