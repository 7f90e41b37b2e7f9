import { networkAllowProblems, NetworkAllowSchema, resolvePeer, type NetworkAllow } from "../../../lib/security/network-allow";

const allow: NetworkAllow = { name: "receivers", peer: { cidrs: ["0.0.0.0/0"] }, ports: [{ port: 443 }] };
const paths = (a: Partial<NetworkAllow>) => networkAllowProblems({ ...allow, ...a } as NetworkAllow).map((p) => p.path);
const subnets = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"], vpcCidrs: ["10.0.0.0/16"], endpointCidrs: ["10.0.0.0/19", "10.0.32.0/19"] };

describe("one allow model for configuration and the NamespaceBaseline construct", () => {
  test("a valid allow of each peer kind has no problems and parses with the configuration schema", () => {
    for (const peer of [
      { namespace: "monitoring", podLabels: { app: "x" } }, { namespace: "*" }, { cidrs: ["10.0.0.0/8"] }, { cidrs: ["10.0.0.0/8", "192.168.0.0/16"], except: ["10.1.0.0/16", "192.168.1.0/24"] },
      { kubernetesApi: true as const }, { nodes: true as const }, { internet: true as const }, { vpcEndpoints: true as const },
    ]) {
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
    ["the internet and a CIDR are given", { peer: { internet: true, cidrs: ["10.0.0.0/8"] } }, "peer"],
    ["blocks are excepted without cidrs", { peer: { namespace: "a", except: ["10.0.0.0/8"] } }, "peer.except"],
    ["an excepted block is malformed", { peer: { cidrs: ["10.0.0.0/8"], except: ["10.1.0.0/33"] } }, "peer.except[0]"],
    ["an excepted block lies outside the cidrs", { peer: { cidrs: ["10.0.0.0/8"], except: ["172.16.0.0/12"] } }, "peer.except[0]"],
    ["an excepted block is the whole cidr", { peer: { cidrs: ["10.0.0.0/8"], except: ["10.0.0.0/8"] } }, "peer.except[0]"],
  ])("fails when %s, naming the field", (_what, a, path) => {
    expect(paths(a)).toContain(path);
  });

  test("an egress to 0.0.0.0/0 must leave out the instance metadata service; an ingress from it need not", () => {
    const open = { ...allow, peer: { cidrs: ["0.0.0.0/0"] } };
    expect(networkAllowProblems(open, undefined, "egress")).toEqual([{ path: "peer.cidrs", value: ["0.0.0.0/0"], allowed: expect.stringMatching(/instance metadata service.*use peer internet/) }]);
    expect(networkAllowProblems({ ...open, peer: { cidrs: ["0.0.0.0/0"], except: ["169.254.0.0/16"] } }, undefined, "egress")).toEqual([]);
    expect(networkAllowProblems(open, undefined, "ingress")).toEqual([]);
  });

  test("internet resolves to 0.0.0.0/0 without the VPC and link-local; vpcEndpoints to the endpoints' subnets, or nothing without endpoints", () => {
    expect(resolvePeer({ internet: true }, subnets)).toEqual({ cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/16", "169.254.0.0/16"] });
    expect(resolvePeer({ vpcEndpoints: true }, subnets)).toEqual({ cidrs: subnets.endpointCidrs });
    expect(resolvePeer({ vpcEndpoints: true }, { ...subnets, endpointCidrs: [] })).toBeUndefined();
    expect(() => resolvePeer({ internet: true }, { controlPlaneCidrs: [], nodeCidrs: [] })).toThrow(/subnets\.vpcCidrs/);
  });

  test("kubernetesApi and nodes resolve to the subnets given; other peers stay as they are", () => {
    expect(resolvePeer({ kubernetesApi: true }, subnets)).toEqual({ cidrs: subnets.controlPlaneCidrs });
    expect(resolvePeer({ nodes: true }, subnets)).toEqual({ cidrs: subnets.nodeCidrs });
    expect(resolvePeer({ namespace: "*", podLabels: { app: "x" } }, subnets)).toEqual({ namespace: "*", podLabels: { app: "x" } });
    expect(() => resolvePeer({ nodes: true }, undefined)).toThrow(/needs the baseline's subnets/);
  });
});
