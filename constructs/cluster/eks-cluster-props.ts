import { INetwork } from "../network/network-types";
import { isUnresolved, ValidationProblem } from "../common/validation";
import { AddonConfiguration, AddonVersionPolicy, AddonVersions, validateAddonSettings } from "./eks-managed-addons";
import { CLUSTER_LOG_RETENTION_DAYS, SUPPORTED_KUBERNETES_VERSIONS } from "./cluster-constants";
import { NodeGroupSpec, validateNodeGroupSpecs } from "./node-group";
import { EKS_CLUSTER_NAME as CLUSTER_NAME } from "../../lib/eks/cluster-name";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";

/** Props of {@link EksCluster}. */
export interface EksClusterProps {
  /** VPC of the cluster: control plane in its intra (else private) subnets, nodes in its private subnets. */
  readonly network: INetwork;
  /** Cluster name: 1–100 letters, digits, '-' and '_', starting with a letter or digit. */
  readonly clusterName: string;
  /**
   * Kubernetes minor version, one of {@link SUPPORTED_KUBERNETES_VERSIONS}. Required on purpose: a default
   * would upgrade every cluster the day this library raises it.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
   */
  readonly kubernetesVersion: string;
  /** Managed node groups; at least one, because CoreDNS and the CSI drivers need nodes. */
  readonly nodeGroups: readonly NodeGroupSpec[];
  /**
   * IPv4 CIDRs allowed to reach the public API endpoint. Giving any turns the public endpoint on for
   * exactly these networks; `0.0.0.0/0` and `::/0` are refused (CKV_AWS_38). The private endpoint stays on.
   * @default - none: the API endpoint is private only (CKV_AWS_39)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * IPv4 CIDRs inside or peered with the VPC allowed to reach the private API endpoint on port 443
   * (bastions, CI runners), through a security group of ours next to the one EKS manages.
   * @default - the VPC's CIDR block
   */
  readonly privateAccessCidrs?: readonly string[];
  /**
   * Retention of the control-plane log group in days; at least one year (CKV_AWS_338).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * IAM role ARNs given cluster-wide `AmazonEKSClusterAdminPolicy` through EKS access entries; at least
   * one. The creator of the cluster gets no implicit admin rights, so without a role here nobody, Terraform
   * included, could reach the Kubernetes API. Append new roles at the end: each entry's construct id is its
   * position.
   */
  readonly adminRoleArns: readonly string[];
  /**
   * EKS deletion protection: the cluster cannot be deleted until it is turned off.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Terraform `prevent_destroy` on the cluster, its KMS keys and its control-plane log group (the audit log).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Pinned versions of managed add-ons.
   * @default - none pinned: versions follow `addonVersionPolicy`
   */
  readonly addonVersions?: AddonVersions;
  /**
   * How versions of add-ons not pinned are chosen for the cluster's Kubernetes version.
   * @default "DEFAULT" - the version EKS marks as default
   */
  readonly addonVersionPolicy?: AddonVersionPolicy;
  /**
   * Configuration of managed add-ons, merged key by key over ours; e.g.
   * `{ vpcCni: { env: { ENABLE_PREFIX_DELEGATION: "true" } } }`. Setting `vpcCni.enableNetworkPolicy` to
   * `"false"` turns NetworkPolicy enforcement off, so default-deny policies would silently do nothing.
   * @default - ours only: `{ vpcCni: { enableNetworkPolicy: "true" } }`
   */
  readonly addonConfiguration?: AddonConfiguration;
  /**
   * Install the EFS CSI driver add-on (and its IRSA role).
   * @default true
   */
  readonly enableEfsCsiDriver?: boolean;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to the node role, for Session Manager shells instead of SSH.
   * @default false
   */
  readonly enableSsmOnNodes?: boolean;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why an IPv4 CIDR is not acceptable, or undefined when it is. */
function cidrProblem(cidr: string): string | undefined {
  if (cidr === "::/0" || cidr === "0.0.0.0/0" || /\/0$/.test(cidr)) return "anything but the whole internet (0.0.0.0/0, ::/0)";
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return "an IPv4 CIDR such as 203.0.113.0/24";
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return "an IPv4 CIDR such as 203.0.113.0/24";
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (address % 2 ** (32 - prefix) !== 0) return "a CIDR with its host bits zero, e.g. 203.0.113.0/24";
  return undefined;
}

function checkCidrs(path: string, cidrs: readonly string[] | undefined, problems: ValidationProblem[]): void {
  (cidrs ?? []).forEach((cidr, i) => {
    if (isUnresolved(cidr)) return;
    const allowed = cidrProblem(cidr);
    if (allowed) problems.push({ path: `${path}[${i}]`, value: cidr, allowed });
  });
}

/** True when a list is known at synth time (no token list, no token element). */
function isKnownList(list: readonly string[]): boolean {
  return !isUnresolved(list) && !list.some((s) => isUnresolved(s));
}

/** Checks {@link EksClusterProps} without building anything. */
export function validateEksClusterProps(props: EksClusterProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isUnresolved(props.clusterName) && !CLUSTER_NAME.test(props.clusterName)) {
    problems.push({ path: "clusterName", value: props.clusterName, allowed: "1–100 letters, digits, '-' and '_', starting with a letter or digit" });
  }
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(props.kubernetesVersion)) {
    problems.push({ path: "kubernetesVersion", value: props.kubernetesVersion, allowed: SUPPORTED_KUBERNETES_VERSIONS.join(", ") });
  }
  checkCidrs("publicAccessCidrs", props.publicAccessCidrs, problems);
  checkCidrs("privateAccessCidrs", props.privateAccessCidrs, problems);
  if (props.privateAccessCidrs !== undefined && props.privateAccessCidrs.length === 0) {
    problems.push({ path: "privateAccessCidrs", value: [], allowed: "at least one CIDR, or leave it out for the VPC's CIDR block" });
  }
  const retention = props.logRetentionDays;
  if (retention !== undefined && !(CLUSTER_LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    problems.push({ path: "logRetentionDays", value: retention, allowed: `one of ${CLUSTER_LOG_RETENTION_DAYS.join(", ")} (at least a year)` });
  }
  const seen = new Set<string>();
  if ((props.adminRoleArns ?? []).length === 0) {
    problems.push({
      path: "adminRoleArns",
      value: props.adminRoleArns,
      allowed: "at least one IAM role ARN: the cluster grants its creator nothing, so without one nobody (Terraform included) can reach the Kubernetes API",
    });
  }
  (props.adminRoleArns ?? []).forEach((arn, i) => {
    if (isUnresolved(arn)) return;
    if (!IAM_ROLE_ARN.test(arn)) {
      problems.push({ path: `adminRoleArns[${i}]`, value: arn, allowed: IAM_ROLE_ARN_RULE });
    } else if (seen.has(arn)) {
      problems.push({ path: `adminRoleArns[${i}]`, value: arn, allowed: "each role once" });
    }
    seen.add(arn);
  });
  const network = props.network;
  const controlPlane = network.intraSubnetIds.length > 0 ? network.intraSubnetIds : network.privateSubnetIds;
  if (isKnownList(controlPlane) && controlPlane.length < 2) {
    problems.push({
      path: network.intraSubnetIds.length > 0 ? "network.intraSubnetIds" : "network.privateSubnetIds",
      value: controlPlane,
      allowed: "subnets in at least two availability zones for the control plane",
    });
  }
  if (isKnownList(network.privateSubnetIds) && network.privateSubnetIds.length === 0 && props.nodeGroups.some((g) => g.subnetIds === undefined)) {
    problems.push({ path: "network.privateSubnetIds", value: [], allowed: "at least one private subnet for the nodes" });
  }
  // Node group names start with the cluster name; a cluster name already reported is not reported again.
  const clusterNameOk = isUnresolved(props.clusterName) || CLUSTER_NAME.test(props.clusterName);
  problems.push(...validateNodeGroupSpecs(props.nodeGroups, clusterNameOk ? props.clusterName : undefined));
  problems.push(...validateAddonSettings(props.addonVersions, props.addonVersionPolicy, props.addonConfiguration));
  return problems;
}
