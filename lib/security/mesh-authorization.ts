import type { NetworkAllow } from "./network-allow";

/**
 * The mesh side of a namespace's network allows. Under the mesh's allow-nothing AuthorizationPolicy a sidecar refuses
 * every request no ALLOW names, so an allow that only the NetworkPolicy carried would still be refused by the mesh
 * (and teams would turn their sidecars off to get through). Each ingress allow whose peer is a `namespace` becomes an
 * ALLOW policy of the same name in the namespace it opens:
 * - `peer.namespace` becomes `from.source.namespaces` (the peer's mesh identity carries its namespace); `"*"` becomes
 *   any authenticated principal (`principals: ["*"]`), so plain-text callers without a sidecar stay refused;
 * - `peer.podLabels` has no mesh counterpart (a mesh identity names a service account, not pod labels): the policy
 *   admits the whole peer namespace and the NetworkPolicy, which must also allow the packet, keeps it to those pods;
 * - `forPods` becomes the workload `selector`, the TCP ports `to.operation.ports` (sidecars only carry TCP, so a
 *   UDP-only allow gets no policy).
 * Peers with no mesh identity (`cidrs`, `kubernetesApi`, `nodes`) are left to the NetworkPolicy: a source IP is not an
 * identity the mesh can authenticate, and the mesh's own callers of that kind (the API server's webhook calls, the
 * gateway's load balancer) have explicit policies of their own.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export interface MeshAllowPolicy {
  readonly apiVersion: "security.istio.io/v1";
  readonly kind: "AuthorizationPolicy";
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: Record<string, unknown>;
}

/** Prefix of the derived policies' names, apart from the mesh's own `allow-*` and `*-webhook` policies. */
export const NAMESPACE_ALLOW_POLICY_PREFIX = "baseline-";

/** The ALLOW policies a namespace's ingress allows need in the mesh (see {@link MeshAllowPolicy}). */
export function namespaceAllowPolicies(namespace: string, ingress: readonly NetworkAllow[]): MeshAllowPolicy[] {
  return ingress.flatMap((allow): MeshAllowPolicy[] => {
    const peer = allow.peer.namespace;
    if (peer === undefined) return [];
    const ports = [...new Set(allow.ports.filter((p) => (p.protocol ?? "TCP") === "TCP").map((p) => String(p.port)))];
    if (ports.length === 0) return [];
    const source = peer === "*" ? { principals: ["*"] } : { namespaces: [peer] };
    return [
      {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name: `${NAMESPACE_ALLOW_POLICY_PREFIX}${allow.name}`, namespace },
        spec: {
          ...(allow.forPods && Object.keys(allow.forPods).length > 0 ? { selector: { matchLabels: { ...allow.forPods } } } : {}),
          action: "ALLOW",
          rules: [{ from: [{ source }], to: [{ operation: { ports } }] }],
        },
      },
    ];
  });
}
