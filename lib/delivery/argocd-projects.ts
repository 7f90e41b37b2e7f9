/**
 * Argo CD's objects as the platform builds them, framework-free: each team's AppProject (what it may deploy, where,
 * from which repositories), the environment's root app-of-apps Application, and the differences every Application of
 * the platform ignores. The kinds a team may deploy are derived from the workload-deployer role's rules, so a person
 * with the role and Argo CD acting for the team's project may do the same things, and the list has one home.
 */
import { WORKLOAD_DEPLOYER_RULES, type RbacRule } from "../security/namespace-baseline";

/** How the platform's add-ons are delivered (`delivery.mode`). */
export const DELIVERY_MODES = ["helm", "gitops"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** The namespace Argo CD runs in, and where its Applications, AppProjects and cluster Secrets live. */
export const ARGOCD_NAMESPACE = "argocd";

/** The API server as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

/** Git over HTTPS or SSH, one named repository: `https://host/path[.git]` or `git@host:path[.git]`, no wildcards. */
const GIT_URL = /^(https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~\/-]+|git@[A-Za-z0-9.-]+:[A-Za-z0-9._~\/-]+|ssh:\/\/git@[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~\/-]+)$/;
export const GIT_REPOSITORY_RULE = "a Git repository URL (https://host/org/repo[.git], git@host:org/repo[.git] or ssh://git@host/org/repo), without wildcards";

/** True for one named Git repository (never `*` or a pattern: a project's sources are listed, not matched). */
export function isGitRepositoryUrl(url: string): boolean {
  return GIT_URL.test(url) && !url.includes("*");
}

/** A kind in an AppProject's lists: `group` is `""` for the core API. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * The kind of each resource the deployer role's rules name (`<group>/<plural>`). A rule naming a resource missing here
 * is an error when the lists are derived, so a new rule cannot silently fall out of the projects.
 */
export const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  "/pods": "Pod",
  "/events": "Event",
  "/endpoints": "Endpoints",
  "/services": "Service",
  "/configmaps": "ConfigMap",
  "/serviceaccounts": "ServiceAccount",
  "/persistentvolumeclaims": "PersistentVolumeClaim",
  "apps/deployments": "Deployment",
  "apps/statefulsets": "StatefulSet",
  "apps/replicasets": "ReplicaSet",
  "batch/jobs": "Job",
  "batch/cronjobs": "CronJob",
  "autoscaling/horizontalpodautoscalers": "HorizontalPodAutoscaler",
  "policy/poddisruptionbudgets": "PodDisruptionBudget",
  "networking.k8s.io/ingresses": "Ingress",
  "discovery.k8s.io/endpointslices": "EndpointSlice",
  "monitoring.coreos.com/prometheusrules": "PrometheusRule",
  "monitoring.coreos.com/servicemonitors": "ServiceMonitor",
  "monitoring.coreos.com/podmonitors": "PodMonitor",
  "argoproj.io/rollouts": "Rollout",
  "argoproj.io/analysistemplates": "AnalysisTemplate",
  "networking.istio.io/virtualservices": "VirtualService",
  "networking.istio.io/destinationrules": "DestinationRule",
};

/**
 * The kinds a team's project may deploy: every resource the rules let the deployer `create` (subresources such as
 * `deployments/scale` are not kinds). Sorted by group and kind.
 */
export function deployableKinds(rules: readonly RbacRule[] = WORKLOAD_DEPLOYER_RULES): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const rule of rules.filter((r) => r.verbs.includes("create"))) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources.filter((r) => !r.includes("/"))) {
        const kind = RESOURCE_KINDS[`${group}/${resource}`];
        if (kind === undefined) throw new Error(`RESOURCE_KINDS has no kind for resource "${resource}" of API group "${group}": add it`);
        kinds.set(`${group}/${kind}`, { group, kind });
      }
    }
  }
  return [...kinds.values()].sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
}

/**
 * What no team project may deploy even where a whitelist entry would match: RBAC (a team granting itself rights), and
 * the namespace baseline's NetworkPolicies, ResourceQuotas and LimitRanges (the platform's, never a team's).
 */
export const PLATFORM_OWNED_KINDS: readonly GroupKind[] = [
  { group: "rbac.authorization.k8s.io", kind: "Role" },
  { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
  { group: "networking.k8s.io", kind: "NetworkPolicy" },
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
];

/**
 * The differences every Application the platform generates ignores: the weights of VirtualService routes, which Argo
 * Rollouts moves during a canary. Without it Argo CD would see drift on every step and, with self-heal, put the
 * weights back: the two controllers would fight over the traffic split. `RespectIgnoreDifferences` keeps a sync from
 * writing them back too.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/
 */
export const ROLLOUTS_IGNORE_DIFFERENCES: readonly IgnoreDifference[] = [
  { group: "networking.istio.io", kind: "VirtualService", jqPathExpressions: [".spec.http[].route[].weight"] },
];

/** One `spec.ignoreDifferences` entry. */
export interface IgnoreDifference {
  readonly group: string;
  readonly kind: string;
  readonly jqPathExpressions: readonly string[];
}

/** A team as the AppProject sees it. */
export interface TeamProjectInput {
  readonly team: string;
  /** The team's namespaces (its only destinations). */
  readonly namespaces: readonly string[];
  readonly sourceRepos: readonly string[];
  /** Groups that may sync and read the team's Applications. @default [] */
  readonly groups?: readonly string[];
}

/** The AppProject of a team: its repositories, its namespaces on this cluster, no cluster-scoped kind, the deployer's kinds. */
export function teamAppProject(input: TeamProjectInput, namespace: string = ARGOCD_NAMESPACE): Record<string, any> {
  const groups = input.groups ?? [];
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: input.team, namespace, labels: { "app.kubernetes.io/managed-by": "sre-platform", "sre-platform.io/team": input.team } },
    spec: {
      description: `Applications of team ${input.team}: its namespaces only, the kinds its deployer role may create`,
      sourceRepos: [...input.sourceRepos],
      destinations: input.namespaces.map((ns) => ({ server: IN_CLUSTER_SERVER, namespace: ns })),
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: deployableKinds().map((k) => ({ ...k })),
      namespaceResourceBlacklist: PLATFORM_OWNED_KINDS.map((k) => ({ ...k })),
      // Applications of the project live in Argo CD's namespace only.
      sourceNamespaces: [],
      ...(groups.length > 0
        ? {
            roles: [
              {
                name: "deployer",
                description: `team ${input.team}: read and sync its Applications`,
                policies: ["get", "sync", "action/*"].map((action) => `p, proj:${input.team}:deployer, applications, ${action}, ${input.team}/*, allow`),
                groups: [...groups],
              },
            ],
          }
        : {}),
    },
  };
}

/** The sync policy of an Application: automated with prune and self-heal, or manual. */
export function syncPolicy(automated: boolean, extraOptions: readonly string[] = []): Record<string, unknown> {
  const syncOptions = ["RespectIgnoreDifferences=true", ...extraOptions];
  return automated ? { automated: { prune: true, selfHeal: true }, syncOptions } : { syncOptions };
}

/** The project of the root Application: Applications and ApplicationSets in Argo CD's namespace, from the root repository. */
export const ROOT_PROJECT = "platform-root";

/**
 * The root's AppProject: it may create only Applications and ApplicationSets, only in Argo CD's namespace, only from the
 * root repository. The chart's `default` project allows everything and is used by nothing the platform makes.
 */
export function rootAppProject(repoURL: string, namespace: string = ARGOCD_NAMESPACE): Record<string, any> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: ROOT_PROJECT, namespace, labels: { "app.kubernetes.io/managed-by": "sre-platform" } },
    spec: {
      description: "The environment's root app-of-apps: Applications and ApplicationSets in Argo CD's namespace only",
      sourceRepos: [repoURL],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: "argoproj.io", kind: "Application" },
        { group: "argoproj.io", kind: "ApplicationSet" },
      ],
      sourceNamespaces: [],
    },
  };
}

/** The environment's root app-of-apps: the Applications in one directory of one repository, in Argo CD's own project. */
export interface RootApplicationInput {
  readonly environment: string;
  readonly repoURL: string;
  readonly path: string;
  readonly targetRevision: string;
  readonly automated: boolean;
}

/** The root Application of an environment (the Applications it holds live in Argo CD's namespace). */
export function rootApplication(input: RootApplicationInput, namespace: string = ARGOCD_NAMESPACE): Record<string, any> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: `${input.environment}-root`, namespace, labels: { "app.kubernetes.io/managed-by": "sre-platform" } },
    spec: {
      project: ROOT_PROJECT,
      source: { repoURL: input.repoURL, path: input.path, targetRevision: input.targetRevision, directory: { recurse: true } },
      destination: { server: IN_CLUSTER_SERVER, namespace },
      syncPolicy: syncPolicy(input.automated),
      ignoreDifferences: ROLLOUTS_IGNORE_DIFFERENCES.map((d) => ({ ...d, jqPathExpressions: [...d.jqPathExpressions] })),
    },
  };
}
