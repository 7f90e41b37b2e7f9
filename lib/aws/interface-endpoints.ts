/**
 * AWS services the `Network` can reach through interface endpoints (AWS PrivateLink) from its private
 * subnets, so nodes pull images, get credentials and ship logs without the traffic leaving AWS's network.
 * The names are the last part of the endpoint service name, `com.amazonaws.<region>.<name>`.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  "autoscaling",
  "ec2",
  "ec2messages",
  "ecr.api",
  "ecr.dkr",
  "eks",
  "eks-auth",
  "elasticfilesystem",
  "elasticloadbalancing",
  "kms",
  "logs",
  "monitoring",
  "secretsmanager",
  "sqs",
  "ssm",
  "ssmmessages",
  "sts",
  "xray",
] as const;

/** One of {@link INTERFACE_ENDPOINT_SERVICES}. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];


/**
 * Interface endpoints whose policy does not restrict the resource's account: ECR serves the EKS add-on and
 * pause images from AWS-owned registries, and STS assumes roles of other accounts by design. Their
 * policies still admit only principals of this account (or organisation).
 */
export const ENDPOINTS_REACHING_OTHER_ACCOUNTS: readonly InterfaceEndpointService[] = ["ecr.api", "ecr.dkr", "sts"];

/**
 * AWS-owned S3 buckets nodes read through the S3 gateway endpoint, by region: ECR image layers
 * (`prod-<region>-starport-layer-bucket`) and the Amazon Linux 2023 package repositories
 * (`al2023-repos-<region>-<suffix>`).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
 * @see https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html
 */
export function awsOwnedBucketsNodesRead(region: string, partition = "aws"): string[] {
  return [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`, `arn:${partition}:s3:::al2023-repos-${region}-*/*`];
}
