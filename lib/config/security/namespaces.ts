import { TEAM_NAME_ALLOWED, TEAM_NAME_RE } from "../../observability/ownership";
import { z } from "zod";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../aws/iam";
import { MESH_MODES } from "../../security/namespaces";
import { OptOutSchema } from "./opt-out";
import { POD_SECURITY_EXCEPTIONS } from "../../security/namespace-baseline";
import { NetworkAllowSchema } from "../../security/network-allow";

/**
 * `security.namespaces`: the baseline every namespace gets (Pod Security level, mesh mode, default-deny network
 * policies with explicit allows, a ResourceQuota and LimitRange), for the platform's own namespaces and each team's,
 * and the teams' IAM roles that may view or deploy there. The shape is checked here; rules that need more than one
 * field live in `validate-namespaces.ts`.
 */

const roleArn = z.string().regex(IAM_ROLE_ARN, { message: IAM_ROLE_ARN_RULE });
const nonEmpty = z.string().min(1);

/**
 * One explicit allow, a NetworkPolicy of its own named `allow-<name>`, with exactly one peer: pods of a `namespace`
 * (`"*"` for every namespace, with `podLabels` for some of their pods), `cidrs` (with `except`), `kubernetesApi` (the
 * control plane's ENIs: webhooks and controllers), `nodes` (the node subnets: host-network pods and the kubelet),
 * `internet` (0.0.0.0/0 except the VPC and link-local) or `vpcEndpoints` (the VPC's interface endpoints). The same model the
 * `NamespaceBaseline` construct takes (`lib/security/network-allow.ts`), checked by the same rules.
 */
export const AllowRuleSchema = NetworkAllowSchema;
export type AllowRuleConfig = z.infer<typeof NetworkAllowSchema>;

/**
 * Kubernetes quantities (`500m`, `2Gi`) a namespace may request and use in total, and how many load balancers and node
 * ports its Services may open (none unless named).
 */
export const QuotaSchema = z.strictObject({
  requestsCpu: nonEmpty,
  requestsMemory: nonEmpty,
  limitsMemory: nonEmpty,
  pods: z.number().int().min(1),
  /** Services of type LoadBalancer; absent, 0: only the ingress gateway's namespace has one. */
  servicesLoadBalancers: z.number().int().min(0).optional(),
  /** Node ports (per Service port, LoadBalancer Services included); absent, 0. */
  servicesNodePorts: z.number().int().min(0).optional(),
  /** Storage all PersistentVolumeClaims may request together (`requests.storage`); absent, 0. */
  requestsStorage: nonEmpty.optional(),
  /** PersistentVolumeClaims the namespace may hold; absent, 0. */
  persistentVolumeClaims: z.number().int().min(0).max(1000).optional(),
  /** Limits per StorageClass, within the totals; EKS's `gp2` is held at zero claims unless named here. */
  storageClasses: z
    .record(z.string(), z.strictObject({ requestsStorage: nonEmpty.optional(), persistentVolumeClaims: z.number().int().min(0).optional() }))
    .optional(),
});

/** What a container without requests or limits gets (LimitRange defaults); memory is limited, CPU is not throttled. */
export const ContainerDefaultsSchema = z.strictObject({
  requestCpu: nonEmpty,
  requestMemory: nonEmpty,
  limitMemory: nonEmpty,
});

/** Named opt-outs of one namespace's defaults, each with its reason. */
export const NamespaceOptOutSchema = z
  .strictObject({
    /** Leaves out the `default-deny` policy (ingress and egress); the explicit allows stay. */
    defaultDenyNetworkPolicies: OptOutSchema,
    /** Leaves out the ResourceQuota. */
    resourceQuota: OptOutSchema,
    /** Leaves out the LimitRange. */
    limitRange: OptOutSchema,
  })
  .partial();

/** One namespace's baseline. */
export const NamespaceSettingsSchema = z.strictObject({
  /** A Pod Security level weaker than `restricted`, with the reason; absent, `restricted`. */
  podSecurity: z.strictObject({ level: z.enum(POD_SECURITY_EXCEPTIONS), reason: OptOutSchema.shape.reason }).optional(),
  /** How the namespace's pods join the mesh. */
  mesh: z.enum(MESH_MODES),
  /** Ports of this namespace's pods the platform's Prometheus may scrape; empty, none. */
  metricsPorts: z.array(z.number()),
  /** Traffic into the namespace beyond DNS, monitoring and the mesh. */
  ingress: z.array(AllowRuleSchema),
  /** Traffic out of the namespace beyond DNS and the mesh control plane. */
  egress: z.array(AllowRuleSchema),
  quota: QuotaSchema,
  containerDefaults: ContainerDefaultsSchema,
  optOut: NamespaceOptOutSchema.optional(),
});
export type NamespaceSettings = z.infer<typeof NamespaceSettingsSchema>;

/**
 * A team: its namespaces and the IAM roles (EKS access entries) that may read there (`AmazonEKSViewPolicy` scoped to
 * the namespaces) or deploy there (the view policy plus the platform's workload-deployer role, bound per namespace).
 */
export const TeamSchema = z.strictObject({
  /** Short team name; names its deploy group. */
  name: z.string().regex(TEAM_NAME_RE, { message: TEAM_NAME_ALLOWED }),
  /** The team's namespaces by name, each with its baseline. */
  namespaces: z.record(z.string(), NamespaceSettingsSchema),
  viewRoleArns: z.array(roleArn),
  deployRoleArns: z.array(roleArn),
});
export type TeamConfig = z.infer<typeof TeamSchema>;

export const NamespacesConfigSchema = z.strictObject({
  /** The baseline of every namespace the add-ons run in, by name (the add-on registry says which: stacks/addon-config.ts). */
  platform: z.record(z.string(), NamespaceSettingsSchema),
  teams: z.array(TeamSchema),
});
export type NamespacesConfig = z.infer<typeof NamespacesConfigSchema>;

/** Each team's namespaces by the team's name: what alert routing recognises a team's alerts by. */
export function teamNamespacesByTeam(ns: Pick<NamespacesConfig, "teams">): Record<string, string[]> {
  return Object.fromEntries(ns.teams.map((t) => [t.name, Object.keys(t.namespaces)]));
}
