import { z } from "zod";
import { MIN_REASON_LENGTH } from "./security/opt-out";
import { ResourcesSchema } from "./platform-schema";
import { PRIORITIES } from "../observability/priorities";
import { DELIVERY_MODES, GIT_REPOSITORY_RULE, isGitRepositoryUrl } from "../delivery/argocd-projects";
import { isDnsLabel } from "../kubernetes/names";
import { PROMETHEUS_DURATION, PROMETHEUS_DURATION_RULE } from "../kubernetes/durations";

/**
 * `delivery`: how things reach the cluster and how services are rolled out.
 * - How the platform's add-ons are installed (Terraform Helm releases, or Argo CD from Git through the GitOps bridge),
 *   and Argo CD itself, which teams deploy their own applications with. Argo CD is always a Helm release.
 * - Argo Rollouts runs canaries whose traffic Istio shifts; the platform judges each canary by the service's SLO (an
 *   AnalysisTemplate compiled from it) and stops promotion while the SLO's error budget is spent (the error-budget
 *   policy). Teams own their Rollouts; the platform owns the analysis.
 */

const nonEmpty = z.string().trim().min(1);
const gitRepository = z.string().refine(isGitRepositoryUrl, { message: GIT_REPOSITORY_RULE });
const httpsUrl = z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, { message: "an https:// URL" });

/** An Argo CD component: how many replicas and how big each is. */
const ArgoCdComponentSchema = z.strictObject({
  replicas: z.number().int().min(1).max(5),
  resources: ResourcesSchema,
});

/** Single sign-on through the identity provider's OIDC endpoint (Argo CD's own OIDC client; Dex is not installed). */
export const ArgoCdSsoSchema = z.strictObject({
  /** The name on the login button, e.g. `Okta`. */
  name: nonEmpty,
  /** The provider's issuer URL (its `/.well-known/openid-configuration` is read from there). */
  issuer: httpsUrl,
  clientId: nonEmpty,
  /**
   * The Secrets Manager secret, under `platform.externalSecrets.secretsManagerPrefix`, whose JSON property
   * `clientSecret` is the client's secret: synced into the cluster by external-secrets, never in Terraform.
   */
  clientSecretPath: z.string().regex(/^[A-Za-z0-9/_+=.@-]+$/, { message: "a Secrets Manager secret path under the environment's prefix, without a leading '/'" }),
  /** Groups whose members are Argo CD administrators (`role:admin`). */
  adminGroups: z.array(nonEmpty),
});

/**
 * The local `admin` user, kept only where the environment says why. Its bcrypt hash comes from Secrets Manager through
 * external-secrets (JSON properties `admin.password` and `admin.passwordMtime`), never from Terraform: a `bcrypt()` in
 * Terraform draws a new salt on every plan, a perpetual diff.
 */
export const ArgoCdLocalAdminSchema = z.strictObject({
  reason: z.string().trim().min(MIN_REASON_LENGTH, { message: `why this environment keeps a local admin, in at least ${MIN_REASON_LENGTH} characters` }),
  /** The Secrets Manager secret, under the environment's prefix, holding `admin.password` (a bcrypt hash) and `admin.passwordMtime`. */
  passwordHashPath: z.string().regex(/^[A-Za-z0-9/_+=.@-]+$/, { message: "a Secrets Manager secret path under the environment's prefix, without a leading '/'" }),
});

/** The environment's root app-of-apps Application. */
export const RootApplicationSchema = z.strictObject({
  repoURL: gitRepository,
  /** Directory of the repository holding the environment's Applications. */
  path: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { message: "a relative directory such as envs/dev (no leading '/', no '..')" }).refine((p) => !p.split("/").includes(".."), { message: "a relative directory without '..'" }),
  /** Branch, tag or commit. */
  targetRevision: nonEmpty,
  /** `automated`: Argo CD syncs, prunes and heals drift; `manual`: a person syncs (and sees the diff first). */
  sync: z.enum(["automated", "manual"]),
});

/** A team's AppProject. */
export const ArgoCdProjectSchema = z.strictObject({
  /** Git repositories the team's Applications may come from (no wildcards: each is named). */
  sourceRepos: z.array(gitRepository),
  /**
   * Identity-provider groups that may sync and read the team's Applications.
   * @default - nobody but the administrators
   */
  groups: z.array(nonEmpty).optional(),
});

export const ArgoCdConfigSchema = z.strictObject({
  /** The URL people reach Argo CD at (the server's `url`, SSO redirects). */
  url: httpsUrl,
  controller: ArgoCdComponentSchema,
  server: ArgoCdComponentSchema,
  repoServer: ArgoCdComponentSchema,
  applicationSet: ArgoCdComponentSchema,
  redis: z.strictObject({
    /**
     * Redis with Sentinel and HAProxy (three Redis servers, each on its own node: hard anti-affinity), for a highly
     * available Argo CD; needs three system nodes.
     */
    ha: z.boolean(),
    resources: ResourcesSchema,
  }),
  /** Spread each component's replicas across zones (`DoNotSchedule`). */
  spreadAcrossZones: z.boolean(),
  /** Single sign-on. Absent: no SSO (only a local admin, where one is kept). */
  sso: ArgoCdSsoSchema.optional(),
  /** The local admin, off unless the environment keeps it with a reason. */
  localAdmin: ArgoCdLocalAdminSchema.optional(),
  /** The root app-of-apps. Absent: none (teams' Applications are added by hand or by another root). */
  rootApplication: RootApplicationSchema.optional(),
  /** Each team's AppProject, by team name (`security.namespaces.teams[].name`); a team left out may deploy from no repository. */
  projects: z.record(z.string(), ArgoCdProjectSchema),
  /** The tiers of Argo CD's alerts. */
  alerts: z.strictObject({
    /** An Application whose sync failed. */
    syncFailed: z.enum(PRIORITIES),
    /** An Application whose health is Degraded. */
    degraded: z.enum(PRIORITIES),
  }),
});

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
  /**
   * How the platform's add-ons are installed: `helm`, Terraform Helm releases; `gitops`, Terraform creates only their
   * AWS side and the Argo CD cluster Secret, and the synth writes their Applications to `cdktf.out/gitops/<env>/`.
   */
  mode: z.enum(DELIVERY_MODES),
  argocd: ArgoCdConfigSchema,
  rollouts: RolloutsConfigSchema,
  canaries: z.array(CanaryConfigSchema),
  errorBudgetPolicy: ErrorBudgetPolicySchema,
});

export type DeliveryConfig = z.infer<typeof DeliveryConfigSchema>;
export type ArgoCdConfig = z.infer<typeof ArgoCdConfigSchema>;
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
