import { Construct } from "constructs";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isDnsLabel, isLabelValue, isQualifiedName } from "../../../lib/kubernetes/names";
import {
  KARPENTER_AMI_FAMILIES, KARPENTER_ARCHITECTURES, KARPENTER_CAPACITY_TYPES, KARPENTER_CONSOLIDATION_POLICIES,
  KarpenterAmiFamily, KarpenterArchitecture, KarpenterCapacityType, KarpenterConsolidationPolicy, karpenterDurationProblem,
  karpenterBudgetNodesProblem, INSTANCE_FAMILY, restrictedNodeLabelProblem,
} from "../../../lib/kubernetes/karpenter";
import { KMS_KEY_ARN } from "../../../lib/aws/arns";
import { newestReviewedAmiVersion } from "../../../lib/eks/ami-versions";

/** A taint of the pool's nodes. */
export interface KarpenterTaint {
  readonly key: string;
  /**
   * Value of the taint.
   * @default - none: the taint matches on its key and effect alone
   */
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** One disruption budget: at most `nodes` (a count or a percentage) disrupted at once, optionally in a cron window. */
export interface KarpenterDisruptionBudget {
  readonly nodes: string;
  /** Cron schedule when the budget applies (with `duration`). @default - always */
  readonly schedule?: string;
  /** How long after `schedule` the budget applies, e.g. `8h`. @default - always */
  readonly duration?: string;
}

/** How Karpenter may take nodes of the pool away. */
export interface KarpenterDisruption {
  /** @default "WhenEmptyOrUnderutilized" */
  readonly consolidationPolicy?: KarpenterConsolidationPolicy;
  /** How long a node must be consolidatable before Karpenter acts. @default "1m" */
  readonly consolidateAfter?: string;
  /** Nodes are replaced after this age, so they pick up new AMIs and never run unpatched for long. @default "720h" */
  readonly expireAfter?: string;
  /** @default [{ nodes: "10%" }] */
  readonly budgets?: readonly KarpenterDisruptionBudget[];
}

/** Props of {@link KarpenterNodePool}. */
export interface KarpenterNodePoolProps {
  /** The Karpenter add-on, whose chart installs the NodePool and EC2NodeClass CRDs (in an earlier stack). */
  readonly karpenter: ICrdInstaller;
  /** Name of the NodePool and its EC2NodeClass. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Cluster name: nodes launch only into subnets and security groups tagged `karpenter.sh/discovery: <name>`. */
  readonly clusterName: string;
  /** Name (not ARN) of the IAM role of the nodes; Karpenter makes an instance profile for it. */
  readonly nodeRoleName: string;
  /** Customer-managed KMS key ARN the root volumes are encrypted with. */
  readonly volumeKmsKeyArn: string;
  /** EC2 instance families, e.g. `["m7i", "m6i"]`. */
  readonly instanceFamilies: readonly string[];
  /** Upper bound of what the pool may launch in total. */
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  /** @default "AL2023" */
  readonly amiFamily?: KarpenterAmiFamily;
  /**
   * AMI version of the alias (`al2023@<version>`). `"latest"` is accepted, named: Karpenter then replaces every node
   * whenever AWS publishes an AMI.
   * @default - the newest release reviewed in `lib/eks/ami-versions.ts` for AL2023; `"latest"` for Bottlerocket, which has no reviewed release yet
   */
  readonly amiVersion?: string;
  /** @default ["spot", "on-demand"] (Karpenter prefers spot and falls back to on-demand) */
  readonly capacityTypes?: readonly KarpenterCapacityType[];
  /** @default ["amd64"] */
  readonly architectures?: readonly KarpenterArchitecture[];
  /** @default - consolidate when empty or underutilized after 1m, expire after 720h, 10% of nodes at a time */
  readonly disruption?: KarpenterDisruption;
  /** Root (AL2023) or data (Bottlerocket) volume size. @default 80 */
  readonly volumeSizeGiB?: number;
  /** Labels of the nodes. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints of the nodes. @default [] */
  readonly taints?: readonly KarpenterTaint[];
  /**
   * Tags of what Karpenter launches for the pool (instances, volumes, network interfaces, launch templates; the
   * EC2NodeClass's `spec.tags`), e.g. the cost-allocation tags, which the AWS provider's default tags never reach.
   * Karpenter's own tags (`karpenter.sh/*`, `kubernetes.io/cluster/*`) are refused by its CRD.
   * @default - Karpenter's own tags only
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/**
 * A Karpenter NodePool with its own EC2NodeClass (both named after the construct's pool name): launches only into
 * discovery-tagged subnets and security groups, IMDSv2 required with a hop limit of 1 (pods cannot reach the node's
 * credentials), encrypted gp3 volumes with the customer key, and a disruption budget.
 * @see https://karpenter.sh/docs/concepts/nodepools/
 * @see https://karpenter.sh/docs/concepts/nodeclasses/
 */
export class KarpenterNodePool extends Construct {
  public readonly poolName: string;
  public readonly nodeClass: CustomResource<IEC2NodeClass>;
  public readonly nodePool: CustomResource<INodePool>;
  public readonly amiFamily: KarpenterAmiFamily;
  /** The alias's version in use. */
  public readonly amiVersion: string;
  public readonly capacityTypes: readonly KarpenterCapacityType[];
  public readonly disruption: Required<KarpenterDisruption>;

  constructor(scope: Construct, id: string, props: KarpenterNodePoolProps) {
    super(scope, id);
    requireProps(this, props, { karpenter: "the Karpenter add-on whose chart installs the NodePool CRDs", clusterName: "the cluster name the discovery tags carry", nodeRoleName: "the name of the nodes' IAM role", volumeKmsKeyArn: "the KMS key ARN of the node volumes", instanceFamilies: "EC2 instance families, e.g. [\"m7i\"]", limits: "{ cpu, memoryGiB }: the most the pool may launch" });
    this.poolName = props.name ?? id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
    this.amiFamily = props.amiFamily ?? "AL2023";
    this.amiVersion = props.amiVersion ?? newestReviewedAmiVersion(this.amiFamily) ?? "latest";
    this.capacityTypes = props.capacityTypes ?? ["spot", "on-demand"];
    const d = props.disruption ?? {};
    this.disruption = {
      consolidationPolicy: d.consolidationPolicy ?? "WhenEmptyOrUnderutilized",
      consolidateAfter: d.consolidateAfter ?? "1m",
      expireAfter: d.expireAfter ?? "720h",
      budgets: d.budgets ?? [{ nodes: "10%" }],
    };
    throwIfProblems(this.node.path, validateKarpenterNodePoolProps({ ...props, poolName: this.poolName }));
    const common = { installedBy: props.karpenter, access: props.access };
    const discovery = [{ tags: { "karpenter.sh/discovery": props.clusterName } }];
    const volumeSize = `${props.volumeSizeGiB ?? 80}Gi`;
    const ebs = (size: string) => ({ volumeSize: size, volumeType: "gp3" as const, encrypted: true, kmsKeyID: props.volumeKmsKeyArn, deleteOnTermination: true });
    // Bottlerocket keeps its OS on a small read-only root and images and pods on a second, data volume.
    const blockDeviceMappings = this.amiFamily === "Bottlerocket"
      ? [{ deviceName: "/dev/xvda", ebs: ebs("4Gi") }, { deviceName: "/dev/xvdb", ebs: ebs(volumeSize) }]
      : [{ deviceName: "/dev/xvda", ebs: ebs(volumeSize), rootVolume: true }];

    this.nodeClass = new CustomResource<IEC2NodeClass>(this, "NodeClass", {
      ...common,
      manifest: {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: this.poolName },
        spec: {
          role: props.nodeRoleName,
          amiSelectorTerms: [{ alias: `${this.amiFamily === "AL2023" ? "al2023" : "bottlerocket"}@${this.amiVersion}` }],
          subnetSelectorTerms: discovery,
          securityGroupSelectorTerms: discovery,
          metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
          blockDeviceMappings,
          associatePublicIPAddress: false,
          detailedMonitoring: true,
          ...(props.tags && Object.keys(props.tags).length > 0 ? { tags: { ...props.tags } } : {}),
        },
      },
    });
    this.nodePool = new CustomResource<INodePool>(this, "NodePool", {
      ...common,
      manifest: {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: this.poolName },
        spec: {
          template: {
            metadata: { labels: { ...(props.labels ?? {}) } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: this.poolName },
              requirements: [
                { key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...props.instanceFamilies] },
                { key: "karpenter.sh/capacity-type", operator: "In", values: [...this.capacityTypes] },
                { key: "kubernetes.io/arch", operator: "In", values: [...(props.architectures ?? ["amd64"])] },
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
              ],
              taints: (props.taints ?? []).map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined ? { value: t.value } : {}) })),
              expireAfter: this.disruption.expireAfter,
            },
          },
          limits: { cpu: String(props.limits.cpu), memory: `${props.limits.memoryGiB}Gi` },
          disruption: {
            consolidationPolicy: this.disruption.consolidationPolicy,
            consolidateAfter: this.disruption.consolidateAfter,
            budgets: this.disruption.budgets.map((b) => ({ ...b })),
          },
        },
      },
      // A pool whose class is missing stays NotReady until it appears; applying the class first keeps it clean.
      dependsOn: [this.nodeClass],
    });
  }
}

/** Checks {@link KarpenterNodePoolProps} without building anything (the CRD schema checks the rest). */
export function validateKarpenterNodePoolProps(props: KarpenterNodePoolProps & { readonly poolName: string }): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!isDnsLabel(props.poolName)) add("name", props.poolName, "an RFC 1123 label (the NodePool's and EC2NodeClass's name; from the construct id when not given)");
  if (props.instanceFamilies.length === 0) add("instanceFamilies", [], "at least one EC2 instance family such as m7i");
  props.instanceFamilies.forEach((f, i) => {
    if (!INSTANCE_FAMILY.test(f)) add(`instanceFamilies[${i}]`, f, "an EC2 instance family such as m7i or c6gn");
  });
  if (props.amiFamily !== undefined && !KARPENTER_AMI_FAMILIES.includes(props.amiFamily)) add("amiFamily", props.amiFamily, KARPENTER_AMI_FAMILIES.join(", "));
  if (props.amiVersion !== undefined && !/^(latest|v\d{8}|\d+\.\d+\.\d+)$/.test(props.amiVersion)) {
    add("amiVersion", props.amiVersion, "latest, an AL2023 release such as v20250117, or a Bottlerocket version such as 1.30.0");
  }
  const capacity = props.capacityTypes ?? [];
  if (props.capacityTypes !== undefined && capacity.length === 0) add("capacityTypes", [], `at least one of ${KARPENTER_CAPACITY_TYPES.join(", ")}`);
  capacity.forEach((c, i) => {
    if (!KARPENTER_CAPACITY_TYPES.includes(c)) add(`capacityTypes[${i}]`, c, KARPENTER_CAPACITY_TYPES.join(", "));
  });
  (props.architectures ?? []).forEach((a, i) => {
    if (!KARPENTER_ARCHITECTURES.includes(a)) add(`architectures[${i}]`, a, KARPENTER_ARCHITECTURES.join(", "));
  });
  if (!Number.isInteger(props.limits.cpu) || props.limits.cpu < 1) add("limits.cpu", props.limits.cpu, "a whole number of vCPUs, at least 1");
  if (!Number.isInteger(props.limits.memoryGiB) || props.limits.memoryGiB < 1) add("limits.memoryGiB", props.limits.memoryGiB, "a whole number of GiB, at least 1");
  const v = props.volumeSizeGiB;
  if (v !== undefined && (!Number.isInteger(v) || v < 20 || v > 16384)) add("volumeSizeGiB", v, "a whole number of GiB from 20 to 16384");
  const d = props.disruption ?? {};
  if (d.consolidationPolicy !== undefined && !KARPENTER_CONSOLIDATION_POLICIES.includes(d.consolidationPolicy)) {
    add("disruption.consolidationPolicy", d.consolidationPolicy, KARPENTER_CONSOLIDATION_POLICIES.join(", "));
  }
  for (const field of ["consolidateAfter", "expireAfter"] as const) {
    const problem = d[field] === undefined ? undefined : karpenterDurationProblem(d[field]!);
    if (problem) add(`disruption.${field}`, d[field], problem);
  }
  (d.budgets ?? []).forEach((b, i) => {
    const problem = karpenterBudgetNodesProblem(b.nodes);
    if (problem) add(`disruption.budgets[${i}].nodes`, b.nodes, problem);
    if ((b.schedule === undefined) !== (b.duration === undefined)) add(`disruption.budgets[${i}].schedule`, b.schedule, "schedule and duration together, or neither");
  });
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    if (!isQualifiedName(key)) add(`labels.${key}`, key, "a Kubernetes label key");
    else if (!isLabelValue(value)) add(`labels.${key}`, value, "a Kubernetes label value");
    const restricted = restrictedNodeLabelProblem(key);
    if (restricted) add(`labels.${key}`, key, restricted);
  }
  if (!isUnresolved(props.volumeKmsKeyArn) && !KMS_KEY_ARN.test(props.volumeKmsKeyArn)) {
    add("volumeKmsKeyArn", props.volumeKmsKeyArn, "a KMS key ARN (EC2 needs the full key ARN)");
  }
  return problems;
}
