import { Testing, TerraformStack } from "cdktf";
import { ClusterAccess } from "../../../../constructs/cluster/cluster-access";
import { NamespaceBaseline, NamespaceBaselineProps, validateNamespaceBaselineProps } from "../../../../constructs/kubernetes/namespace-baseline/namespace-baseline";
import type { NamespaceBaselineSpec, NetworkAllow } from "../../../../constructs/kubernetes/namespace-baseline/namespace-baseline-types";
import { fakeCluster } from "../../../support/fakes";

const allow: NetworkAllow = { name: "receivers", peer: { cidrs: ["203.0.113.0/24"] }, ports: [{ port: 443 }] };
const valid: NamespaceBaselineSpec = { name: "payments", metricsPorts: [8080], egress: [allow] };
const props = (spec: Partial<NamespaceBaselineSpec>, extra: Partial<NamespaceBaselineProps> = {}) =>
  ({ kubernetesVersion: "1.34", namespaces: [{ ...valid, ...spec }], ...extra }) as NamespaceBaselineProps;
const withAllow = (a: Partial<NetworkAllow>) => props({ egress: [{ ...allow, ...a } as NetworkAllow] });

describe("validateNamespaceBaselineProps", () => {
  test("a valid baseline has no problems", () => {
    expect(validateNamespaceBaselineProps(props({}))).toEqual([]);
  });

  test.each<[string, NamespaceBaselineProps, string]>([
    ["the Kubernetes version is not a minor", props({}, { kubernetesVersion: "latest" }), "kubernetesVersion"],
    ["no namespace is given", { kubernetesVersion: "1.34", namespaces: [] } as unknown as NamespaceBaselineProps, "namespaces"],
    ["a name is not a namespace name", props({ name: "Payments" }), "namespaces[0].name"],
    ["a namespace is listed twice", { kubernetesVersion: "1.34", namespaces: [valid, valid] } as unknown as NamespaceBaselineProps, "namespaces[1].name"],
    ["a Pod Security exception names restricted or an unknown level", props({ podSecurity: { level: "restricted" as never, reason: "long enough reason for the test" } }), "namespaces[0].podSecurity.level"],
    ["a Pod Security exception has no real reason", props({ podSecurity: { level: "baseline", reason: "needs it" } }), "namespaces[0].podSecurity.reason"],
    ["the mesh mode is unknown", props({ mesh: "ambient" as never }), "namespaces[0].mesh"],
    ["a metrics port is out of range", props({ metricsPorts: [70000] }), "namespaces[0].metricsPorts[0]"],
    ["two allows of a direction share a name", props({ egress: [allow, allow] }), "namespaces[0].egress[1].name"],
    ["an allow's name is not a name", withAllow({ name: "To Slack" }), "namespaces[0].egress[0].name"],
    ["an allow has both a namespace and CIDRs", withAllow({ peer: { namespace: "a", cidrs: ["10.0.0.0/8"] } }), "namespaces[0].egress[0].peer"],
    ["an allow has no peer", withAllow({ peer: {} }), "namespaces[0].egress[0].peer"],
    ["a peer namespace is not a namespace name", withAllow({ peer: { namespace: "Kube_System" } }), "namespaces[0].egress[0].peer.namespace"],
    ["pod labels are given without a namespace", withAllow({ peer: { cidrs: ["10.0.0.0/8"], podLabels: { app: "x" } } }), "namespaces[0].egress[0].peer.podLabels"],
    ["the CIDR list is empty", withAllow({ peer: { cidrs: [] } }), "namespaces[0].egress[0].peer.cidrs"],
    ["a CIDR is malformed", withAllow({ peer: { cidrs: ["10.0.0.0/33"] } }), "namespaces[0].egress[0].peer.cidrs[0]"],
    ["a label is malformed", withAllow({ forPods: { "app name": "x" } }), "namespaces[0].egress[0].forPods.app name"],
    ["an allow opens no port", withAllow({ ports: [] }), "namespaces[0].egress[0].ports"],
    ["a port is out of range", withAllow({ ports: [{ port: 0 }] }), "namespaces[0].egress[0].ports[0].port"],
    ["a protocol is unknown", withAllow({ ports: [{ port: 53, protocol: "SCTP" as never }] }), "namespaces[0].egress[0].ports[0].protocol"],
    ["a quota is not a quantity", props({ quota: { requestsCpu: "two", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 5 } }), "namespaces[0].quota.requestsCpu"],
    ["a pod count is not a whole number", props({ quota: { requestsCpu: "2", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 0 } }), "namespaces[0].quota.pods"],
    ["a container default is not a quantity", props({ containerDefaults: { requestCpu: "1", requestMemory: "lots", limitMemory: "1Gi" } }), "namespaces[0].containerDefaults.requestMemory"],
    ["an opt-out has no real reason", props({ optOut: { resourceQuota: { reason: "no" } } }), "namespaces[0].optOut.resourceQuota.reason"],
    ["a deploy group is one EKS reserves", props({ deployGroups: ["system:masters"] }), "namespaces[0].deployGroups[0]"],
  ])("fails when %s", (_why, given, path) => {
    expect(validateNamespaceBaselineProps(given).map((p) => p.path)).toEqual([path]);
  });

  test("the constructor throws one error naming the construct path, the field, the value and what is allowed", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster() });
    expect(() => new NamespaceBaseline(stack, "Baseline", { ...props({ name: "Payments" }), access })).toThrow(
      /^test\/Baseline: namespaces\[0\]\.name: got "Payments"; allowed: a Kubernetes namespace name/,
    );
  });
});

describe("symbolic peers", () => {
  test("a kubernetesApi or nodes peer needs the baseline's subnets, and resolves to them", () => {
    const api = withAllow({ peer: { kubernetesApi: true } });
    expect(validateNamespaceBaselineProps(api).map((p) => p.path)).toEqual(["namespaces[0].egress[0].peer.kubernetesApi"]);
    const subnets = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"] };
    expect(validateNamespaceBaselineProps({ ...api, subnets })).toEqual([]);
    const stack = new TerraformStack(Testing.app(), "baseline");
    const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), region: "eu-west-1", roleArn: "arn:aws:iam::111111111111:role/deploy" });
    new NamespaceBaseline(stack, "Baseline", { ...api, subnets, access });
    const policies = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_network_policy_v1) as Array<Record<string, any>>;
    const egress = policies.find((p) => p.metadata.name === "allow-to-receivers")!;
    expect(egress.spec.egress[0].to).toEqual([{ ip_block: { cidr: "10.0.216.0/22" } }]);
  });

  const full = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"], vpcCidrs: ["10.0.0.0/16"], endpointCidrs: ["10.0.0.0/19"] };
  const synthesized = (p: Parameters<typeof validateNamespaceBaselineProps>[0]) => {
    const stack = new TerraformStack(Testing.app(), "baseline");
    const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), region: "eu-west-1", roleArn: "arn:aws:iam::111111111111:role/deploy" });
    new NamespaceBaseline(stack, "Baseline", { ...p, access });
    return Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_network_policy_v1) as Array<Record<string, any>>;
  };

  test("an internet peer needs the VPC's blocks and leaves them and link-local out of 0.0.0.0/0", () => {
    const internet = withAllow({ peer: { internet: true } });
    expect(validateNamespaceBaselineProps({ ...internet, subnets: { controlPlaneCidrs: [], nodeCidrs: [] } }).map((p) => p.path)).toEqual(["namespaces[0].egress[0].peer.internet"]);
    const egress = synthesized({ ...internet, subnets: full }).find((p) => p.metadata.name === "allow-to-receivers")!;
    expect(egress.spec.egress[0].to).toEqual([{ ip_block: { cidr: "0.0.0.0/0", except: ["10.0.0.0/16", "169.254.0.0/16"] } }]);
  });

  test("an egress to 0.0.0.0/0 written as cidrs must leave the VPC out too", () => {
    const open = withAllow({ peer: { cidrs: ["0.0.0.0/0"], except: ["169.254.0.0/16"] } });
    expect(validateNamespaceBaselineProps({ ...open, subnets: full })).toEqual([
      { path: "namespaces[0].egress[0].peer.except", value: ["169.254.0.0/16"], allowed: expect.stringMatching(/the VPC's blocks \(10\.0\.0\.0\/16\) excepted/) },
    ]);
    expect(validateNamespaceBaselineProps(withAllow({ peer: { cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/16", "169.254.0.0/16"] } }))).toEqual([]);
  });

  test("a vpcEndpoints peer opens the endpoints' subnets, and makes no policy where the VPC has no endpoints", () => {
    const endpoints = withAllow({ peer: { vpcEndpoints: true } });
    expect(synthesized({ ...endpoints, subnets: full }).find((p) => p.metadata.name === "allow-to-receivers")!.spec.egress[0].to).toEqual([{ ip_block: { cidr: "10.0.0.0/19" } }]);
    expect(synthesized({ ...endpoints, subnets: { ...full, endpointCidrs: [] } }).map((p) => p.metadata.name)).not.toContain("allow-to-receivers");
  });
});
