import { z } from "zod";
import { AdmissionConfigSchema } from "./security/admission";

/**
 * The zero-trust section of an environment (`security`): the mesh, runtime detection, the namespace baseline,
 * certificates and admission policy. Each part adds one strict key here.
 *
 * Every zero-trust default is on unless the environment turns it off with a named opt-out flag that carries its
 * reason (`OptOutSchema`): there is no boolean that silently weakens a default, and an opt-out is a decision on
 * record that a review reads in the diff.
 */

// In its own module so each part's schema can use it while this file imports the parts (no import cycle).
export { OptOutSchema, type OptOut } from "./security/opt-out";

export const SecurityConfigSchema = z.strictObject({
  /** Admission policies (ValidatingAdmissionPolicy): mode, allowed registries, exemptions, opt-outs. */
  admission: AdmissionConfigSchema,
});

export type SecurityConfig = z.infer<typeof SecurityConfigSchema>;
