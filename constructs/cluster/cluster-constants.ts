/**
 * Data tables of the cluster constructs: one place to change when EKS moves on.
 */

/**
 * Kubernetes minor versions clusters are built with: one list, shared with the configuration validation in
 * `lib/eks/versions.ts`. A version outside it is refused (CKV_AWS_339).
 */
export { SUPPORTED_KUBERNETES_VERSIONS } from "../../lib/eks/versions";
export type { KubernetesVersion } from "../../lib/eks/versions";

/** Every control-plane log type; all are always enabled (CKV_AWS_37). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * Retention periods CloudWatch Logs accepts that keep control-plane logs for at least one year (CKV_AWS_338).
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const CLUSTER_LOG_RETENTION_DAYS = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * AMI types a managed node group may use. Only Amazon Linux 2023 variants: their root volume is `/dev/xvda`,
 * which the launch template encrypts, and AL2 AMIs are not published for Kubernetes 1.33 and later.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
 */
export const NODE_AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "AL2023_x86_64_NEURON",
] as const;

/** An AMI type from {@link NODE_AMI_TYPES}. */
export type NodeAmiType = (typeof NODE_AMI_TYPES)[number];

/** Root device name of the Amazon Linux 2023 EKS AMIs. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

/** AWS-managed IAM policies, by name; the ARN is built with the partition at synth time. */
export const MANAGED_POLICIES = {
  cluster: "AmazonEKSClusterPolicy",
  workerNode: "AmazonEKSWorkerNodePolicy",
  registryPullOnly: "AmazonEC2ContainerRegistryPullOnly",
  ssmCore: "AmazonSSMManagedInstanceCore",
  cni: "AmazonEKS_CNI_Policy",
  ebsCsi: "service-role/AmazonEBSCSIDriverPolicy",
} as const;

/** EKS access policies by short name (cluster-admin for the deploy and break-glass roles only). */
export { EKS_ACCESS_POLICIES } from "../../lib/eks/access-policies";
