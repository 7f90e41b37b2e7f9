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

