import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ICluster } from "../../cluster/cluster-types";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { HelmAddon, HelmChartDefaults } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { isPlainObject } from "../../common/deep-merge";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { validateWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { ISTIO_CHART_REPOSITORY, ISTIO_PORTS, ISTIO_RELEASES, ISTIO_VERSION } from "../../../lib/security/mesh";
import { ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE } from "../../../lib/security/namespaces";
import { gatewayValues, istioBaseValues, istioCniValues, istiodValues, IstioScaledSizes, IstioSizes } from "./istio-values";

function chart(chartName: string, releaseName: string, namespace: string, crds?: Readonly<Record<string, string>>): HelmChartDefaults {
  return { chart: chartName, repository: ISTIO_CHART_REPOSITORY, version: ISTIO_VERSION, namespace, releaseName, ...(crds ? { crds } : {}) };
}

/** The mesh CRDs the platform creates objects of; `base` installs them (with the others). */
const ISTIO_CRDS: Readonly<Record<string, string>> = {
  "security.istio.io/v1/PeerAuthentication": "security.istio.io/peerauthentication_v1.json",
  "security.istio.io/v1/AuthorizationPolicy": "security.istio.io/authorizationpolicy_v1.json",
  "networking.istio.io/v1/DestinationRule": "networking.istio.io/destinationrule_v1.json",
};

/**
 * Istio's four charts, one version. `base` installs the CRDs (so mesh policies live in a later stack), `istiod` the
 * control plane and injection webhook, `cni` the node agent that sets up each meshed pod's redirection, `gateway`
 * the ingress gateway apart from the control plane.
 * @see https://istio.io/latest/docs/setup/install/helm/
 */
export const ISTIO_DEFAULTS = {
  base: chart("base", ISTIO_RELEASES.base, ISTIO_SYSTEM_NAMESPACE, ISTIO_CRDS),
  istiod: chart("istiod", ISTIO_RELEASES.istiod, ISTIO_SYSTEM_NAMESPACE),
  cni: chart("cni", ISTIO_RELEASES.cni, ISTIO_SYSTEM_NAMESPACE),
  gateway: chart("gateway", ISTIO_RELEASES.gateway, ISTIO_INGRESS_NAMESPACE),
} as const satisfies Record<string, HelmChartDefaults>;

/** Size of istiod or the gateway. */
export interface IstioScaledOptions {
  /** Minimum replicas; two or more get a PodDisruptionBudget (minAvailable 1). @default 1 */
  readonly replicas?: number;
  /** The HPA's upper bound; equal to `replicas` turns autoscaling off. @default - `replicas` */
  readonly maxReplicas?: number;
  /** @default - istiod: 500m CPU and 2Gi requested, 2Gi limit; gateway: 100m and 128Mi requested, 1Gi limit */
  readonly resources?: ContainerResources;
}

/** Per-chart values deep-merged last, over the typed values. */
export interface IstioChartValues {
  /** @default - none */
  readonly base?: Record<string, unknown>;
  /** @default - none */
  readonly istiod?: Record<string, unknown>;
  /** @default - none */
  readonly cni?: Record<string, unknown>;
  /** @default - none */
  readonly gateway?: Record<string, unknown>;
}

/** Props of {@link IstioMesh}. */
export interface IstioMeshProps {
  /** The cluster; its security group gets the rules the control plane and the mesh need. */
  readonly cluster: ICluster;
  /** How Terraform reaches the cluster. @default - the stack's default Helm provider */
  readonly access?: IClusterAccess;
  /** @default - see {@link IstioScaledOptions} */
  readonly istiod?: IstioScaledOptions;
  /** @default - see {@link IstioScaledOptions} */
  readonly gateway?: IstioScaledOptions;
  /** The CNI node agent. @default { resources: { requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "256Mi" } } } */
  readonly cni?: { readonly resources?: ContainerResources };
  /** Spread replicated istiod and gateway pods across zones (`DoNotSchedule`). @default false */
  readonly spreadAcrossZones?: boolean;
  /** Put an internet-facing load balancer in front of the gateway instead of an internal one. @default false */
  readonly internetFacingIngress?: boolean;
  /**
   * Tags of the gateway's load balancer (the Service annotation `aws-load-balancer-additional-resource-tags`), e.g.
   * the cost-allocation tags: the load balancer is made by EKS's service controller, which the AWS provider's default
   * tags never reach. Keys and values without `,` or `=`.
   * @default - the service controller's own tags only
   */
  readonly loadBalancerTags?: Readonly<Record<string, string>>;
  /** Keep istiod and the gateway on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
  /** Let Helm create `istio-system` and `istio-ingress`. @default true */
  readonly createNamespaces?: boolean;
  /** What every release waits for (e.g. the namespaces). @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /** @default - none */
  readonly values?: IstioChartValues;
}

const DEFAULT_RESOURCES = {
  istiod: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
  gateway: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
  cni: { requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "256Mi" } },
} as const;

/**
 * Istio in sidecar mode with the CNI node agent: `base` (CRDs), `istiod` (HA from the sizes, injection only in
 * namespaces labelled for it), `cni` on every node, and the ingress gateway behind an internal NLB, plus the cluster
 * security-group rules the API server and the sidecars need to reach istiod. Mesh policies (`MeshPolicies`) belong to
 * a later stack: their CRDs come with `base`.
 */
export class IstioMesh extends Construct implements ITerraformDependable {
  public readonly base: HelmAddon;
  public readonly istiod: HelmAddon;
  public readonly cni: HelmAddon;
  public readonly gateway: HelmAddon;
  public readonly sizes: IstioSizes;
  /** Cluster security-group rules by purpose. */
  public readonly nodeRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;

  constructor(scope: Construct, id: string, props: IstioMeshProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    this.sizes = istioSizes(props);
    throwIfProblems(this.node.path, validateIstioMeshProps(props, this.sizes));

    const common = { cluster: props.cluster, access: props.access, createNamespace: props.createNamespaces ?? true };
    const after = props.dependsOn ?? [];
    const v = props.values ?? {};
    this.base = new HelmAddon(this, "Base", { ...common, defaults: ISTIO_DEFAULTS.base, chartValues: istioBaseValues(), values: v.base, dependsOn: after });
    // The node agent must run before any injected pod starts, or that pod comes up without its redirection.
    this.cni = new HelmAddon(this, "Cni", { ...common, defaults: ISTIO_DEFAULTS.cni, chartValues: istioCniValues(this.sizes), values: v.cni, dependsOn: [...after, this.base] });
    this.istiod = new HelmAddon(this, "Istiod", {
      ...common,
      defaults: ISTIO_DEFAULTS.istiod,
      chartValues: istiodValues(this.sizes),
      values: v.istiod,
      dependsOn: [...after, this.base, this.cni],
    });
    // The gateway's pods are injected by istiod (template `gateway`), so istiod's webhook must answer first.
    this.gateway = new HelmAddon(this, "Gateway", {
      ...common,
      defaults: ISTIO_DEFAULTS.gateway,
      chartValues: gatewayValues(this.sizes, ISTIO_RELEASES.gateway),
      values: v.gateway,
      dependsOn: [...after, this.istiod],
    });
    this.nodeRules = meshNodeRules(this, props.cluster.clusterSecurityGroupId);
  }

  /** The last release: what depends on the whole mesh waits for the gateway, which waits for the rest. */
  public get fqn(): string {
    return this.gateway.fqn;
  }
}

/**
 * Ingress rules on the cluster security group, which EKS puts on the control plane's network interfaces and the
 * platform puts on every node (managed node groups, Karpenter's EC2NodeClasses); pods share their node's group. The
 * source is that same group, never a CIDR. EKS's own self-referencing rule allows all of this today; these rules keep
 * the mesh working if that broad rule is ever narrowed, and say in the account which ports the mesh needs and why.
 */
function meshNodeRules(scope: Construct, clusterSecurityGroupId: string): Record<string, VpcSecurityGroupIngressRule> {
  const rule = (id: string, port: number, description: string) =>
    new VpcSecurityGroupIngressRule(scope, id, {
      securityGroupId: clusterSecurityGroupId,
      referencedSecurityGroupId: clusterSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  return {
    // The API server calls istiod's sidecar-injection and config-validation webhooks (Service 443 → 15017); without
    // it no meshed pod can be created (the injection webhook fails closed) and no Istio resource can be applied.
    IstiodWebhook: rule("IstiodWebhookFromControlPlane", ISTIO_PORTS.webhook, "Istio: API server to istiod webhooks (sidecar injection, validation)"),
    // Every sidecar and gateway fetches its configuration (xDS) and its workload certificate from istiod over mTLS.
    IstiodXds: rule("IstiodXdsFromNodes", ISTIO_PORTS.xds, "Istio: sidecars and gateways to istiod xDS and certificate signing (mTLS)"),
    // Prometheus (on a node) scrapes istiod's control-plane metrics.
    IstiodMetrics: rule("IstiodMetricsFromNodes", ISTIO_PORTS.istiodMetrics, "Istio: Prometheus to istiod metrics"),
    // Prometheus scrapes each sidecar's merged metrics on the agent port; the kubelet's rewritten probes are local.
    SidecarAgent: rule("SidecarAgentFromNodes", ISTIO_PORTS.agent, "Istio: Prometheus to sidecar merged metrics"),
  };
}

/** Checks {@link IstioMeshProps} and the sizes resolved from them, without building anything. */
/** The sizes in use: the props' with every default resolved. */
export function istioSizes(props: Omit<IstioMeshProps, "cluster">): IstioSizes {
  const placement = resolvePlacement(props.systemNodePlacement);
  const scaled = (o: IstioScaledOptions | undefined, resources: ContainerResources): IstioScaledSizes => ({
    replicas: o?.replicas ?? 1,
    maxReplicas: o?.maxReplicas ?? o?.replicas ?? 1,
    resources: o?.resources ?? resources,
  });
  return {
    istiod: scaled(props.istiod, DEFAULT_RESOURCES.istiod),
    gateway: scaled(props.gateway, DEFAULT_RESOURCES.gateway),
    cni: { resources: props.cni?.resources ?? DEFAULT_RESOURCES.cni },
    spreadAcrossZones: props.spreadAcrossZones ?? false,
    internetFacingIngress: props.internetFacingIngress ?? false,
    loadBalancerTags: props.loadBalancerTags ?? {},
    systemNodeLabels: placement.nodeLabels,
    systemTolerations: placement.tolerations,
  };
}

export function validateIstioMeshProps(props: Omit<IstioMeshProps, "cluster"> & Partial<Pick<IstioMeshProps, "cluster">>, sizes: IstioSizes = istioSizes(props)): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  problems.push(...validateWorkloadProfile("istiod", sizes.istiod, "istiod's pods"));
  problems.push(...validateWorkloadProfile("gateway", sizes.gateway, "the gateway's pods"));
  problems.push(...validateWorkloadProfile("cni", { resources: sizes.cni.resources }, "the CNI node agent"));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  for (const [key, value] of Object.entries(sizes.loadBalancerTags)) {
    if (key === "" || /[,=]/.test(key) || /[,=]/.test(value)) {
      problems.push({ path: `loadBalancerTags.${key}`, value, allowed: "a tag key and value without ',' or '=' (the annotation is key=value,key=value)" });
    }
  }
  for (const [name, values] of Object.entries(props.values ?? {})) {
    if (values !== undefined && !isPlainObject(values)) problems.push({ path: `values.${name}`, value: values, allowed: "a plain object of chart values" });
  }
  return problems;
}
