import { z } from "zod";
import { OptOutSchema } from "./opt-out";
import { ResourcesSchema } from "../platform-schema";
import { isDnsLabel, isLabelValue, isQualifiedName } from "../../kubernetes/names";
import { isIstioReservedPort } from "../../security/mesh";
import { ISTIO_SYSTEM_NAMESPACE } from "../../security/namespaces";

/**
 * `security.mesh`: Istio in sidecar mode with the CNI node agent. Versions are pinned in code (`lib/security/mesh.ts`);
 * here are only what differs between environments (sizes, replicas, zone spread, what the ingress gateway exposes,
 * which webhooks the API server calls in meshed namespaces) and the named opt-outs of the zero-trust defaults.
 */

const namespace = z.string().refine(isDnsLabel, { message: "a Kubernetes namespace name (RFC 1123 label)" });
const port = z
  .number()
  .int()
  .min(1)
  .max(65535)
  .refine((p) => !isIstioReservedPort(p), { message: "a port outside 15000–15099, which Istio reserves in every meshed pod" });
/** A label selector's `matchLabels`: at least one label, so a rule never silently covers a whole namespace. */
const matchLabels = z
  .record(z.string().refine(isQualifiedName, { message: "a label key ([prefix/]name)" }), z.string().refine(isLabelValue, { message: "a label value" }))
  .refine((labels) => Object.keys(labels).length > 0, { message: "at least one label" });

/**
 * Replicas of a horizontally scaled component: the HPA keeps between `replicas` and `maxReplicas`. The `IstioMesh`
 * construct's props by the same names; its validator checks the rules between them (maxReplicas at least replicas,
 * memory request within the limit) at this section's path before anything is built.
 */
const scaled = z.strictObject({
  /** Minimum replicas; two or more get a PodDisruptionBudget. */
  replicas: z.number().int().min(1),
  /** Upper bound of the HPA; equal to `replicas` turns autoscaling off. */
  maxReplicas: z.number().int().min(1),
  resources: ResourcesSchema,
});

/** One workload the ingress gateway may call: namespace, optionally a workload selector, and its ports. */
export const MeshExposureSchema = z.strictObject({
  namespace: namespace.refine((n) => n !== ISTIO_SYSTEM_NAMESPACE, { message: `a workload namespace, not ${ISTIO_SYSTEM_NAMESPACE}` }),
  /** Pods the gateway may reach; left out, every pod of the namespace. */
  selector: matchLabels.optional(),
  /** Container ports the gateway may call. */
  ports: z.array(port).min(1, { message: "at least one port" }),
});

/** A webhook server in a meshed namespace that the API server (no mesh identity) calls. */
export const MeshWebhookSchema = z.strictObject({
  /** Names the policies (`<name>-webhook`); unique. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, { message: "lowercase letters, digits and '-', starting with a letter, at most 41 characters" }),
  namespace,
  /** The webhook server's pods: port-level mTLS needs a workload selector. */
  selector: matchLabels,
  /** The container port the webhook listens on (the Service's targetPort). */
  port,
});

/** Why the CNI node agent's namespace needs more than Pod Security `restricted`, recorded for the namespace baseline. */
export const MeshCniPodSecuritySchema = z.strictObject({
  /** The agent runs as root with host paths and NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_PTRACE, DAC_OVERRIDE. */
  level: z.literal("privileged"),
  reason: z.string().trim().min(20, { message: "why the namespace needs this level, in at least 20 characters" }),
});

export const MeshConfigSchema = z
  .strictObject({
    istiod: scaled,
    /** The ingress gateway (in `istio-ingress`). */
    gateway: scaled,
    /** The CNI node agent (one per node, a DaemonSet in istio-system). */
    cni: z.strictObject({ resources: ResourcesSchema, podSecurity: MeshCniPodSecuritySchema }),
    /** Spread istiod and gateway replicas across zones (`DoNotSchedule`); with one replica there is nothing to spread. */
    spreadAcrossZones: z.boolean(),
    /** What the ingress gateway may call (an ALLOW per entry under the mesh-wide deny). */
    expose: z.array(MeshExposureSchema),
    /** Webhooks in meshed namespaces (PERMISSIVE on their port only, and an ALLOW on that port only). */
    webhooks: z.array(MeshWebhookSchema),
    /** Named opt-outs of the mesh's zero-trust defaults; each needs its reason. */
    optOut: z.strictObject({
      /** Mesh-wide mTLS PERMISSIVE instead of STRICT (plain text accepted). */
      permissiveMtls: OptOutSchema.optional(),
      /** No mesh-wide allow-nothing AuthorizationPolicy: what no policy names is allowed. */
      defaultDenyAuthorization: OptOutSchema.optional(),
      /** No mesh-wide ISTIO_MUTUAL DestinationRule: clients fall back to Istio's auto mTLS. */
      istioMutualDestinationRule: OptOutSchema.optional(),
      /** An internet-facing load balancer in front of the gateway instead of an internal one. */
      privateIngress: OptOutSchema.optional(),
    }),
  })
  .superRefine((mesh, ctx) => {
    const names = mesh.webhooks.map((w) => w.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: ["webhooks", i, "name"], message: `a name no other webhook has ("${name}" is repeated)` });
    });
    const keys = mesh.expose.map((e) => `${e.namespace}/${JSON.stringify(e.selector ?? {})}`);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: "custom", path: ["expose", i], message: "one entry per namespace and selector (merge the ports)" });
    });
  });

export type MeshConfig = z.infer<typeof MeshConfigSchema>;
export type MeshExposure = z.infer<typeof MeshExposureSchema>;
export type MeshWebhook = z.infer<typeof MeshWebhookSchema>;
