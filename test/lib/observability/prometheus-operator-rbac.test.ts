import { chartFullname, monitoringRbac } from "../../../lib/observability/prometheus-operator-rbac";

describe("the monitoring stack's RBAC", () => {
  test.each([
    ["kube-prometheus-stack", "kube-prometheus-stack"],
    ["monitoring", "monitoring-kube-prometheus"],
    ["my-kube-prometheus-stack-release-x", "my-kube-prometheus-stack-r"],
  ])("the chart names release %s's objects after %s", (release, fullname) => {
    expect(chartFullname(release)).toBe(fullname);
  });

  const rbac = monitoringRbac("kube-prometheus-stack");

  test("no cluster-wide role reads Secrets or ConfigMaps, nor any resource by wildcard in the core group", () => {
    for (const role of rbac.clusterRoles) {
      for (const rule of role.rules) {
        const core = (rule.apiGroups ?? []).some((g) => g === "" || g === "*");
        expect([role.name, rule.resources, core && (rule.resources ?? []).some((r) => ["secrets", "configmaps", "*"].includes(r))]).toEqual([role.name, rule.resources, false]);
      }
    }
  });

  test("the operator's Secret rights are a Role, bound to its service account", () => {
    const role = rbac.namespaceRoles.find((r) => r.serviceAccount === "kube-prometheus-stack-operator")!;
    expect(role.rules).toEqual([expect.objectContaining({ apiGroups: [""], resources: ["configmaps", "secrets"] })]);
  });

  test("the webhook jobs may patch the chart's own webhook configurations only", () => {
    const role = rbac.clusterRoles.find((r) => r.serviceAccount === "kube-prometheus-stack-admission")!;
    expect(role.rules.map((r) => r.resourceNames)).toEqual([["kube-prometheus-stack-admission"]]);
  });
});
