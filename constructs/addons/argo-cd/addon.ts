import { atConfigPath, type AddonContainer, type AddonDescriptor, type AddonWorkload } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import type { ValidationProblem } from "../../../lib/problems";
import { NODE_ROLE_LABEL, NODE_ROLES } from "../../../lib/kubernetes/labels";
import type { TeamProjectInput } from "../../../lib/delivery/argocd-projects";
import { externalSecretsAddon } from "../external-secrets/addon";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { SecretsManagerStore, SyncedSecret } from "../external-secrets/secrets-manager-secrets";
import { ArgoCd, ArgoCdProps, ARGOCD_DEFAULTS, ARGOCD_HAPROXY_IMAGE, ARGOCD_IMAGE, ARGOCD_NAMESPACE, ARGOCD_REDIS_IMAGE, validateArgoCdProps } from "./argo-cd";
import { ARGOCD_SSO_SECRET } from "./argo-cd-values";
import { ArgoCdProjects, validateArgoCdProjectsProps } from "./argo-cd-projects";
import { ArgoCdMonitoring } from "./argo-cd-monitoring";

const image = (i: { readonly repository: string; readonly tag: string }) => `${i.repository}:${i.tag}`;
const ARGOCD = image(ARGOCD_IMAGE);
const own = (key: string, name: string, extra: Partial<AddonContainer> = {}): AddonContainer => ({
  name, image: ARGOCD, securityContext: [key, "containerSecurityContext"], resources: [key, "resources"], ...extra,
});
const argo = (kind: AddonWorkload["kind"], name: string, containers: AddonContainer[]): AddonWorkload => ({
  kind, name, namespace: ARGOCD_NAMESPACE, podSecurityContext: ["global", "securityContext"], containers,
});
const REDIS_HA = ["redis-ha"];

/**
 * Argo CD (`delivery.argocd`): the release on the system nodes in `platform`; the SSO client secret and the kept local
 * admin's hash synced from Secrets Manager, each team's AppProject and the root app-of-apps in `platform-resources`;
 * its ServiceMonitor and alerts in `observability-resources`. Installed as a Helm release in both delivery modes: in
 * `gitops` mode it is what installs every other add-on.
 */
export const argoCdAddon: AddonDescriptor<ArgoCd> = {
  name: "argo-cd",
  layer: "platform",
  summary: "Argo CD (HA with redis-ha where configured): SSO, no local admin by default, an AppProject per team, the root app-of-apps, alerts in the P0–P4 tiers",
  configPath: "delivery.argocd",
  namespaces: [{ name: ARGOCD_NAMESPACE }],
  crds: ARGOCD_DEFAULTS.crds,
  images: [ARGOCD_IMAGE.repository, ARGOCD_REDIS_IMAGE.repository, ARGOCD_HAPROXY_IMAGE.repository],
  // Argo CD's organisation; Redis and HAProxy are Docker's official images on Amazon ECR Public (one path for both).
  registries: ["quay.io/argoproj", "public.ecr.aws/docker/library"],
  workloads: [
    argo("StatefulSet", "argocd-application-controller", [own("controller", "application-controller")]),
    argo("Deployment", "argocd-server", [own("server", "server")]),
    argo("Deployment", "argocd-repo-server", [
      own("repoServer", "repo-server"),
      // The init container that copies the binary takes the repo server's context and its own resources.
      own("repoServer", "copyutil", { resources: ["repoServer", "copyutil", "resources"] }),
    ]),
    argo("Deployment", "argocd-applicationset-controller", [own("applicationSet", "applicationset-controller")]),
    { ...argo("Job", "argocd-redis-secret-init", [own("redisSecretInit", "secret-init")]), podSecurityContext: ["redisSecretInit", "securityContext"], chartPodFields: { restartPolicy: "OnFailure" } },
    {
      kind: "Deployment", name: "argocd-redis", namespace: ARGOCD_NAMESPACE, podSecurityContext: ["redis", "securityContext"],
      containers: [{ name: "redis", image: image(ARGOCD_REDIS_IMAGE), securityContext: ["redis", "containerSecurityContext"], resources: ["redis", "resources"] }],
    },
    {
      kind: "StatefulSet", name: "argocd-redis-ha-server", namespace: ARGOCD_NAMESPACE, podSecurityContext: [...REDIS_HA, "securityContext"],
      containers: [
        ["config-init", "init"], ["redis", "redis"], ["sentinel", "sentinel"], ["split-brain-fix", "splitBrainDetection"],
      ].map(([name, key]) => ({ name: name!, image: image(ARGOCD_REDIS_IMAGE), securityContext: [...REDIS_HA, "containerSecurityContext"], resources: [...REDIS_HA, key!, "resources"] })),
    },
    {
      kind: "Deployment", name: "argocd-redis-ha-haproxy", namespace: ARGOCD_NAMESPACE, podSecurityContext: [...REDIS_HA, "haproxy", "securityContext"],
      containers: [
        { name: "config-init", image: image(ARGOCD_HAPROXY_IMAGE), securityContext: [...REDIS_HA, "haproxy", "containerSecurityContext"], resources: [...REDIS_HA, "haproxy", "init", "resources"] },
        { name: "haproxy", image: image(ARGOCD_HAPROXY_IMAGE), securityContext: [...REDIS_HA, "haproxy", "containerSecurityContext"], resources: [...REDIS_HA, "haproxy", "resources"] },
      ],
    },
  ],
  enabled: () => true,
  requires: [externalSecretsAddon],
  validate: (config) => [
    ...atConfigPath("delivery.argocd", validateArgoCdProps(argoCdProps(config)), { sso: "sso", localAdmin: "localAdmin" }),
    ...atConfigPath("delivery.argocd", validateArgoCdProjectsProps({ teams: teamProjects(config), rootApplication: rootApplicationOf(config) }), { teams: "projects" }),
    ...projectTeamProblems(config),
    ...redisHaNodeProblems(config),
  ],
  build: (ctx) =>
    new ArgoCd(ctx.scope, "ArgoCd", {
      ...argoCdProps(ctx.config),
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made the namespace: restricted, out of the mesh, default-deny with Argo CD's own allows.
      createNamespace: false,
      dependsOn: [ctx.namespace(ARGOCD_NAMESPACE)],
      systemNodePlacement: ctx.placement,
    }),
  resources: [
    {
      layer: "platform-resources",
      build: (ctx, argoCd) => {
        const a = ctx.config.delivery.argocd;
        const prefix = ctx.config.platform.externalSecrets.secretsManagerPrefix;
        const needsSecrets = a.sso !== undefined || a.localAdmin !== undefined;
        const store = needsSecrets
          ? new SecretsManagerStore(ctx.scope, "ArgoCdSecretStore", { externalSecrets: ctx.require(externalSecretsAddon), name: "argocd-secrets-manager", namespaces: [ARGOCD_NAMESPACE], region: ctx.config.region, access: ctx.access })
          : undefined;
        if (store && a.sso) {
          new SyncedSecret(ctx.scope, "ArgoCdSsoSecret", {
            store, namespace: ARGOCD_NAMESPACE, secretName: ARGOCD_SSO_SECRET, remoteKey: `${prefix}/${a.sso.clientSecretPath}`,
            labels: { "app.kubernetes.io/part-of": "argocd" },
          });
        }
        if (store && a.localAdmin) {
          // Merged into the chart's argocd-secret: the hash never passes through Terraform (no bcrypt() re-salting each plan).
          new SyncedSecret(ctx.scope, "ArgoCdLocalAdmin", {
            store, namespace: ARGOCD_NAMESPACE, secretName: "argocd-secret", remoteKey: `${prefix}/${a.localAdmin.passwordHashPath}`, creationPolicy: "Merge",
          });
        }
        return new ArgoCdProjects(ctx.scope, "ArgoCdProjects", { argoCd, teams: teamProjects(ctx.config), rootApplication: rootApplicationOf(ctx.config), access: ctx.access });
      },
    },
    {
      layer: "observability-resources",
      build: (ctx, argoCd) =>
        new ArgoCdMonitoring(ctx.scope, "ArgoCdMonitoring", { argoCd, installedBy: ctx.require(kubePrometheusStackAddon), tiers: ctx.config.delivery.argocd.alerts, access: ctx.access }),
    },
  ],
};

/** The `ArgoCd` props of `delivery.argocd`. */
export function argoCdProps(config: EnvironmentConfig): Omit<ArgoCdProps, "cluster"> {
  const a = config.delivery.argocd;
  return {
    url: a.url,
    controller: a.controller,
    server: a.server,
    repoServer: a.repoServer,
    applicationSet: a.applicationSet,
    redis: a.redis,
    spreadAcrossZones: a.spreadAcrossZones,
    sso: a.sso ? { name: a.sso.name, issuer: a.sso.issuer, clientId: a.sso.clientId, adminGroups: a.sso.adminGroups } : undefined,
    localAdmin: a.localAdmin !== undefined,
  };
}

/** One project per configured team, with the repositories `delivery.argocd.projects.<team>` names (none if absent). */
export function teamProjects(config: EnvironmentConfig): TeamProjectInput[] {
  return config.security.namespaces.teams.map((t) => {
    const p = config.delivery.argocd.projects[t.name];
    return { team: t.name, namespaces: Object.keys(t.namespaces), sourceRepos: p?.sourceRepos ?? [], groups: p?.groups };
  });
}

function rootApplicationOf(config: EnvironmentConfig) {
  const r = config.delivery.argocd.rootApplication;
  return r ? { environment: config.name, repoURL: r.repoURL, path: r.path, targetRevision: r.targetRevision, automated: r.sync === "automated" } : undefined;
}

/** A project for a team the environment does not have is a typo: say so. */
function projectTeamProblems(config: EnvironmentConfig): ValidationProblem[] {
  const teams = config.security.namespaces.teams.map((t) => t.name);
  return Object.keys(config.delivery.argocd.projects)
    .filter((name) => !teams.includes(name))
    .map((name) => ({ path: `delivery.argocd.projects.${name}`, value: name, allowed: `a team of security.namespaces.teams: ${teams.join(", ") || "none"}` }));
}

/**
 * redis-ha puts each of its three Redis servers (and HAProxies) on its own node (hard anti-affinity) on the system
 * nodes: fewer than three system nodes leaves one Pending for good, and zone spread needs three zones.
 */
function redisHaNodeProblems(config: EnvironmentConfig): ValidationProblem[] {
  const a = config.delivery.argocd;
  if (!a.redis.ha) return [];
  const problems: ValidationProblem[] = [];
  const system = config.cluster.nodeGroups.filter((g) => g.labels[NODE_ROLE_LABEL] === NODE_ROLES.system);
  const min = system.reduce((n, g) => n + g.minSize, 0);
  if (min < 3) {
    problems.push({ path: "delivery.argocd.redis.ha", value: true, allowed: `false, or system node groups with at least 3 nodes between them (minSize adds up to ${min}): redis-ha keeps each of its 3 Redis servers on its own node` });
  }
  if (a.spreadAcrossZones && config.network.azCount < 3) {
    problems.push({ path: "delivery.argocd.redis.ha", value: true, allowed: `false, or network.azCount of at least 3 (it is ${config.network.azCount}): the Redis servers are spread one per zone` });
  }
  return problems;
}
