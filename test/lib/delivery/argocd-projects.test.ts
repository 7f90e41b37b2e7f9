import {
  deployableKinds, isGitRepositoryUrl, PLATFORM_OWNED_KINDS, rootAppProject, rootApplication, teamAppProject, ROLLOUTS_IGNORE_DIFFERENCES,
} from "../../../lib/delivery/argocd-projects";
import { WORKLOAD_DEPLOYER_RULES } from "../../../lib/security/namespace-baseline";
import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";

const kinds = (list: ReadonlyArray<{ group: string; kind: string }>) => list.map((k) => `${k.group}/${k.kind}`);

describe("the kinds a team's project may deploy", () => {
  test("are what the workload-deployer role may create, and nothing it may only read", () => {
    expect(kinds(deployableKinds())).toEqual([
      "/ConfigMap", "/PersistentVolumeClaim", "/Service", "/ServiceAccount",
      "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet",
      "autoscaling/HorizontalPodAutoscaler",
      "batch/CronJob", "batch/Job",
      "monitoring.coreos.com/PodMonitor", "monitoring.coreos.com/PrometheusRule", "monitoring.coreos.com/ServiceMonitor",
      "networking.k8s.io/Ingress",
      "policy/PodDisruptionBudget",
    ]);
  });

  test("follow the role: a rule added to it is deployable, a rule's unknown resource is an error", () => {
    const more = [...WORKLOAD_DEPLOYER_RULES, { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["create", "update"] }];
    expect(kinds(deployableKinds(more))).toContain("argoproj.io/Rollout");
    expect(() => deployableKinds([{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["create"] }])).toThrow(/no kind for resource "widgets" of API group "example.com"/);
  });

  test("never include RBAC, NetworkPolicy, ResourceQuota or LimitRange, which the blacklist names", () => {
    expect(kinds(PLATFORM_OWNED_KINDS)).toEqual(["rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding", "networking.k8s.io/NetworkPolicy", "/ResourceQuota", "/LimitRange"]);
    const allowed = new Set(kinds(deployableKinds()));
    expect(kinds(PLATFORM_OWNED_KINDS).filter((k) => allowed.has(k))).toEqual([]);
  });
});

describe("a team's AppProject", () => {
  const project = teamAppProject({ team: "payments", namespaces: ["payments", "payments-batch"], sourceRepos: ["https://github.com/example-org/payments-deploy.git"], groups: ["payments-team"] });

  test("deploys only to the team's namespaces on this cluster, nothing cluster-scoped, from its repositories", () => {
    expect(project.spec.destinations).toEqual([
      { server: "https://kubernetes.default.svc", namespace: "payments" },
      { server: "https://kubernetes.default.svc", namespace: "payments-batch" },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.sourceRepos).toEqual(["https://github.com/example-org/payments-deploy.git"]);
    expect(project.spec.roles[0].policies).toEqual([
      "p, proj:payments:deployer, applications, get, payments/*, allow",
      "p, proj:payments:deployer, applications, sync, payments/*, allow",
      "p, proj:payments:deployer, applications, action/*, payments/*, allow",
    ]);
  });

  test("is valid against the AppProject CRD of the pinned chart", () => {
    expect(crdSchemaProblems(project as any, "argoproj.io/appproject_v1alpha1.json")).toEqual([]);
    expect(crdSchemaProblems(rootAppProject("https://github.com/example-org/platform-gitops.git") as any, "argoproj.io/appproject_v1alpha1.json")).toEqual([]);
  });
});

describe("the root app-of-apps", () => {
  const input = { environment: "dev", repoURL: "https://github.com/example-org/platform-gitops.git", path: "environments/dev", targetRevision: "main" };

  test("automated: prunes and heals; manual: no automated block", () => {
    expect(rootApplication({ ...input, automated: true }).spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, syncOptions: ["RespectIgnoreDifferences=true"] });
    expect(rootApplication({ ...input, automated: false }).spec.syncPolicy).toEqual({ syncOptions: ["RespectIgnoreDifferences=true"] });
  });

  test("ignores the VirtualService weights Argo Rollouts moves, and is valid against the Application CRD", () => {
    const app = rootApplication({ ...input, automated: true });
    expect(app.spec.ignoreDifferences).toEqual(ROLLOUTS_IGNORE_DIFFERENCES);
    expect(app.spec.project).toBe("platform-root");
    expect(crdSchemaProblems(app as any, "argoproj.io/application_v1alpha1.json")).toEqual([]);
  });
});

test.each([
  ["https://github.com/example-org/payments-deploy.git", true],
  ["git@github.com:example-org/payments-deploy.git", true],
  ["ssh://git@github.com/example-org/payments-deploy", true],
  ["*", false],
  ["https://github.com/example-org/*", false],
  ["http://github.com/example-org/repo.git", false],
  ["github.com/example-org/repo", false],
])("%s is a named Git repository: %s", (url, ok) => {
  expect(isGitRepositoryUrl(url)).toBe(ok);
});
