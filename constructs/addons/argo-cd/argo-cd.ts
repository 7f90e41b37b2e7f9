import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { throwIfProblems, ValidationProblem, requireProps, isUnresolved } from "../../common/validation";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { resolveWorkloadProfile, validateWorkloadProfile, ResolvedWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { ARGOCD_NAMESPACE } from "../../../lib/delivery/argocd-projects";
import { ARGOCD_COMPONENTS, ARGOCD_RUN_AS, ArgoCdComponent, argoCdValues, REDIS_RUN_AS } from "./argo-cd-values";

export { ARGOCD_NAMESPACE };

/** The `argo-cd` chart version; the committed CRD schemas and the chart-defaults fixture name the same version. */
export const ARGOCD_CHART_VERSION = "10.1.1";

/**
 * argoproj's `argo-cd` chart 10.1.1 (Argo CD v3.4.4, redis-ha 4.38.0 as its HA Redis). Its CRDs are templates
 * (`crds.install`), so Helm upgrades them with the chart; they carry `argocd.argoproj.io/sync-options:
 * ServerSideApply=true`, as the ApplicationSet CRD is too big for a client-side apply's annotation.
 * @see https://github.com/argoproj/argo-helm/tree/argo-cd-10.1.1/charts/argo-cd
 */
export const ARGOCD_DEFAULTS: HelmChartDefaults = {
  chart: "argo-cd",
  repository: "https://argoproj.github.io/argo-helm",
  version: ARGOCD_CHART_VERSION,
  namespace: ARGOCD_NAMESPACE,
  releaseName: "argocd",
  crds: {
    "argoproj.io/v1alpha1/Application": "argoproj.io/application_v1alpha1.json",
    "argoproj.io/v1alpha1/AppProject": "argoproj.io/appproject_v1alpha1.json",
  },
};

/** Argo CD's image: the chart's `appVersion`, pinned. */
export const ARGOCD_IMAGE = { repository: "quay.io/argoproj/argocd", tag: "v3.4.4" } as const;
/** Redis as the chart 10.1.1 pins it, from the canonical Amazon ECR Public path of Docker's official images. */
export const ARGOCD_REDIS_IMAGE = { repository: "public.ecr.aws/docker/library/redis", tag: "8.2.3-alpine" } as const;
/** HAProxy in front of redis-ha, the tag redis-ha 4.38.0 pins. */
export const ARGOCD_HAPROXY_IMAGE = { repository: "public.ecr.aws/docker/library/haproxy", tag: "3.3.10-alpine" } as const;

/** One Argo CD component's size. */
export interface ArgoCdComponentProps {
  /** @default 1 */
  readonly replicas?: number;
  /** @default - the component's default in {@link ARGOCD_DEFAULT_RESOURCES} */
  readonly resources?: ContainerResources;
}

/** What each component requests when the caller gives no size (a few teams, a few hundred Applications). */
export const ARGOCD_DEFAULT_RESOURCES: Readonly<Record<ArgoCdComponent | "redis" | "helpers", ContainerResources>> = {
  controller: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
  server: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  repoServer: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  applicationSet: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  redis: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  helpers: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
};

/** Single sign-on through the identity provider's OIDC endpoint. */
export interface ArgoCdSsoProps {
  /** The name on the login button. */
  readonly name: string;
  /** The issuer URL (https). */
  readonly issuer: string;
  readonly clientId: string;
  /** Groups whose members are administrators. @default [] */
  readonly adminGroups?: readonly string[];
}

/** Props of {@link ArgoCd}. */
export interface ArgoCdProps extends HelmAddonProps, HelmReleaseOptions {
  /** The URL people reach Argo CD at (`argocd-cm` `url`, the SSO redirect). @default - none (no SSO possible) */
  readonly url?: string;
  /** @default { replicas: 1 } and {@link ARGOCD_DEFAULT_RESOURCES} */
  readonly controller?: ArgoCdComponentProps;
  /** @default { replicas: 1 } */
  readonly server?: ArgoCdComponentProps;
  /** @default { replicas: 1 } */
  readonly repoServer?: ArgoCdComponentProps;
  /** @default { replicas: 1 } */
  readonly applicationSet?: ArgoCdComponentProps;
  /**
   * Redis: one pod, or redis-ha (three Redis servers with Sentinel behind three HAProxies, each on its own node by the
   * chart's hard anti-affinity: three system nodes needed).
   * @default { ha: false }
   */
  readonly redis?: { readonly ha?: boolean; readonly resources?: ContainerResources };
  /** Spread each component's replicas across zones. @default false */
  readonly spreadAcrossZones?: boolean;
  /**
   * OIDC single sign-on; the client secret is read from the Secret `argocd-sso` (key `clientSecret`, labelled
   * `app.kubernetes.io/part-of: argocd`), which external-secrets makes.
   * @default - no SSO
   */
  readonly sso?: ArgoCdSsoProps;
  /**
   * Keep the local `admin` user. Its bcrypt hash is merged into `argocd-secret` by external-secrets, never a value.
   * @default false
   */
  readonly localAdmin?: boolean;
  /** @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * Argo CD on the system nodes: every component sized and hardened by the workload profile, no local admin, OIDC
 * single sign-on where configured, nobody allowed anything by default, and redis-ha where the environment wants it
 * highly available. Dex and the notifications controller are not installed (alerts come from metrics). Needs no AWS
 * permissions: it reads Git and the cluster.
 */
export class ArgoCd extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  /** The resolved profile of each component. */
  public readonly profiles: Readonly<Record<ArgoCdComponent, ResolvedWorkloadProfile>>;
  public readonly redisHa: boolean;
  public readonly localAdmin: boolean;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    throwIfProblems(this.node.path, validateArgoCdProps(props));
    const placement = resolvePlacement(props.systemNodePlacement);
    const resolve = (p: WorkloadProfile) => resolveWorkloadProfile({ ...p, placement });
    const profiles = argoCdProfiles(props);
    this.profiles = Object.fromEntries(ARGOCD_COMPONENTS.map((c) => [c, resolve(profiles[c])])) as Record<ArgoCdComponent, ResolvedWorkloadProfile>;
    this.redisHa = props.redis?.ha ?? false;
    this.localAdmin = props.localAdmin ?? false;
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: ARGOCD_DEFAULTS,
      // Argo CD is what installs the other add-ons in `gitops` delivery: always a Helm release.
      alwaysHelm: true,
      chartValues: argoCdValues({
        image: ARGOCD_IMAGE,
        redisImage: ARGOCD_REDIS_IMAGE,
        haproxyImage: ARGOCD_HAPROXY_IMAGE,
        profiles: this.profiles,
        redis: resolve({ replicas: this.redisHa ? 3 : 1, resources: props.redis?.resources ?? ARGOCD_DEFAULT_RESOURCES.redis, runAs: REDIS_RUN_AS }),
        helperResources: resolve({ resources: ARGOCD_DEFAULT_RESOURCES.helpers }).resources,
        redisHa: this.redisHa,
        spreadAcrossZones: props.spreadAcrossZones ?? false,
        url: props.url,
        sso: props.sso ? { ...props.sso, adminGroups: props.sso.adminGroups ?? [] } : undefined,
        localAdmin: this.localAdmin,
      }),
    });
  }

  /** The namespace of the release (Applications and AppProjects live there). */
  public get namespace(): string {
    return this.addon.namespace;
  }

  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }
}

function argoCdProfiles(props: Omit<ArgoCdProps, "cluster">): Record<ArgoCdComponent, WorkloadProfile> {
  return Object.fromEntries(
    ARGOCD_COMPONENTS.map((c) => [
      c,
      { replicas: props[c]?.replicas ?? 1, resources: props[c]?.resources ?? ARGOCD_DEFAULT_RESOURCES[c], spreadAcrossZones: props.spreadAcrossZones ?? false, runAs: ARGOCD_RUN_AS },
    ]),
  ) as Record<ArgoCdComponent, WorkloadProfile>;
}

/** Checks {@link ArgoCdProps} without building anything (the release is checked by `HelmAddon`). */
export function validateArgoCdProps(props: Omit<ArgoCdProps, "cluster"> & Partial<Pick<ArgoCdProps, "cluster">>): ValidationProblem[] {
  const profiles = argoCdProfiles(props);
  const problems: ValidationProblem[] = ARGOCD_COMPONENTS.flatMap((c) => validateWorkloadProfile(c, profiles[c], `Argo CD's ${c} pods`));
  problems.push(...validateWorkloadProfile("redis", { resources: props.redis?.resources ?? ARGOCD_DEFAULT_RESOURCES.redis }, "Redis"));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  const https = (v: string) => isUnresolved(v) || /^https:\/\/[^\s/]+(\/\S*)?$/.test(v);
  if (props.url !== undefined && !https(props.url)) problems.push({ path: "url", value: props.url, allowed: "an https:// URL" });
  if (props.sso) {
    if (props.url === undefined) problems.push({ path: "url", value: undefined, allowed: "the URL people reach Argo CD at: single sign-on redirects there" });
    if (!https(props.sso.issuer)) problems.push({ path: "sso.issuer", value: props.sso.issuer, allowed: "the identity provider's https:// issuer URL" });
    if (props.sso.clientId.trim() === "") problems.push({ path: "sso.clientId", value: props.sso.clientId, allowed: "the OIDC client id" });
  }
  return problems;
}
