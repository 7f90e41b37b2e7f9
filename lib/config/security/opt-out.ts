import { z } from "zod";

/**
 * Turns one named zero-trust default off; the reason is required so the decision is on record. In a module of its
 * own so each part's schema (lib/config/security/<part>.ts) can use it while `security-schema.ts` imports those
 * schemas, without a circular import.
 */
export const OptOutSchema = z.strictObject({
  /** Why this environment turns the default off (at least a sentence). */
  reason: z.string().trim().min(20, { message: "why the default is turned off, in at least 20 characters" }),
});
export type OptOut = z.infer<typeof OptOutSchema>;
