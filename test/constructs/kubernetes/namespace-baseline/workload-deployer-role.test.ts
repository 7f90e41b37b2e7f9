import { Testing, TerraformStack } from "cdktf";
import { ClusterAccess } from "../../../../constructs/cluster/cluster-access";
import { WorkloadDeployerRole } from "../../../../constructs/kubernetes/namespace-baseline/workload-deployer-role";
import { fakeCluster } from "../../../support/fakes";

type Rule = { api_groups: string[]; resources: string[]; verbs: string[] };

/** The ClusterRole's rules as synthesized, and an RBAC check of one request against them (no wildcards to expand). */
function synthRules(): Rule[] {
  const stack = new TerraformStack(Testing.app(), "test");
  const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster() });
  new WorkloadDeployerRole(stack, "Deployer", { access });
  const roles = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_cluster_role_v1) as Array<{ metadata: { name: string }; rule: Rule[] }>;
  expect(roles.map((r) => r.metadata.name)).toEqual(["sre-platform:workload-deployer"]);
  return roles[0]!.rule;
}
const rules = synthRules();
const allows = (group: string, resource: string, verb: string) => rules.some((r) => r.api_groups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

describe("WorkloadDeployerRole", () => {
  test("names no wildcard, so what it grants is exactly what it lists", () => {
    for (const r of rules) expect([...r.api_groups, ...r.resources, ...r.verbs]).not.toContain("*");
  });

  test.each([
    ["apps", "deployments", "create"],
    ["apps", "statefulsets", "patch"],
    ["", "services", "update"],
    ["", "configmaps", "create"],
    ["autoscaling", "horizontalpodautoscalers", "create"],
    ["policy", "poddisruptionbudgets", "delete"],
    ["batch", "jobs", "create"],
    ["batch", "cronjobs", "patch"],
    ["", "pods/log", "get"],
    ["", "pods", "delete"],
  ])("lets a team deploy: %s %s %s", (group, resource, verb) => {
    expect(allows(group, resource, verb)).toBe(true);
  });

  test.each([
    ["", "secrets", "get"],
    ["", "secrets", "list"],
    ["", "pods/exec", "create"],
    ["", "pods/attach", "create"],
    ["", "pods/portforward", "create"],
    ["", "serviceaccounts/token", "create"],
    ["", "pods", "create"],
    ["rbac.authorization.k8s.io", "rolebindings", "create"],
    ["rbac.authorization.k8s.io", "roles", "update"],
    ["networking.k8s.io", "networkpolicies", "delete"],
    ["", "resourcequotas", "update"],
    ["", "limitranges", "delete"],
    ["", "namespaces", "patch"],
  ])("does not let a team: %s %s %s", (group, resource, verb) => {
    expect(allows(group, resource, verb)).toBe(false);
  });
});
