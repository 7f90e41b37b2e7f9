import { networkAllowProblems, NetworkAllowSchema, resolvePeer, type NetworkAllow } from "../../../lib/security/network-allow";

const allow: NetworkAllow = { name: "receivers", peer: { cidrs: ["0.0.0.0/0"] }, ports: [{ port: 443 }] };
const paths = (a: Partial<NetworkAllow>) => networkAllowProblems({ ...allow, ...a } as NetworkAllow).map((p) => p.path);
const subnets = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"] };

describe("one allow model for configuration and the NamespaceBaseline construct", () => {
  test("a valid allow of each peer kind has no problems and parses with the configuration schema", () => {
    for (const peer of [{ namespace: "monitoring", podLabels: { app: "x" } }, { namespace: "*" }, { cidrs: ["10.0.0.0/8"] }, { kubernetesApi: true as const }, { nodes: true as const }]) {
      const a = { ...allow, peer };
      expect(networkAllowProblems(a)).toEqual([]);
      expect(NetworkAllowSchema.safeParse(a).success).toBe(true);
    }
  });

  test.each<[string, Partial<NetworkAllow>, string]>([
    ["the name is not a name", { name: "To Slack" }, "name"],
    ["two peers are given", { peer: { namespace: "a", cidrs: ["10.0.0.0/8"] } }, "peer"],
    ["a symbolic and a CIDR peer are given", { peer: { kubernetesApi: true, cidrs: ["10.0.0.0/8"] } }, "peer"],
    ["no peer is given", { peer: {} }, "peer"],
    ["a peer namespace is not a namespace name", { peer: { namespace: "Kube_System" } }, "peer.namespace"],
    ["pod labels come without a namespace", { peer: { cidrs: ["10.0.0.0/8"], podLabels: { app: "x" } } }, "peer.podLabels"],
    ["the CIDR list is empty", { peer: { cidrs: [] } }, "peer.cidrs"],
    ["a CIDR is malformed", { peer: { cidrs: ["10.0.0.0/33"] } }, "peer.cidrs[0]"],
    ["a label key is malformed", { forPods: { "app name": "x" } }, "forPods.app name"],
    ["no port is opened", { ports: [] }, "ports"],
    ["a port is out of range", { ports: [{ port: 0 }] }, "ports[0].port"],
  ])("fails when %s, naming the field", (_what, a, path) => {
    expect(paths(a)).toContain(path);
  });

  test("kubernetesApi and nodes resolve to the subnets given; other peers stay as they are", () => {
    expect(resolvePeer({ kubernetesApi: true }, subnets)).toEqual({ cidrs: subnets.controlPlaneCidrs });
    expect(resolvePeer({ nodes: true }, subnets)).toEqual({ cidrs: subnets.nodeCidrs });
    expect(resolvePeer({ namespace: "*", podLabels: { app: "x" } }, subnets)).toEqual({ namespace: "*", podLabels: { app: "x" } });
    expect(() => resolvePeer({ nodes: true }, undefined)).toThrow(/needs the baseline's subnets/);
  });
});
