import type { KubernetesVersion } from "../../lib/eks/versions";
import { INetwork } from "../network/network-types";
import { isUnresolved, ValidationProblem } from "../common/validation";
import { AddonConfiguration, AddonVersionPolicy, AddonVersions, validateAddonSettings } from "./eks-managed-addons";
import { CLUSTER_LOG_RETENTION_DAYS, SUPPORTED_KUBERNETES_VERSIONS } from "./cluster-constants";
import { NodeGroupSpec, validateNodeGroupSpecs } from "./node-group";
import { EKS_CLUSTER_NAME as CLUSTER_NAME } from "../../lib/eks/cluster-name";
import { MIN_PUBLIC_ACCESS_PREFIX } from "../../lib/eks/public-access";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";
import { ClusterAccessEntry, validateAccessEntries } from "./cluster-access-entries";

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
  readonly kubernetesVersion: KubernetesVersion;
  /** Managed node groups; at least one, because CoreDNS and the CSI drivers need nodes. */
  readonly nodeGroups: readonly NodeGroupSpec[];
  /**
   * IPv4 CIDRs allowed to reach the public API endpoint. Giving any turns the public endpoint on for
   * exactly these networks; any network broader than a /16 is refused (CKV_AWS_38: `0.0.0.0/1` is as open as
   * `0.0.0.0/0`). The private endpoint stays on.
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
   * The role CI and Terraform deploy with: cluster-wide `AmazonEKSClusterAdminPolicy` (it installs CRDs,
   * cluster roles and webhooks). The creator of the cluster gets no implicit rights, so without it nobody,
   * Terraform included, could reach the Kubernetes API. People never use it: they get `accessEntries`.
   */
  readonly deployRoleArn: string;
  /**
   * An emergency role with cluster-wide `AmazonEKSClusterAdminPolicy`, for when the deploy path is broken.
   * @default - none
   */
  readonly breakGlassRoleArn?: string;
  /**
   * People's access: an EKS access policy for the whole cluster or for named namespaces. Each entry's
   * construct id is its role's name, so adding or removing one moves no other.
   * @default - none
   */
  readonly accessEntries?: readonly ClusterAccessEntry[];
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
  /**
   * Tags of the instances, volumes and network interfaces the node groups launch (their launch templates' tag
   * specifications), e.g. the cost-allocation tags, which the AWS provider's default tags do not reach.
   * @default - `Name` only
   */
  readonly launchedResourceTags?: Readonly<Record<string, string>>;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why an IPv4 CIDR is not acceptable, or undefined when it is. */
function cidrProblem(cidr: string, minPrefix = 1): string | undefined {
  if (cidr === "::/0" || cidr === "0.0.0.0/0" || /\/0$/.test(cidr)) return "anything but the whole internet (0.0.0.0/0, ::/0)";
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return "an IPv4 CIDR such as 203.0.113.0/24";
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return "an IPv4 CIDR such as 203.0.113.0/24";
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (address % 2 ** (32 - prefix) !== 0) return "a CIDR with its host bits zero, e.g. 203.0.113.0/24";
  if (prefix < minPrefix) return `a network of /${minPrefix} or smaller (a prefix of ${minPrefix} to 32): a broader public allow-list is the internet in all but name`;
  return undefined;
}

function checkCidrs(path: string, cidrs: readonly string[] | undefined, problems: ValidationProblem[], minPrefix?: number): void {
  const seen = new Set<string>();
  (cidrs ?? []).forEach((cidr, i) => {
    if (isUnresolved(cidr)) return;
    // Each CIDR keys its own security group rule, so a repeat would be a duplicate construct id.
    if (seen.has(cidr)) problems.push({ path: `${path}[${i}]`, value: cidr, allowed: "each CIDR once" });
    seen.add(cidr);
    const allowed = cidrProblem(cidr, minPrefix);
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
  checkCidrs("publicAccessCidrs", props.publicAccessCidrs, problems, MIN_PUBLIC_ACCESS_PREFIX);
  checkCidrs("privateAccessCidrs", props.privateAccessCidrs, problems);
  if (props.privateAccessCidrs !== undefined && props.privateAccessCidrs.length === 0) {
    problems.push({ path: "privateAccessCidrs", value: [], allowed: "at least one CIDR, or leave it out for the VPC's CIDR block" });
  }
  const retention = props.logRetentionDays;
  if (retention !== undefined && !(CLUSTER_LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    problems.push({ path: "logRetentionDays", value: retention, allowed: `one of ${CLUSTER_LOG_RETENTION_DAYS.join(", ")} (at least a year)` });
  }
  for (const [path, arn] of [["deployRoleArn", props.deployRoleArn], ["breakGlassRoleArn", props.breakGlassRoleArn]] as const) {
    if (arn === undefined || isUnresolved(arn)) {
      if (path === "deployRoleArn" && arn === undefined) {
        problems.push({ path, value: arn, allowed: "an IAM role ARN: the cluster grants its creator nothing, so without it nobody (Terraform included) can reach the Kubernetes API" });
      }
      continue;
    }
    if (!IAM_ROLE_ARN.test(arn)) problems.push({ path, value: arn, allowed: IAM_ROLE_ARN_RULE });
  }
  if (props.breakGlassRoleArn !== undefined && props.breakGlassRoleArn === props.deployRoleArn) {
    problems.push({ path: "breakGlassRoleArn", value: props.breakGlassRoleArn, allowed: "a role other than deployRoleArn" });
  }
  problems.push(...validateAccessEntries(props.accessEntries ?? [], [props.deployRoleArn, props.breakGlassRoleArn]));
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
