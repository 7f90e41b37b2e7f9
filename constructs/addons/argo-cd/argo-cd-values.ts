import { stringify } from "yaml";
import { deepMerge, PlainObject } from "../../common/deep-merge";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../private/workload-values";
import { ResolvedWorkloadProfile, ZONE_TOPOLOGY_KEY } from "../../../lib/kubernetes/workload-profile";
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from "../../../lib/kubernetes/security-context";
import { ROLLOUTS_IGNORE_DIFFERENCES } from "../../../lib/delivery/argocd-projects";

/** The user and group Argo CD's image is built for (`argocd`, uid 999). */
export const ARGOCD_RUN_AS = { user: 999, group: 999 } as const;
/** The Redis image's `redis` user (Alpine), as the chart runs it. */
export const REDIS_RUN_AS = { user: 1000, group: 1000 } as const;
/** HAProxy's image user, as the redis-ha chart runs it. */
export const HAPROXY_RUN_AS = { user: 99, group: 99 } as const;

/** Argo CD's components that the platform sizes, by their key in the chart's values. */
export const ARGOCD_COMPONENTS = ["controller", "server", "repoServer", "applicationSet"] as const;
export type ArgoCdComponent = (typeof ARGOCD_COMPONENTS)[number];

/** The Kubernetes Secret holding the SSO client's secret (`clientSecret`), labelled so Argo CD may read it. */
export const ARGOCD_SSO_SECRET = "argocd-sso";

/** Everything the values builder needs, every decision made. */
export interface ArgoCdValuesInput {
  readonly image: { readonly repository: string; readonly tag: string };
  readonly redisImage: { readonly repository: string; readonly tag: string };
  readonly haproxyImage: { readonly repository: string; readonly tag: string };
  readonly profiles: Readonly<Record<ArgoCdComponent, ResolvedWorkloadProfile>>;
  /** Redis (single, or each redis-ha server). */
  readonly redis: ResolvedWorkloadProfile;
  /** The small helpers (redis-ha's sentinel, HAProxy, init containers, the secret-init Job). */
  readonly helperResources: ResolvedWorkloadProfile["resources"];
  readonly redisHa: boolean;
  readonly spreadAcrossZones: boolean;
  /** @default - no `url` in argocd-cm (no SSO redirect) */
  readonly url?: string;
  /** @default - no single sign-on */
  readonly sso?: { readonly name: string; readonly issuer: string; readonly clientId: string; readonly adminGroups: readonly string[] };
  readonly localAdmin: boolean;
}

const resourcesOf = (r: ResolvedWorkloadProfile["resources"]) => ({ requests: { ...r.requests }, limits: { ...r.limits } });

/** `argocd-cm`: no local admin unless kept, OIDC when configured, anonymous off, the Rollouts weights ignored everywhere. */
function cmValues(input: ArgoCdValuesInput): PlainObject {
  const cm: PlainObject = {
    "admin.enabled": input.localAdmin,
    "users.anonymous.enabled": false,
    "exec.enabled": false,
    // For every Application, including those teams write: the canary weights are Argo Rollouts' to move.
    "resource.customizations.ignoreDifferences.networking.istio.io_VirtualService": stringify({ jqPathExpressions: [...ROLLOUTS_IGNORE_DIFFERENCES[0]!.jqPathExpressions] }),
  };
  if (input.url) cm.url = input.url;
  if (input.sso) {
    cm["oidc.config"] = stringify({
      name: input.sso.name,
      issuer: input.sso.issuer,
      clientID: input.sso.clientId,
      // A Secret labelled app.kubernetes.io/part-of=argocd, synced by external-secrets: never a value in Terraform.
      clientSecret: `$${ARGOCD_SSO_SECRET}:clientSecret`,
      requestedScopes: ["openid", "profile", "email", "groups"],
    });
  }
  return cm;
}

/** `argocd-rbac-cm`: nobody may do anything by default; the SSO admin groups are administrators. */
function rbacValues(input: ArgoCdValuesInput): PlainObject {
  const lines = (input.sso?.adminGroups ?? []).map((g) => `g, ${g}, role:admin`);
  return { "policy.default": "", "policy.csv": lines.join("\n"), scopes: "[groups]" };
}

/** The chart values of Argo CD (and redis-ha in HA) from resolved profiles. */
export function argoCdValues(input: ArgoCdValuesInput): PlainObject {
  const pod = hardenedPodSecurityContext(ARGOCD_RUN_AS);
  const placement = input.profiles.server.placement;
  const components = ARGOCD_COMPONENTS.map((c) =>
    workloadValues(input.profiles[c], {
      replicas: [c, "replicas"],
      resources: [c, "resources"],
      podDisruptionBudget: { path: [c, "pdb"], render: ENABLED_FLAG_BUDGET },
      containerSecurityContext: { path: [c, "containerSecurityContext"] },
    }),
  );
  const zoneSpread = input.spreadAcrossZones ? [{ maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule" }] : [];
  const helpers = resourcesOf(input.helperResources);
  const redisPodContext = hardenedPodSecurityContext(REDIS_RUN_AS);
  const redisContainerContext = hardenedContainerSecurityContext(REDIS_RUN_AS);
  return deepMerge(
    {
      global: {
        ...(input.url ? { domain: new URL(input.url).host } : {}),
        image: { repository: input.image.repository, tag: input.image.tag },
        securityContext: pod,
        // The namespace baseline's default-deny and allows are the only network policy (one home): the chart's own
        // allow every client in.
        networkPolicy: { create: false, defaultDenyIngress: false },
        // On the system nodes, through the chart's required node affinity; the chart keeps its soft pod anti-affinity.
        nodeSelector: { "kubernetes.io/os": "linux" },
        affinity: { podAntiAffinity: "soft", nodeAffinity: { type: "hard", matchExpressions: Object.entries(placement.nodeLabels).map(([key, value]) => ({ key, operator: "In", values: [value] })) } },
        tolerations: [...placement.tolerations],
        // Without a labelSelector the chart puts in each component's own.
        topologySpreadConstraints: zoneSpread,
      },
      crds: { install: true, keep: true },
      configs: {
        cm: cmValues(input),
        rbac: rbacValues(input),
        params: { "server.insecure": false },
        // The chart makes argocd-secret (the server's signing key is written into it at start); the local admin's
        // hash is merged into it by external-secrets, never set here.
        secret: { createSecret: true },
      },
      // SSO is Argo CD's own OIDC client; alerts come from metrics (lib/delivery/argocd-alerts.ts).
      dex: { enabled: false },
      notifications: { enabled: false },
      commitServer: { enabled: false },
      controller: { metrics: { enabled: true, serviceMonitor: { enabled: false } } },
      server: { metrics: { enabled: false }, autoscaling: { enabled: false } },
      repoServer: { copyutil: { resources: resourcesOf(input.profiles.repoServer.resources) }, autoscaling: { enabled: false } },
      redisSecretInit: {
        resources: helpers,
        securityContext: pod,
        containerSecurityContext: hardenedContainerSecurityContext(ARGOCD_RUN_AS),
      },
    },
    ...components,
    // Both Redis variants are sized, placed and hardened whatever the switch says (only `enabled` differs), so turning
    // HA on or off never brings up a pod with the charts' weaker defaults.
    {
      redis: {
        enabled: !input.redisHa,
        image: { repository: input.redisImage.repository, tag: input.redisImage.tag },
        resources: resourcesOf(input.redis.resources),
        securityContext: redisPodContext,
        containerSecurityContext: redisContainerContext,
        exporter: { enabled: false },
      },
    },
    redisHaValues(input, helpers),
  );
}

/** Redis with Sentinel behind HAProxy: three servers, each on its own node (hard anti-affinity), spread across zones. */
function redisHaValues(input: ArgoCdValuesInput, helpers: PlainObject): PlainObject {
  const placement = input.redis.placement;
  const redisContainer = hardenedContainerSecurityContext(REDIS_RUN_AS);
  const spread = input.spreadAcrossZones ? { enabled: true, maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule" } : { enabled: false };
  return {
    "redis-ha": {
      enabled: input.redisHa,
      image: { repository: input.redisImage.repository, tag: input.redisImage.tag },
      hardAntiAffinity: true,
      topologySpreadConstraints: spread,
      nodeSelector: { ...placement.nodeLabels },
      tolerations: [...placement.tolerations],
      securityContext: hardenedPodSecurityContext(REDIS_RUN_AS),
      containerSecurityContext: redisContainer,
      redis: { resources: resourcesOf(input.redis.resources) },
      sentinel: { resources: helpers },
      splitBrainDetection: { resources: helpers },
      init: { resources: helpers },
      exporter: { enabled: false },
      podDisruptionBudget: { minAvailable: 2 },
      haproxy: {
        enabled: true,
        image: { repository: input.haproxyImage.repository, tag: input.haproxyImage.tag },
        hardAntiAffinity: true,
        resources: helpers,
        init: { resources: helpers },
        securityContext: hardenedPodSecurityContext(HAPROXY_RUN_AS),
        containerSecurityContext: hardenedContainerSecurityContext(HAPROXY_RUN_AS),
        metrics: { enabled: false },
        podDisruptionBudget: { minAvailable: 2 },
      },
    },
  };
}
