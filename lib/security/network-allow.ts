import { z } from "zod";
import type { ValidationProblem } from "../problems";
import { isLabelValue, isQualifiedName, isDnsLabel } from "../kubernetes/names";
import { cidrContains, isValidCidr, parseCidr } from "../net/cidr";
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
 * with `podLabels`; CIDR blocks, optionally with blocks inside them excepted; `kubernetesApi` (the control plane's ENIs:
 * webhooks in, API calls out); `nodes` (the node subnets: host-network pods and the kubelet); `internet` (every address
 * outside the VPC and the link-local range: {@link INTERNET_EXCEPT}); or `vpcEndpoints` (the subnets of the VPC's
 * interface endpoints: STS, Secrets Manager, ECR… with private DNS). The last four are resolved by the baseline from the
 * subnets it is given.
 */
export interface NetworkPeer {
  /** @default - no namespace peer */
  readonly namespace?: string;
  /** @default - every pod of `namespace` */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default - no CIDR peer */
  readonly cidrs?: readonly string[];
  /**
   * Blocks inside `cidrs` the allow does not reach (the NetworkPolicy's `ipBlock.except`); each lies strictly inside one
   * of them.
   * @default - none
   */
  readonly except?: readonly string[];
  /** @default - not the control plane */
  readonly kubernetesApi?: true;
  /** @default - not the nodes */
  readonly nodes?: true;
  /**
   * The internet: `0.0.0.0/0` except the VPC (its pods, nodes and endpoints are reached by name, through allows of
   * their own) and `169.254.0.0/16` (the instance metadata service and the rest of link-local).
   * @default - not the internet
   */
  readonly internet?: true;
  /**
   * The VPC's interface endpoints (AWS PrivateLink), which AWS API calls from pods reach through private DNS; nothing
   * when the VPC has none (the calls then leave through NAT: an `internet` allow).
   * @default - not the endpoints
   */
  readonly vpcEndpoints?: true;
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
export const NETWORK_PEER_KINDS = ["namespace", "cidrs", "kubernetesApi", "nodes", "internet", "vpcEndpoints"] as const;

/** The peers the baseline resolves from its subnets. */
export const SYMBOLIC_PEER_KINDS = ["kubernetesApi", "nodes", "internet", "vpcEndpoints"] as const;

/** Link-local: the instance metadata service (169.254.169.254), the Amazon DNS and time servers' link-local addresses. */
export const LINK_LOCAL_CIDR = "169.254.0.0/16";

/** What an `internet` peer leaves out of `0.0.0.0/0` besides the VPC's own blocks. */
export const INTERNET_EXCEPT: readonly string[] = [LINK_LOCAL_CIDR];

const labels = z.record(z.string(), z.string());

/** The shape of a {@link NetworkAllow} in configuration; {@link networkAllowProblems} holds the rules. */
export const NetworkAllowSchema = z.strictObject({
  name: z.string(),
  forPods: labels.optional(),
  peer: z.strictObject({
    namespace: z.string().optional(),
    podLabels: labels.optional(),
    cidrs: z.array(z.string()).optional(),
    except: z.array(z.string()).optional(),
    kubernetesApi: z.literal(true).optional(),
    nodes: z.literal(true).optional(),
    internet: z.literal(true).optional(),
    vpcEndpoints: z.literal(true).optional(),
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
export function networkAllowProblems(allow: NetworkAllow, isUnknown: (v: unknown) => boolean = () => false, direction?: "ingress" | "egress"): ValidationProblem[] {
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
    if (!isUnknown(cidr) && !isValidCidr(cidr)) add(`peer.cidrs[${i}]`, cidr, "an IPv4 CIDR block such as 10.20.0.0/16 (peer internet for the internet)");
  });
  if (peer.except !== undefined && peer.cidrs === undefined) add("peer.except", peer.except, "blocks excepted only together with cidrs (they are left out of those)");
  const knownCidrs = (peer.cidrs ?? []).filter((c) => !isUnknown(c) && isValidCidr(c));
  (peer.except ?? []).forEach((block, i) => {
    if (isUnknown(block) || peer.cidrs === undefined) return;
    if (!isValidCidr(block)) add(`peer.except[${i}]`, block, "an IPv4 CIDR block such as 10.20.0.0/16");
    else if (knownCidrs.length === peer.cidrs.length && !knownCidrs.some((c) => strictlyInside(c, block))) {
      add(`peer.except[${i}]`, block, `a block strictly inside one of the peer's cidrs (${peer.cidrs.join(", ")}): Kubernetes refuses an except outside its ipBlock`);
    }
  });
  // An egress to the whole address space also reaches the instance metadata service and everything in the VPC.
  if (direction === "egress" && knownCidrs.some((c) => parseCidr(c).prefix === 0) && !(peer.except ?? []).some((e) => !isUnknown(e) && isValidCidr(e) && cidrContains(e, "169.254.169.254/32"))) {
    add("peer.cidrs", peer.cidrs, "no 0.0.0.0/0 egress that reaches the instance metadata service (169.254.169.254): use peer internet (0.0.0.0/0 except the VPC and 169.254.0.0/16), or except 169.254.0.0/16 and the VPC yourself");
  }
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

function strictlyInside(outer: string, inner: string): boolean {
  return cidrContains(outer, inner) && parseCidr(inner).prefix > parseCidr(outer).prefix;
}

/**
 * Where the symbolic peers point: the control plane's ENI subnets (`kubernetesApi`), the node subnets (`nodes`), the
 * VPC's blocks (left out of `internet`) and the subnets of its interface endpoints (`vpcEndpoints`).
 */
export interface PeerSubnets {
  readonly controlPlaneCidrs: readonly string[];
  readonly nodeCidrs: readonly string[];
  /** The VPC's CIDR blocks. @default - no `internet` peer (validation refuses one) */
  readonly vpcCidrs?: readonly string[];
  /**
   * The subnets the VPC's interface endpoints have their network interfaces in; empty when the VPC has none.
   * @default - no `vpcEndpoints` peer (validation refuses one)
   */
  readonly endpointCidrs?: readonly string[];
}

/** The subnets field each symbolic peer needs, for messages. */
export const SYMBOLIC_PEER_SUBNETS: Readonly<Record<(typeof SYMBOLIC_PEER_KINDS)[number], keyof PeerSubnets>> = {
  kubernetesApi: "controlPlaneCidrs",
  nodes: "nodeCidrs",
  internet: "vpcCidrs",
  vpcEndpoints: "endpointCidrs",
};

/**
 * The peer with the symbolic kinds resolved to CIDR blocks (and the internet's exceptions); other peers as they are.
 * `undefined` when the peer resolves to no address at all (`vpcEndpoints` of a VPC without interface endpoints): the
 * allow then has nothing to open, and an ipBlock list left empty would open everything.
 */
export function resolvePeer(peer: NetworkPeer, subnets: PeerSubnets | undefined): NetworkPeer | undefined {
  const kind = SYMBOLIC_PEER_KINDS.find((k) => peer[k] !== undefined);
  if (kind === undefined) return peer;
  const blocks = subnets?.[SYMBOLIC_PEER_SUBNETS[kind]];
  if (blocks === undefined) throw new Error(`a ${kind} peer needs the baseline's subnets.${SYMBOLIC_PEER_SUBNETS[kind]}`);
  if (kind === "internet") return { cidrs: ["0.0.0.0/0"], except: [...blocks, ...INTERNET_EXCEPT] };
  return blocks.length === 0 ? undefined : { cidrs: blocks };
}
