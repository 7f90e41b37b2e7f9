import { z } from "zod";
import type { ValidationProblem } from "../problems";
import { isLabelValue, isQualifiedName, isDnsLabel } from "../kubernetes/names";
import { isValidCidr } from "../net/cidr";
import { ALLOW_NAME, ALLOW_NAME_RULE, isPort, NETWORK_PROTOCOLS, PORT_RULE, type NetworkProtocol } from "./namespace-baseline";

/**
 * One explicit network allow of a namespace's baseline: the same model in an environment's configuration
 * (`security.namespaces.*.ingress|egress`) and in the `NamespaceBaseline` construct's props, checked by one function.
 */

/** A port an allow opens. */
export interface PolicyPort {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: NetworkProtocol;
}

/**
 * The other side of an allow, exactly one of: pods of a `namespace` (`"*"`: of every namespace), optionally only those
 * with `podLabels`; CIDR blocks; `kubernetesApi` (the control plane's ENIs: webhooks in, API calls out); or `nodes`
 * (the node subnets: host-network pods and the kubelet). The last two are resolved by the baseline from the subnets
 * it is given.
 */
export interface NetworkPeer {
  /** @default - no namespace peer */
  readonly namespace?: string;
  /** @default - every pod of `namespace` */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default - no CIDR peer */
  readonly cidrs?: readonly string[];
  /** @default - not the control plane */
  readonly kubernetesApi?: true;
  /** @default - not the nodes */
  readonly nodes?: true;
}

/** One explicit allow: a NetworkPolicy `allow-<name>` of its own, one direction, one peer. */
export interface NetworkAllow {
  /** Names the policy (`allow-<name>`): what the traffic is for, e.g. `alertmanager-receivers`. */
  readonly name: string;
  /** @default - every pod of the namespace */
  readonly forPods?: Readonly<Record<string, string>>;
  readonly peer: NetworkPeer;
  readonly ports: readonly PolicyPort[];
}

/** The peer kinds, in the order messages name them. */
export const NETWORK_PEER_KINDS = ["namespace", "cidrs", "kubernetesApi", "nodes"] as const;

const labels = z.record(z.string(), z.string());

/** The shape of a {@link NetworkAllow} in configuration; {@link networkAllowProblems} holds the rules. */
export const NetworkAllowSchema = z.strictObject({
  name: z.string(),
  forPods: labels.optional(),
  peer: z.strictObject({
    namespace: z.string().optional(),
    podLabels: labels.optional(),
    cidrs: z.array(z.string()).optional(),
    kubernetesApi: z.literal(true).optional(),
    nodes: z.literal(true).optional(),
  }),
  ports: z.array(z.strictObject({ port: z.number(), protocol: z.enum(NETWORK_PROTOCOLS).optional() })),
});
// The schema's output is the model: a compile error here means the two drifted apart.
const _fits: (x: z.output<typeof NetworkAllowSchema>) => NetworkAllow = (x) => x;
void _fits;

/**
 * The problems of one allow, paths relative to it (`peer.cidrs[0]`). Values Terraform resolves later (`isUnknown`,
 * e.g. cdktf tokens) are not judged.
 */
export function networkAllowProblems(allow: NetworkAllow, isUnknown: (v: unknown) => boolean = () => false): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!ALLOW_NAME.test(allow.name ?? "")) add("name", allow.name, ALLOW_NAME_RULE);
  const peer = allow.peer ?? {};
  const kinds = NETWORK_PEER_KINDS.filter((k) => peer[k] !== undefined);
  if (kinds.length !== 1) add("peer", kinds, `exactly one peer of ${NETWORK_PEER_KINDS.join(", ")}`);
  if (peer.namespace !== undefined && peer.namespace !== "*" && !isDnsLabel(peer.namespace)) add("peer.namespace", peer.namespace, "a namespace name, or * for every namespace");
  if (peer.podLabels !== undefined && peer.namespace === undefined) add("peer.podLabels", peer.podLabels, "pod labels only together with a namespace (they select pods there)");
  if (peer.cidrs !== undefined && peer.cidrs.length === 0) add("peer.cidrs", [], "at least one CIDR block");
  (peer.cidrs ?? []).forEach((cidr, i) => {
    if (!isUnknown(cidr) && !isValidCidr(cidr)) add(`peer.cidrs[${i}]`, cidr, "an IPv4 CIDR block such as 10.20.0.0/16 (0.0.0.0/0 for the internet)");
  });
  for (const [field, map] of [["forPods", allow.forPods], ["peer.podLabels", peer.podLabels]] as const) {
    for (const [key, value] of Object.entries(map ?? {})) {
      if (!isQualifiedName(key)) add(`${field}.${key}`, key, "a Kubernetes label key: [prefix/]name");
      else if (!isLabelValue(value)) add(`${field}.${key}`, value, "a Kubernetes label value");
    }
  }
  if ((allow.ports ?? []).length === 0) add("ports", allow.ports, "at least one port: an allow names the ports it opens");
  (allow.ports ?? []).forEach((p, i) => {
    if (!isPort(p.port)) add(`ports[${i}].port`, p.port, PORT_RULE);
    if (p.protocol !== undefined && !(NETWORK_PROTOCOLS as readonly string[]).includes(p.protocol)) add(`ports[${i}].protocol`, p.protocol, NETWORK_PROTOCOLS.join(" or "));
  });
  return problems;
}

/** Where `kubernetesApi` and `nodes` peers point: the control plane's ENI subnets and the node subnets. */
export interface PeerSubnets {
  readonly controlPlaneCidrs: readonly string[];
  readonly nodeCidrs: readonly string[];
}

/** The peer with `kubernetesApi` and `nodes` resolved to CIDR blocks; other peers as they are. */
export function resolvePeer(peer: NetworkPeer, subnets: PeerSubnets | undefined): NetworkPeer {
  if (peer.kubernetesApi || peer.nodes) {
    if (!subnets) throw new Error("a kubernetesApi or nodes peer needs the baseline's subnets");
    return { cidrs: peer.kubernetesApi ? subnets.controlPlaneCidrs : subnets.nodeCidrs };
  }
  return peer;
}
