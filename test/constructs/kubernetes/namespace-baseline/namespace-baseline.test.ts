import { Testing, TerraformStack } from "cdktf";
import { ClusterAccess } from "../../../../constructs/cluster/cluster-access";
import { NamespaceBaseline, NamespaceBaselineProps } from "../../../../constructs/kubernetes/namespace-baseline/namespace-baseline";
import type { NamespaceBaselineSpec } from "../../../../constructs/kubernetes/namespace-baseline/namespace-baseline-types";
import { fakeCluster } from "../../../support/fakes";

type Json = Record<string, any>;

function build(namespaces: NamespaceBaselineSpec[], extra: Partial<NamespaceBaselineProps> = {}): { tf: Json; baseline: NamespaceBaseline } {
  const stack = new TerraformStack(Testing.app(), "test");
  const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster() });
  const baseline = new NamespaceBaseline(stack, "Baseline", { access, kubernetesVersion: "1.34", namespaces, ...extra });
  return { tf: JSON.parse(Testing.synth(stack)), baseline };
}

const of = (tf: Json, type: string): Json[] => Object.values(tf.resource?.[type] ?? {});
const policies = (tf: Json, ns: string): Record<string, Json> =>
  Object.fromEntries(of(tf, "kubernetes_network_policy_v1").filter((p) => p.metadata.namespace.includes(`Baseline_${ns}_Namespace`)).map((p) => [p.metadata.name, p.spec]));
const namespace = (tf: Json, name: string): Json => of(tf, "kubernetes_namespace_v1").find((n) => n.metadata.name === name)!;
const addresses = (tf: Json): string[] => Object.entries(tf.resource).flatMap(([type, byId]) => Object.keys(byId as Json).map((id) => `${type}.${id}`)).sort();

const team: NamespaceBaselineSpec = { name: "payments", mesh: "sidecar", metricsPorts: [8080] };

describe("NamespaceBaseline", () => {
  test("a namespace is restricted in every Pod Security mode, pinned to the cluster's minor, and in the mesh by default", () => {
    const { tf } = build([{ name: "payments" }]);
    const labels = namespace(tf, "payments").metadata.labels;
    for (const mode of ["enforce", "audit", "warn"]) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe("v1.34");
    }
    expect(labels["istio-injection"]).toBe("enabled");
  });

  test("a weaker level is enforced only where the spec names it, still audited and warned at restricted, with its reason on the namespace", () => {
    const reason = "the CNI node agent writes the host's CNI configuration";
    const { tf } = build([{ name: "istio-system", mesh: "none", podSecurity: { level: "privileged", reason } }, { name: "payments" }]);
    const ns = namespace(tf, "istio-system").metadata;
    expect(ns.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(ns.labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
    expect(ns.labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(ns.labels["istio-injection"]).toBe("disabled");
    expect(ns.annotations).toEqual({ "sre-platform.io/pod-security-reason": reason });
    expect(namespace(tf, "payments").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("default-deny selects every pod and denies both directions; DNS is the one egress every namespace has", () => {
    const { tf } = build([{ name: "quiet", mesh: "none" }]);
    const p = policies(tf, "quiet");
    expect(Object.keys(p).sort()).toEqual(["allow-dns", "default-deny"]);
    expect(p["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    expect(p["allow-dns"]).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } }, pod_selector: { match_labels: { "k8s-app": "kube-dns" } } }],
          ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }],
        },
      ],
    });
  });

  test("a mesh namespace reaches istiod on 15012 and lets Prometheus scrape its metrics ports and the sidecar agent's", () => {
    const { tf } = build([team]);
    const p = policies(tf, "payments");
    expect(p["allow-istiod"]!.egress).toEqual([
      { to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "istio-system" } }, pod_selector: { match_labels: { app: "istiod" } } }], ports: [{ port: "15012", protocol: "TCP" }] },
    ]);
    const scrape = p["allow-prometheus-scrape"]!.ingress[0];
    expect(scrape.from).toEqual([{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } }, pod_selector: { match_labels: { "app.kubernetes.io/name": "prometheus" } } }]);
    expect(scrape.ports.map((x: Json) => x.port)).toEqual(["8080", "15020"]);
  });

  test("outside the mesh there is no istiod egress, and no scrape policy without metrics ports", () => {
    const { tf } = build([{ name: "quiet", mesh: "none" }, { name: "scraped", mesh: "none", metricsPorts: [9402] }]);
    expect(policies(tf, "quiet")["allow-istiod"]).toBeUndefined();
    expect(policies(tf, "quiet")["allow-prometheus-scrape"]).toBeUndefined();
    expect(policies(tf, "scraped")["allow-prometheus-scrape"]!.ingress[0].ports).toEqual([{ port: "9402", protocol: "TCP" }]);
  });

  test("each configured allow is a policy of its own, for the pods named, to or from one peer on its ports", () => {
    const { tf } = build([
      {
        name: "monitoring",
        mesh: "none",
        ingress: [{ name: "grafana", forPods: { app: "prometheus" }, peer: { namespace: "monitoring", podLabels: { app: "grafana" } }, ports: [{ port: 9090 }] }],
        egress: [{ name: "receivers", forPods: { app: "alertmanager" }, peer: { cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/16", "169.254.0.0/16"] }, ports: [{ port: 443 }] }, { name: "all", peer: { namespace: "*" }, ports: [{ port: 9100, protocol: "UDP" }] }],
      },
    ]);
    const p = policies(tf, "monitoring");
    expect(p["allow-from-grafana"]).toEqual({
      pod_selector: { match_labels: { app: "prometheus" } },
      policy_types: ["Ingress"],
      ingress: [{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } }, pod_selector: { match_labels: { app: "grafana" } } }], ports: [{ port: "9090", protocol: "TCP" }] }],
    });
    expect(p["allow-to-receivers"]).toEqual({
      pod_selector: { match_labels: { app: "alertmanager" } },
      policy_types: ["Egress"],
      egress: [{ to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.0.0.0/16", "169.254.0.0/16"] } }], ports: [{ port: "443", protocol: "TCP" }] }],
    });
    expect(p["allow-to-all"]!.egress[0].to).toEqual([{ namespace_selector: {} }]);
  });

  test("quota and container defaults come from the spec, or the documented defaults", () => {
    const quota = { requestsCpu: "2", requestsMemory: "3Gi", limitsMemory: "6Gi", pods: 12 };
    const containerDefaults = { requestCpu: "20m", requestMemory: "32Mi", limitMemory: "64Mi" };
    const gateway = { ...quota, servicesLoadBalancers: 1, servicesNodePorts: 3 };
    const { tf } = build([{ name: "sized", quota, containerDefaults }, { name: "plain" }, { name: "gateway", quota: gateway }]);
    // The sizing quota: the system-priority one is proved on its own.
    const byNamespace = (type: string, pick: (r: Json) => unknown) =>
      Object.fromEntries(of(tf, type).filter((r) => r.metadata.name !== "system-priority").map((r) => [r.metadata.namespace.match(/Baseline_(\w+)_Namespace/)[1], pick(r)]));
    // No load balancer and no node port unless the spec names them: a Service cannot open the nodes or an NLB.
    const closed = { "services.loadbalancers": "0", "services.nodeports": "0" };
    // No volume unless the spec names storage; EKS's gp2 class held at zero claims.
    const noStorage = { "requests.storage": "0", persistentvolumeclaims: "0", "gp2.storageclass.storage.k8s.io/persistentvolumeclaims": "0" };
    expect(byNamespace("kubernetes_resource_quota_v1", (q) => q.spec.hard)).toEqual({
      sized: { "requests.cpu": "2", "requests.memory": "3Gi", "limits.memory": "6Gi", pods: "12", ...closed, ...noStorage },
      plain: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.memory": "16Gi", pods: "50", ...closed, ...noStorage },
      gateway: { "requests.cpu": "2", "requests.memory": "3Gi", "limits.memory": "6Gi", pods: "12", "services.loadbalancers": "1", "services.nodeports": "3", ...noStorage },
    });
    expect(byNamespace("kubernetes_limit_range_v1", (l) => l.spec.limit)).toEqual({
      sized: [{ type: "Container", default_request: { cpu: "20m", memory: "32Mi" }, default: { memory: "64Mi" } }],
      plain: [{ type: "Container", default_request: { cpu: "100m", memory: "128Mi" }, default: { memory: "256Mi" } }],
      gateway: [{ type: "Container", default_request: { cpu: "100m", memory: "128Mi" }, default: { memory: "256Mi" } }],
    });
  });

  test("storage quota: the totals, and per StorageClass limits within them; gp2 stays at zero unless named", () => {
    const quota = { requestsCpu: "2", requestsMemory: "3Gi", limitsMemory: "6Gi", pods: 12, requestsStorage: "100Gi", persistentVolumeClaims: 6 };
    const { tf } = build([
      { name: "stateful", quota: { ...quota, storageClasses: { "efs-sc": { persistentVolumeClaims: 2 }, gp3: { requestsStorage: "80Gi" } } } },
      { name: "legacy", quota: { ...quota, storageClasses: { gp2: { persistentVolumeClaims: 1, requestsStorage: "10Gi" } } } },
    ]);
    const hard = Object.fromEntries(
      of(tf, "kubernetes_resource_quota_v1").filter((r) => r.metadata.name !== "system-priority").map((r) => [r.metadata.namespace.match(/Baseline_(\w+)_Namespace/)[1], r.spec.hard]),
    );
    const storageOf = (h: Json) => Object.fromEntries(Object.entries(h).filter(([k]) => k.includes("storage") || k === "persistentvolumeclaims"));
    expect(storageOf(hard.stateful)).toEqual({
      "requests.storage": "100Gi",
      persistentvolumeclaims: "6",
      "efs-sc.storageclass.storage.k8s.io/persistentvolumeclaims": "2",
      "gp2.storageclass.storage.k8s.io/persistentvolumeclaims": "0",
      "gp3.storageclass.storage.k8s.io/requests.storage": "80Gi",
    });
    expect(storageOf(hard.legacy)).toEqual({
      "requests.storage": "100Gi",
      persistentvolumeclaims: "6",
      "gp2.storageclass.storage.k8s.io/persistentvolumeclaims": "1",
      "gp2.storageclass.storage.k8s.io/requests.storage": "10Gi",
    });
  });

  test("a namespace allows zero pods with a system PriorityClass unless its spec allows them, whatever its quota opt-out", () => {
    const reason = { reason: "a reason that is long enough to be on record" };
    const { tf } = build([{ name: "team" }, { name: "unsized", optOut: { resourceQuota: reason } }, { name: "platform", allowSystemPriorityClasses: true }]);
    const scoped = of(tf, "kubernetes_resource_quota_v1").filter((r) => r.metadata.name === "system-priority");
    expect(scoped.map((r) => r.metadata.namespace.match(/Baseline_(\w+)_Namespace/)[1]).sort()).toEqual(["team", "unsized"]);
    for (const q of scoped) {
      expect(q.spec).toEqual({ hard: { pods: "0" }, scope_selector: { match_expression: [{ scope_name: "PriorityClass", operator: "In", values: ["system-node-critical", "system-cluster-critical"] }] } });
    }
  });

  test("deploy groups are bound to the workload-deployer ClusterRole in their namespace only", () => {
    const { tf } = build([{ ...team, deployGroups: ["sre-platform:team:payments:deploy"] }, { name: "other" }]);
    const bindings = of(tf, "kubernetes_role_binding_v1");
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.metadata.namespace).toMatch(/Baseline_payments_Namespace/);
    expect(bindings[0]!.role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "sre-platform:workload-deployer" });
    expect(bindings[0]!.subject).toEqual([{ api_group: "rbac.authorization.k8s.io", kind: "Group", name: "sre-platform:team:payments:deploy" }]);
    expect(of(tf, "kubernetes_cluster_role_binding_v1")).toEqual([]);
  });

  test("namespaces are exposed by name, so a release can depend on its namespace", () => {
    const { baseline } = build([team, { name: "falco", mesh: "none" }]);
    expect(Object.keys(baseline.namespaces).sort()).toEqual(["falco", "payments"]);
    expect(baseline.namespaces["falco"]!.namespace.node.path).toBe("test/Baseline/falco/Namespace");
    expect(baseline.namespaces["falco"]!.podSecurityLevel).toBe("restricted");
  });

  describe("each opt-out removes exactly its default", () => {
    const reason = { reason: "a reason that is long enough to be on record" };
    test.each([
      ["defaultDenyNetworkPolicies", /^kubernetes_network_policy_v1\.Baseline_payments_DefaultDeny_[0-9A-F]{8}$/],
      ["resourceQuota", /^kubernetes_resource_quota_v1\.Baseline_payments_Quota_[0-9A-F]{8}$/],
      ["limitRange", /^kubernetes_limit_range_v1\.Baseline_payments_LimitRange_[0-9A-F]{8}$/],
    ] as const)("%s", (flag, gone) => {
      const before = addresses(build([team]).tf);
      const after = addresses(build([{ ...team, optOut: { [flag]: reason } }]).tf);
      expect(after.filter((a) => !before.includes(a))).toEqual([]);
      expect(before.filter((a) => !after.includes(a))).toEqual([expect.stringMatching(gone)]);
    });
  });

  test("removing a namespace or an allow moves no other Terraform address", () => {
    const allow = (name: string) => ({ name, peer: { cidrs: ["10.0.0.0/8"] }, ports: [{ port: 443 }] });
    const three = [{ name: "a" }, { name: "b", egress: [allow("x"), allow("y"), allow("z")] }, { name: "c" }];
    const before = addresses(build(three).tf);
    const after = addresses(build([three[0]!, { name: "b", egress: [allow("x"), allow("z")] }]).tf);
    expect(after.filter((a) => !before.includes(a))).toEqual([]);
    const gone = before.filter((a) => !after.includes(a));
    expect(gone.every((a) => /_c_|_b_Egress-y_/.test(a))).toBe(true);
    expect(gone.some((a) => /_b_Egress-y_/.test(a))).toBe(true);
  });
});
