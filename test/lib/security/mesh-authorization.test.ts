import { namespaceAllowPolicies } from "../../../lib/security/mesh-authorization";
import type { NetworkAllow } from "../../../lib/security/network-allow";

const specOf = (allow: NetworkAllow) => namespaceAllowPolicies("payments", [allow]).map((p) => p.spec);

describe("the mesh side of a namespace's ingress allows", () => {
  test("a namespace peer: an ALLOW named after the allow, from that namespace's identities, on its ports", () => {
    expect(namespaceAllowPolicies("payments", [{ name: "same-namespace", peer: { namespace: "payments" }, ports: [{ port: 8080 }] }])).toEqual([
      {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name: "baseline-same-namespace", namespace: "payments" },
        spec: { action: "ALLOW", rules: [{ from: [{ source: { namespaces: ["payments"] } }], to: [{ operation: { ports: ["8080"] } }] }] },
      },
    ]);
  });

  test("every namespace (*): any authenticated principal, so callers without a sidecar stay refused", () => {
    expect(specOf({ name: "any", peer: { namespace: "*" }, ports: [{ port: 9000 }] })).toEqual([
      { action: "ALLOW", rules: [{ from: [{ source: { principals: ["*"] } }], to: [{ operation: { ports: ["9000"] } }] }] },
    ]);
  });

  test("forPods is the workload selector; peer pod labels widen to the peer namespace (the NetworkPolicy keeps them)", () => {
    expect(specOf({ name: "api", forPods: { app: "api" }, peer: { namespace: "web", podLabels: { app: "frontend" } }, ports: [{ port: 8443 }, { port: 8080, protocol: "TCP" }] })).toEqual([
      { selector: { matchLabels: { app: "api" } }, action: "ALLOW", rules: [{ from: [{ source: { namespaces: ["web"] } }], to: [{ operation: { ports: ["8443", "8080"] } }] }] },
    ]);
  });

  test.each<[string, NetworkAllow]>([
    ["CIDR blocks", { name: "lb", peer: { cidrs: ["0.0.0.0/0"] }, ports: [{ port: 443 }] }],
    ["the Kubernetes API", { name: "webhook", peer: { kubernetesApi: true }, ports: [{ port: 10250 }] }],
    ["the nodes", { name: "kubelet", peer: { nodes: true }, ports: [{ port: 10250 }] }],
    ["UDP only (sidecars carry TCP)", { name: "gossip", peer: { namespace: "payments" }, ports: [{ port: 9094, protocol: "UDP" }] }],
  ])("no policy for a peer of %s: it has no mesh identity, the NetworkPolicy alone governs it", (_, allow) => {
    expect(specOf(allow)).toEqual([]);
  });

  test("UDP ports of a mixed allow are left out of the policy", () => {
    expect(specOf({ name: "peers", peer: { namespace: "payments" }, ports: [{ port: 9094 }, { port: 9094, protocol: "UDP" }] })[0]).toEqual(
      expect.objectContaining({ rules: [{ from: [{ source: { namespaces: ["payments"] } }], to: [{ operation: { ports: ["9094"] } }] }] }),
    );
  });
});
