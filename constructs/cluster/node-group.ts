import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../common/validation";
import { NODE_AMI_TYPES, NodeAmiType, ROOT_DEVICE_NAME } from "./cluster-constants";
import { isLabelValue, isQualifiedName } from "../../lib/kubernetes/names";
import { MAX_NODE_GROUP_NAME_PREFIX_LENGTH, nodeGroupNamePrefix, nodeGroupNamePrefixProblem } from "../../lib/eks/node-group-names";

export { isQualifiedName } from "../../lib/kubernetes/names";
export { MAX_NODE_GROUP_NAME_PREFIX_LENGTH, nodeGroupNamePrefix } from "../../lib/eks/node-group-names";

/** Effect of a node taint, as the EKS API spells it. */
export type TaintEffect = "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";

/** A Kubernetes taint put on every node of a group. */
export interface NodeTaint {
  /** Taint key: a Kubernetes qualified name, e.g. `dedicated` or `example.com/gpu`. */
  readonly key: string;
  /**
   * Taint value (at most 63 characters).
   * @default - no value
   */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** One EKS managed node group. */
export interface NodeGroupSpec {
  /** Node group name, unique in the cluster: lowercase letters, digits and '-', starting with a letter. */
  readonly name: string;
  /** EC2 instance types, e.g. `["m7i.large", "m6i.large"]`; several types help Spot capacity. */
  readonly instanceTypes: readonly string[];
  /** Lowest number of nodes (≥ 0). */
  readonly minSize: number;
  /** Highest number of nodes (≥ 1). */
  readonly maxSize: number;
  /**
   * Nodes at creation; afterwards the cluster autoscaler owns it (Terraform ignores later changes).
   * @default - minSize
   */
  readonly desiredSize?: number;
  /** @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /**
   * Kubernetes labels put on every node.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Kubernetes taints put on every node.
   * @default - none
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Size of the encrypted gp3 root volume in GiB (20–16384).
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /** @default "AL2023_x86_64_STANDARD" */
  readonly amiType?: NodeAmiType;
  /**
   * Share of nodes replaced at once during an update (1–100).
   * @default 33
   */
  readonly maxUnavailablePercentage?: number;
  /**
   * Subnets of the nodes.
   * @default - the network's private subnets
   */
  readonly subnetIds?: readonly string[];
}

/** Props of {@link ManagedNodeGroup}; {@link EksCluster} fills them in. */
export interface ManagedNodeGroupProps {
  readonly spec: NodeGroupSpec;
  /** Name of the cluster; pass the cluster resource's `name` so the group waits for the cluster. */
  readonly clusterName: string;
  /** Kubernetes version of the nodes; pass the cluster resource's `version` so nodes follow upgrades. */
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  /** Security group EKS created for the cluster; nodes need it to reach the control plane. */
  readonly clusterSecurityGroupId: string;
  /** KMS key that encrypts the root volumes. */
  readonly volumeKmsKeyArn: string;
  /**
   * Start of the launch template's and node group's names, e.g. the cluster name: both become
   * `<namePrefix>-<spec.name>-` followed by a suffix Terraform generates.
   */
  readonly namePrefix: string;
  /**
   * Resources that must exist before nodes join (e.g. the VPC CNI add-on).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Tags of the instances, volumes and network interfaces the group launches (the launch template's tag
   * specifications), e.g. the cost-allocation tags: the AWS provider's default tags reach the template itself, never
   * what EC2 launches from it. `Name` is always set.
   * @default - `Name` only
   */
  readonly launchedResourceTags?: Readonly<Record<string, string>>;
}

/**
 * An EKS managed node group launched from its own launch template: IMDSv2 only with a hop limit of 1 (pods
 * cannot borrow the node's credentials; they use IRSA or Pod Identity), an encrypted gp3 root volume, no
 * public IP, no SSH key and no remote access (CKV_AWS_79, CKV_AWS_100).
 *
 * Changing the instance types, capacity type, AMI type or subnets replaces a managed node group. With a fixed
 * name Terraform would have to delete the old group first (the name is taken), leaving the cluster without
 * those nodes; so the group's name is generated from {@link nodeGroupNamePrefix} and the replacement is
 * created before the old group is drained and deleted.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 */
export class ManagedNodeGroup extends Construct {
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;
  public readonly name: string;
  /**
   * `<namePrefix>-<name>-`: Terraform appends 26 characters to make the node group's name, so the prefix is
   * at most {@link MAX_NODE_GROUP_NAME_PREFIX_LENGTH} characters.
   */
  public readonly nodeGroupNamePrefix: string;
  public readonly instanceTypes: readonly string[];
  public readonly minSize: number;
  public readonly maxSize: number;
  public readonly desiredSize: number;
  public readonly capacityType: "ON_DEMAND" | "SPOT";
  public readonly diskSizeGiB: number;
  public readonly amiType: NodeAmiType;
  public readonly maxUnavailablePercentage: number;
  public readonly labels: Readonly<Record<string, string>>;
  public readonly taints: readonly NodeTaint[];

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    requireProps(this, props, { spec: "the node group's NodeGroupSpec", clusterName: "the cluster's name", kubernetesVersion: "the cluster's Kubernetes version", nodeRoleArn: "the node IAM role ARN", subnetIds: "the node subnets", clusterSecurityGroupId: "the cluster security group id", volumeKmsKeyArn: "the KMS key ARN for EBS volumes", namePrefix: "the start of the node group's name" });
    const spec = props.spec;
    this.name = spec.name;
    this.nodeGroupNamePrefix = nodeGroupNamePrefix(props.namePrefix, spec.name);
    throwIfProblems(this.node.path, nodeGroupNamePrefixProblems("namePrefix", props.namePrefix, spec.name));
    this.instanceTypes = spec.instanceTypes;
    this.minSize = spec.minSize;
    this.maxSize = spec.maxSize;
    this.desiredSize = spec.desiredSize ?? spec.minSize;
    this.capacityType = spec.capacityType ?? "ON_DEMAND";
    this.diskSizeGiB = spec.diskSizeGiB ?? 50;
    this.amiType = spec.amiType ?? "AL2023_x86_64_STANDARD";
    this.maxUnavailablePercentage = spec.maxUnavailablePercentage ?? 33;
    this.labels = spec.labels ?? {};
    this.taints = spec.taints ?? [];

    const nameTag = { ...props.launchedResourceTags, Name: `${props.namePrefix}-${spec.name}` };
    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      namePrefix: this.nodeGroupNamePrefix,
      description: `Hardened nodes of node group ${spec.name}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE_NAME,
          ebs: {
            volumeType: "gp3",
            volumeSize: this.diskSizeGiB,
            encrypted: "true",
            kmsKeyId: props.volumeKmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      // A custom network interface must name its security groups, and EKS adds the cluster security group
      // only when the template names none, so it is named here explicitly.
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [props.clusterSecurityGroupId],
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: nameTag },
        { resourceType: "volume", tags: nameTag },
        { resourceType: "network-interface", tags: nameTag },
      ],
      // Changes are new versions of the same template (the node group rolls to `latest_version`); only a new
      // name prefix replaces it, and then the new template (its name is generated) must exist before the
      // node group moves off the old one. Terraform would also infer this from the node group below.
      lifecycle: { createBeforeDestroy: true },
    });

    this.nodeGroup = new EksNodeGroup(this, "NodeGroup", {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: this.nodeGroupNamePrefix,
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      amiType: this.amiType,
      capacityType: this.capacityType,
      instanceTypes: [...this.instanceTypes],
      labels: Object.keys(this.labels).length > 0 ? { ...this.labels } : undefined,
      taint: this.taints.length > 0 ? this.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
      scalingConfig: { minSize: this.minSize, maxSize: this.maxSize, desiredSize: this.desiredSize },
      updateConfig: { maxUnavailablePercentage: this.maxUnavailablePercentage },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      dependsOn: props.dependsOn,
      lifecycle: {
        // A replacement (new instance types, capacity type, AMI type, subnets) starts the new group before the
        // old one is drained and deleted, so the cluster never drops to zero nodes of this group.
        createBeforeDestroy: true,
        // The cluster autoscaler (or Karpenter) changes the desired size; Terraform must not reset it.
        ignoreChanges: ["scaling_config[0].desired_size"],
      },
    });
  }
}

const NODE_GROUP_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const REQUIRED_SPEC_FIELDS = {
  name: "the node group's name",
  instanceTypes: "a list of EC2 instance types, e.g. [\"m7i.large\"]",
  minSize: "the smallest number of nodes",
  maxSize: "the largest number of nodes",
} as const;

/**
 * The problem with a node group's generated name, if any: `<namePrefix>-<groupName>-` plus Terraform's
 * 26-character suffix must fit EKS's 63. Reported at `path`; skipped for unresolved tokens.
 */
export function nodeGroupNamePrefixProblems(path: string, namePrefix: string, groupName: string): ValidationProblem[] {
  if (isUnresolved(namePrefix) || isUnresolved(groupName)) return [];
  const allowed = nodeGroupNamePrefixProblem(namePrefix, groupName);
  return allowed === undefined ? [] : [{ path, value: groupName, allowed }];
}

/** PascalCase construct id of a node group, e.g. `general-purpose` → `NodeGroupGeneralPurpose`. */
export function nodeGroupConstructId(name: string): string {
  return "NodeGroup" + name.split("-").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

function isWholeNumber(n: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/**
 * Checks node group specs without building anything; paths start with `nodeGroups[i]`. With the cluster
 * name, also checks that each generated node group name fits EKS's 63 characters.
 */
export function validateNodeGroupSpecs(specs: readonly NodeGroupSpec[], clusterName?: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (specs.length === 0) {
    problems.push({ path: "nodeGroups", value: [], allowed: "at least one node group (CoreDNS and the CSI drivers need nodes)" });
  }
  const seenIds = new Map<string, string>();
  specs.forEach((spec, i) => {
    const at = `nodeGroups[${i}]`;
    const missing = (["name", "instanceTypes", "minSize", "maxSize"] as const).filter((k) => spec?.[k] === undefined || spec?.[k] === null);
    if (missing.length > 0) {
      // From JavaScript a field can be missing altogether: name it, and check nothing that would read it.
      problems.push(...missing.map((k) => ({ path: `${at}.${k}`, value: undefined, allowed: `${REQUIRED_SPEC_FIELDS[k]} (required)` })));
      return;
    }
    if (!NODE_GROUP_NAME.test(spec.name)) {
      problems.push({ path: `${at}.name`, value: spec.name, allowed: "1–63 lowercase letters, digits and '-', starting with a letter" });
    } else {
      if (clusterName !== undefined) problems.push(...nodeGroupNamePrefixProblems(`${at}.name`, clusterName, spec.name));
      const id = nodeGroupConstructId(spec.name);
      const other = seenIds.get(id);
      if (other !== undefined) {
        problems.push({ path: `${at}.name`, value: spec.name, allowed: `a name unique in the cluster (clashes with ${JSON.stringify(other)})` });
      } else {
        seenIds.set(id, spec.name);
      }
    }
    if (spec.instanceTypes.length === 0) {
      problems.push({ path: `${at}.instanceTypes`, value: spec.instanceTypes, allowed: "at least one EC2 instance type" });
    }
    spec.instanceTypes.forEach((t, j) => {
      if (!isUnresolved(t) && !INSTANCE_TYPE.test(t)) {
        problems.push({ path: `${at}.instanceTypes[${j}]`, value: t, allowed: "an EC2 instance type such as 'm7i.large'" });
      }
    });
    if (!isWholeNumber(spec.minSize, 0)) {
      problems.push({ path: `${at}.minSize`, value: spec.minSize, allowed: "a whole number ≥ 0" });
    }
    if (!isWholeNumber(spec.maxSize, 1)) {
      problems.push({ path: `${at}.maxSize`, value: spec.maxSize, allowed: "a whole number ≥ 1" });
    }
    if (spec.minSize > spec.maxSize) {
      problems.push({ path: `${at}.minSize`, value: spec.minSize, allowed: `at most maxSize (${spec.maxSize})` });
    }
    // Only a desiredSize the caller gave is checked: the default (minSize) is within range whenever minSize is.
    const desired = spec.desiredSize;
    if (desired !== undefined && (!Number.isInteger(desired) || desired < spec.minSize || desired > spec.maxSize)) {
      problems.push({ path: `${at}.desiredSize`, value: desired, allowed: `a whole number from minSize (${spec.minSize}) to maxSize (${spec.maxSize})` });
    }
    if (spec.diskSizeGiB !== undefined && !isWholeNumber(spec.diskSizeGiB, 20, 16384)) {
      problems.push({ path: `${at}.diskSizeGiB`, value: spec.diskSizeGiB, allowed: "a whole number of GiB from 20 to 16384" });
    }
    if (spec.amiType !== undefined && !(NODE_AMI_TYPES as readonly string[]).includes(spec.amiType)) {
      problems.push({ path: `${at}.amiType`, value: spec.amiType, allowed: NODE_AMI_TYPES.join(", ") });
    }
    if (spec.capacityType !== undefined && spec.capacityType !== "ON_DEMAND" && spec.capacityType !== "SPOT") {
      problems.push({ path: `${at}.capacityType`, value: spec.capacityType, allowed: "ON_DEMAND, SPOT" });
    }
    if (spec.maxUnavailablePercentage !== undefined && !isWholeNumber(spec.maxUnavailablePercentage, 1, 100)) {
      problems.push({ path: `${at}.maxUnavailablePercentage`, value: spec.maxUnavailablePercentage, allowed: "a whole number from 1 to 100" });
    }
    if (spec.subnetIds !== undefined && spec.subnetIds.length === 0) {
      problems.push({ path: `${at}.subnetIds`, value: [], allowed: "at least one subnet, or leave it out for the private subnets" });
    }
    for (const [key, value] of Object.entries(spec.labels ?? {})) {
      if (!isQualifiedName(key)) {
        problems.push({ path: `${at}.labels`, value: key, allowed: "label keys that are Kubernetes qualified names ([prefix/]name, name ≤ 63 characters)" });
      }
      if (!isUnresolved(value) && !isLabelValue(value)) {
        problems.push({ path: `${at}.labels.${key}`, value, allowed: "a label value: ≤ 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric" });
      }
    }
    (spec.taints ?? []).forEach((taint, j) => {
      if (!isQualifiedName(taint.key)) {
        problems.push({ path: `${at}.taints[${j}].key`, value: taint.key, allowed: "a Kubernetes qualified name ([prefix/]name, name ≤ 63 characters)" });
      }
      if (taint.value !== undefined && !isLabelValue(taint.value)) {
        problems.push({ path: `${at}.taints[${j}].value`, value: taint.value, allowed: "≤ 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric" });
      }
      if (!["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"].includes(taint.effect)) {
        problems.push({ path: `${at}.taints[${j}].effect`, value: taint.effect, allowed: "NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE" });
      }
    });
  });
  return problems;
}
