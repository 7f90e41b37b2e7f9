import type { NetworkPolicyV1Spec, NetworkPolicyV1SpecEgressTo, NetworkPolicyV1SpecIngressPorts } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { NAMESPACE_NAME_LABEL } from "../../../../lib/security/namespace-baseline";
import { cidrContains, isValidCidr } from "../../../../lib/net/cidr";
import type { NetworkAllow, NetworkPeer, PolicyPort } from "../namespace-baseline-types";

/** Every pod of the namespace. */
const ALL_PODS = {};

/** The `default-deny` policy: every pod, both directions, no rule, so only the explicit allows let traffic through. */
export function defaultDenySpec(): NetworkPolicyV1Spec {
  return { podSelector: ALL_PODS, policyTypes: ["Ingress", "Egress"] };
}

/** One `allow-<name>` policy: one direction, one peer, the named ports. */
export function allowSpec(direction: "ingress" | "egress", allow: NetworkAllow): NetworkPolicyV1Spec {
  const podSelector = allow.forPods ? { matchLabels: { ...allow.forPods } } : ALL_PODS;
  const peers = peerSelectors(allow.peer);
  const ports = allow.ports.map(portOf);
  return direction === "ingress"
    ? { podSelector, policyTypes: ["Ingress"], ingress: [{ from: peers, ports }] }
    : { podSelector, policyTypes: ["Egress"], egress: [{ to: peers, ports }] };
}

function portOf(p: PolicyPort): NetworkPolicyV1SpecIngressPorts {
  return { port: String(p.port), protocol: p.protocol ?? "TCP" };
}

/**
 * The peer as NetworkPolicy selectors: a namespace (by its name label) and its pods, any namespace, or CIDR blocks,
 * each with the excepted blocks that lie inside it (Kubernetes refuses an except outside its ipBlock's cidr).
 */
function peerSelectors(peer: NetworkPeer): NetworkPolicyV1SpecEgressTo[] {
  if (peer.cidrs !== undefined) {
    return peer.cidrs.map((cidr) => {
      const except = (peer.except ?? []).filter((e) => isValidCidr(cidr) && isValidCidr(e) && cidrContains(cidr, e) && e !== cidr);
      return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
    });
  }
  const namespaceSelector = peer.namespace === "*" ? {} : { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace ?? "" } };
  const podSelector = peer.podLabels ? { matchLabels: { ...peer.podLabels } } : undefined;
  return [{ namespaceSelector, ...(podSelector ? { podSelector } : {}) }];
}
