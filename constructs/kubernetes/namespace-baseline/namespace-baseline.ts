import { Construct } from "constructs";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../../common/validation";
import { MIN_REASON_LENGTH } from "../../../lib/config/security/opt-out";
import { EKS_GROUP_RULE, EKS_RESERVED_GROUP } from "../../../lib/eks/access-policies";
import { isDnsLabel } from "../../../lib/kubernetes/names";
import { isQuantity, QUANTITY_RULE } from "../../../lib/kubernetes/quantity";
import { networkAllowProblems, SYMBOLIC_PEER_KINDS, SYMBOLIC_PEER_SUBNETS, type PeerSubnets } from "../../../lib/security/network-allow";
import { cidrContains, isValidCidr, parseCidr } from "../../../lib/net/cidr";
import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../../lib/observability/monitoring-selection";
import { ISTIO_SYSTEM_NAMESPACE, MESH_MODES } from "../../../lib/security/namespaces";
import { ISTIOD_POD_LABELS, isPort, POD_SECURITY_EXCEPTIONS, PORT_RULE } from "../../../lib/security/namespace-baseline";
import { BaselinedNamespace } from "./baselined-namespace";
import type { NamespaceBaselineSpec, NetworkAllow, NetworkPeer } from "./namespace-baseline-types";


/** Quota fields that count objects (whole numbers, zero allowed) rather than quantities. */
const COUNT_FIELDS: ReadonlySet<string> = new Set(["servicesLoadBalancers", "servicesNodePorts", "persistentVolumeClaims"]);
/** Props of {@link NamespaceBaseline}. */
export interface NamespaceBaselineProps {
  /** How Terraform reaches the cluster: its Kubernetes provider creates every object. */
  readonly access: IClusterAccess;
  /** The cluster's Kubernetes minor (`1.34`): the Pod Security profile version every namespace pins. */
  readonly kubernetesVersion: string;
  /** The namespaces, each with its baseline; at least one. */
  readonly namespaces: readonly NamespaceBaselineSpec[];
  /**
   * The Prometheus pods admitted to every namespace's metrics ports.
   * @default - pods labelled `app.kubernetes.io/name=prometheus` in `monitoring`
   */
  readonly prometheus?: NetworkPeer;
  /**
   * istiod's pods, which a `sidecar` namespace's pods reach on 15012.
   * @default - pods labelled `app=istiod` in `istio-system`
   */
  readonly istiod?: NetworkPeer;
  /**
   * Labels on every object.
   * @default { "app.kubernetes.io/managed-by": "sre-platform" }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Where allows with a symbolic peer point: the control plane's ENI subnets (`kubernetesApi`), the node subnets
   * (`nodes`), the VPC's blocks (left out of `internet`) and the interface endpoints' subnets (`vpcEndpoints`).
   * @default - no such peer is allowed
   */
  readonly subnets?: PeerSubnets;
}

/**
 * The baseline every platform and team namespace gets: Pod Security Standards labels (`restricted` unless a spec
 * names a weaker level and why), the mesh label, a `default-deny` NetworkPolicy for ingress and egress with each
 * allow a named policy of its own (DNS, Prometheus scrapes, istiod, then the spec's), a ResourceQuota and a
 * LimitRange, and RoleBindings of team deployers to the workload-deployer ClusterRole. Only core kinds, so it
 * deploys in the same stack as the charts that need the namespaces. Namespaces are keyed by name:
 * `baseline.namespaces["falco"].namespace` is what a release depends on.
 */
export class NamespaceBaseline extends Construct {
  /** Each namespace's baseline, by namespace name. */
  public readonly namespaces: Readonly<Record<string, BaselinedNamespace>>;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    requireProps(this, props, {
      access: "an IClusterAccess (ClusterAccess) whose Kubernetes provider creates the namespaces",
      kubernetesVersion: "the cluster's Kubernetes minor, e.g. 1.34",
      namespaces: "the namespaces and their baselines",
    });
    throwIfProblems(this.node.path, validateNamespaceBaselineProps(props));
    const ctx = {
      provider: props.access.kubernetesProvider,
      kubernetesVersion: props.kubernetesVersion,
      prometheus: props.prometheus ?? { namespace: MONITORING_NAMESPACE, podLabels: PROMETHEUS_POD_LABELS },
      istiod: props.istiod ?? { namespace: ISTIO_SYSTEM_NAMESPACE, podLabels: ISTIOD_POD_LABELS },
      subnets: props.subnets,
      labels: props.labels ?? { "app.kubernetes.io/managed-by": "sre-platform" },
    };
    const namespaces: Record<string, BaselinedNamespace> = {};
    for (const spec of props.namespaces) namespaces[spec.name] = new BaselinedNamespace(this, spec.name, spec, ctx);
    this.namespaces = namespaces;
  }
}

/** Checks {@link NamespaceBaselineProps}; unresolved tokens pass. */
export function validateNamespaceBaselineProps(props: NamespaceBaselineProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!/^1\.\d{1,2}$/.test(props.kubernetesVersion)) add("kubernetesVersion", props.kubernetesVersion, "a Kubernetes minor such as 1.34");
  if (props.namespaces.length === 0) add("namespaces", [], "at least one namespace");
  const names = new Set<string>();
  props.namespaces.forEach((spec, i) => {
    const path = `namespaces[${i}]`;
    if (!isDnsLabel(spec.name)) add(`${path}.name`, spec.name, "a Kubernetes namespace name (RFC 1123 label)");
    else if (names.has(spec.name)) add(`${path}.name`, spec.name, "each namespace once");
    names.add(spec.name);
    if (spec.podSecurity !== undefined) {
      if (!(POD_SECURITY_EXCEPTIONS as readonly string[]).includes(spec.podSecurity.level)) {
        add(`${path}.podSecurity.level`, spec.podSecurity.level, `one of ${POD_SECURITY_EXCEPTIONS.join(", ")} (leave podSecurity out for restricted)`);
      }
      if ((spec.podSecurity.reason ?? "").trim().length < MIN_REASON_LENGTH) add(`${path}.podSecurity.reason`, spec.podSecurity.reason, `why the namespace needs a weaker level, in at least ${MIN_REASON_LENGTH} characters`);
    }
    if (spec.mesh !== undefined && !(MESH_MODES as readonly string[]).includes(spec.mesh)) add(`${path}.mesh`, spec.mesh, `one of ${MESH_MODES.join(", ")}`);
    (spec.metricsPorts ?? []).forEach((port, j) => {
      if (!isPort(port)) add(`${path}.metricsPorts[${j}]`, port, PORT_RULE);
    });
    for (const direction of ["ingress", "egress"] as const) {
      const allowNames = new Set<string>();
      (spec[direction] ?? []).forEach((allow, j) => {
        const allowPath = `${path}.${direction}[${j}]`;
        if (allowNames.has(allow.name)) add(`${allowPath}.name`, allow.name, `a name no other ${direction} allow of the namespace uses`);
        allowNames.add(allow.name);
        problems.push(...allowProblems(allowPath, allow, props.subnets, direction));
      });
    }
    for (const [field, values] of [["quota", spec.quota], ["containerDefaults", spec.containerDefaults]] as const) {
      for (const [key, value] of Object.entries(values ?? {})) {
        if (key === "pods") {
          if (!Number.isInteger(value) || (value as number) < 1) add(`${path}.quota.pods`, value, "a whole number, at least 1");
        } else if (COUNT_FIELDS.has(key)) {
          if (!Number.isInteger(value) || (value as number) < 0) add(`${path}.quota.${key}`, value, "a whole number, at least 0");
        } else if (key === "storageClasses") {
          for (const [name, c] of Object.entries((value ?? {}) as Record<string, { requestsStorage?: string; persistentVolumeClaims?: number }>)) {
            const classPath = `${path}.quota.storageClasses.${name}`;
            if (c.requestsStorage !== undefined && !isUnresolved(c.requestsStorage) && !isQuantity(c.requestsStorage)) add(`${classPath}.requestsStorage`, c.requestsStorage, QUANTITY_RULE);
            if (c.persistentVolumeClaims !== undefined && (!Number.isInteger(c.persistentVolumeClaims) || c.persistentVolumeClaims < 0)) add(`${classPath}.persistentVolumeClaims`, c.persistentVolumeClaims, "a whole number, at least 0");
          }
        } else if (!isUnresolved(value) && !isQuantity(String(value))) add(`${path}.${field}.${key}`, value, QUANTITY_RULE);
      }
    }
    for (const [flag, optOut] of Object.entries(spec.optOut ?? {})) {
      if (optOut !== undefined && (optOut.reason ?? "").trim().length < MIN_REASON_LENGTH) add(`${path}.optOut.${flag}.reason`, optOut.reason, `why the default is turned off, in at least ${MIN_REASON_LENGTH} characters`);
    }
    (spec.deployGroups ?? []).forEach((group, j) => {
      if (group.trim() === "" || EKS_RESERVED_GROUP.test(group)) {
        add(`${path}.deployGroups[${j}]`, group, EKS_GROUP_RULE);
      }
    });
  });
  return problems;
}

function allowProblems(path: string, allow: NetworkAllow, subnets: PeerSubnets | undefined, direction: "ingress" | "egress"): ValidationProblem[] {
  const problems = networkAllowProblems(allow, isUnresolved, direction).map((p) => ({ ...p, path: `${path}.${p.path}` }));
  for (const symbolic of SYMBOLIC_PEER_KINDS) {
    const field = SYMBOLIC_PEER_SUBNETS[symbolic];
    if (allow.peer?.[symbolic] !== undefined && subnets?.[field] === undefined) {
      problems.push({ path: `${path}.peer.${symbolic}`, value: true, allowed: `a namespace or CIDR peer, or the baseline's subnets with ${field} (props.subnets.${field}) to resolve it` });
    }
  }
  // An egress to the whole address space must leave the VPC out too: its pods and nodes are reached through allows of
  // their own, by namespace or as nodes.
  const vpc = (subnets?.vpcCidrs ?? []).filter((c) => !isUnresolved(c) && isValidCidr(c));
  const cidrs = (allow.peer?.cidrs ?? []).filter((c) => !isUnresolved(c) && isValidCidr(c));
  if (direction === "egress" && cidrs.some((c) => parseCidr(c).prefix === 0)) {
    const excepted = (allow.peer?.except ?? []).filter((e) => !isUnresolved(e) && isValidCidr(e));
    const open = vpc.filter((v) => !excepted.some((e) => cidrContains(e, v)));
    if (open.length > 0) problems.push({ path: `${path}.peer.except`, value: allow.peer?.except ?? [], allowed: `the VPC's blocks (${open.join(", ")}) excepted from 0.0.0.0/0, or peer internet` });
  }
  return problems;
}
