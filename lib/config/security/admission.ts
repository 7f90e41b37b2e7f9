import { z } from "zod";
import { OptOutSchema } from "./opt-out";
import { ADMISSION_POLICY_KEYS, EXEMPTIBLE_WORKLOAD_KINDS, POD_POLICY_KEYS, REQUIRED_PROBES } from "../../security/admission/policies";
import { ADMISSION_MODES } from "../../security/admission/manifests";
import { IMAGE_REGISTRY, IMAGE_REGISTRY_RULE, IMAGE_REPOSITORY, IMAGE_REPOSITORY_RULE } from "../../security/admission/registries";
import { isDnsLabel, isDnsSubdomain } from "../../kubernetes/names";

/**
 * `security.admission`: the admission policies (Kubernetes `ValidatingAdmissionPolicy`) of an environment. Every
 * policy is on; `mode` says whether violations are refused or only reported; exemptions name a namespace or a
 * workload, the policies it is exempt from and why; turning a policy off altogether is a named opt-out with a reason.
 */

/** Why an exemption exists: required, so the decision is on record in the diff. */
const reason = z.string().trim().min(20, { message: "why this exemption is needed, in at least 20 characters" });
const policyKeys = z
  .array(z.enum(ADMISSION_POLICY_KEYS))
  .min(1)
  .refine((keys) => new Set(keys).size === keys.length, { message: "each policy at most once" });
/** A workload is exempt from pod policies only: no workload owns a Service (`serviceExposure`). */
const podPolicyKeys = z
  .array(z.enum(POD_POLICY_KEYS))
  .min(1)
  .refine((keys) => new Set(keys).size === keys.length, { message: "each policy at most once" });
const namespace = z.string().refine(isDnsLabel, { message: "a namespace name (RFC 1123 label)" });

export const NamespaceExemptionSchema = z.strictObject({
  namespace,
  /** The policies the namespace is exempt from. */
  policies: policyKeys,
  reason,
});

export const WorkloadExemptionSchema = z.strictObject({
  namespace,
  kind: z.enum(EXEMPTIBLE_WORKLOAD_KINDS),
  name: z.string().refine(isDnsSubdomain, { message: "a workload name (RFC 1123 subdomain)" }),
  /** The policies the workload (and only its pods) is exempt from. */
  policies: podPolicyKeys,
  reason,
});

export const ProbeExemptContainerSchema = z.strictObject({
  /** A container name, in any pod (a sidecar injected into other teams' pods). */
  name: z.string().refine(isDnsLabel, { message: "a container name (RFC 1123 label)" }),
  /** Image repositories it must run for the exemption to hold (a team cannot borrow the name). */
  images: z.array(z.string().regex(IMAGE_REGISTRY, { message: IMAGE_REGISTRY_RULE })).min(1).optional(),
  /** The probes it need not have. */
  probes: z
    .array(z.enum(REQUIRED_PROBES))
    .min(1)
    .refine((p) => new Set(p).size === p.length, { message: "each probe at most once" }),
  reason,
});

/** One named flag per policy: the flag removes that policy (and its binding), nothing else. */
export const AdmissionOptOutSchema = z.strictObject(
  Object.fromEntries(ADMISSION_POLICY_KEYS.map((k) => [k, OptOutSchema.optional()])) as Record<(typeof ADMISSION_POLICY_KEYS)[number], z.ZodOptional<typeof OptOutSchema>>,
);

export const AdmissionConfigSchema = z
  .strictObject({
    /** `audit` reports violations (audit log and client warnings); `enforce` refuses them. */
    mode: z.enum(ADMISSION_MODES),
    /** Registries (host and optional repository path) images may come from. */
    allowedRegistries: z
      .array(z.string().regex(IMAGE_REGISTRY, { message: IMAGE_REGISTRY_RULE }))
      .min(1)
      .refine((r) => new Set(r).size === r.length, { message: "each registry at most once" }),
    /**
     * Repositories images may be, matched exactly by tag or digest (`docker.io/grafana/grafana`): narrower than a
     * registry entry, for an organisation the environment takes one image from.
     * @default []
     */
    allowedRepositories: z
      .array(z.string().regex(IMAGE_REPOSITORY, { message: IMAGE_REPOSITORY_RULE }))
      .refine((r) => new Set(r).size === r.length, { message: "each repository at most once" })
      .optional(),
    exemptNamespaces: z.array(NamespaceExemptionSchema),
    exemptWorkloads: z.array(WorkloadExemptionSchema),
    /** Containers by name that need not have some probe (the probes policy only). */
    probeExemptContainers: z.array(ProbeExemptContainerSchema),
    /** @default {} (every policy on) */
    optOut: AdmissionOptOutSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.exemptNamespaces.forEach((e, i) => {
      if (seen.has(e.namespace)) ctx.addIssue({ code: "custom", path: ["exemptNamespaces", i, "namespace"], message: `each namespace at most once (${e.namespace} is listed twice)` });
      seen.add(e.namespace);
    });
    const workloads = new Set<string>();
    c.exemptWorkloads.forEach((w, i) => {
      const key = `${w.namespace}/${w.kind}/${w.name}`;
      if (workloads.has(key)) ctx.addIssue({ code: "custom", path: ["exemptWorkloads", i], message: `each workload at most once (${key} is listed twice)` });
      workloads.add(key);
    });
  });

export type AdmissionConfig = z.infer<typeof AdmissionConfigSchema>;
