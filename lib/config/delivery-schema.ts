import { z } from "zod";
import { MIN_REASON_LENGTH } from "./security/opt-out";
import { ResourcesSchema } from "./platform-schema";
import { PRIORITIES } from "../observability/priorities";
import { DELIVERY_MODES, GIT_REPOSITORY_RULE, isGitRepositoryUrl } from "../delivery/argocd-projects";

/**
 * `delivery`: how the platform's add-ons reach the cluster (Terraform Helm releases, or Argo CD from Git through the
 * GitOps bridge) and Argo CD itself, which teams deploy their own applications with. Argo CD is always a Helm release.
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

export const DeliveryConfigSchema = z.strictObject({
  /**
   * How the platform's add-ons are installed: `helm`, Terraform Helm releases; `gitops`, Terraform creates only their
   * AWS side and the Argo CD cluster Secret, and the synth writes their Applications to `cdktf.out/gitops/<env>/`.
   */
  mode: z.enum(DELIVERY_MODES),
  argocd: ArgoCdConfigSchema,
});

export type DeliveryConfig = z.infer<typeof DeliveryConfigSchema>;
export type ArgoCdConfig = z.infer<typeof ArgoCdConfigSchema>;
