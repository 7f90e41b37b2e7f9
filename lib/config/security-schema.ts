import { z } from "zod";
import { AdmissionConfigSchema } from "./security/admission";
import { NamespacesConfigSchema } from "./security/namespaces";
import { CertManagerConfigSchema } from "./security/cert-manager";
import { FalcoConfigSchema } from "./security/falco";
import { MeshConfigSchema } from "./security/mesh";

/**
 * The zero-trust section of an environment (`security`): the mesh, runtime detection, the namespace baseline,
 * certificates and admission policy. Each part adds one strict key here, its schema in `security/<part>.ts`.
 *
 * Every zero-trust default is on unless the environment turns it off with a named opt-out flag that carries its
 * reason (`OptOutSchema`): there is no boolean that silently weakens a default, and an opt-out is a decision on
 * record that a review reads in the diff.
 */

export { OptOutSchema } from "./security/opt-out";
export type { OptOut } from "./security/opt-out";

export const SecurityConfigSchema = z.strictObject({
  /** Admission policies (ValidatingAdmissionPolicy): mode, allowed registries, exemptions, opt-outs. */
  admission: AdmissionConfigSchema,
  /** The baseline of every platform and team namespace, and the teams' view and deploy roles. */
  namespaces: NamespacesConfigSchema,
  /** Runtime detection: Falco and falcosidekick (lib/config/security/falco.ts). */
  falco: FalcoConfigSchema,
  /** Istio: sidecar mode with the CNI node agent, STRICT mTLS, default-deny authorization. */
  mesh: MeshConfigSchema,
  /** cert-manager: the environment's certificate issuer (in-cluster CA, Let's Encrypt over Route 53, or AWS Private CA) and sizes. */
  certManager: CertManagerConfigSchema,
});

export type SecurityConfig = z.infer<typeof SecurityConfigSchema>;
