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

/** True when `name` is a supported interface endpoint service. */
export function isInterfaceEndpointService(name: string): name is InterfaceEndpointService {
  return (INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(name);
}

/**
 * The construct id of a service's endpoint: `ecr.api` → `EcrApiEndpoint`. Derived from the service name
 * alone, so adding or removing another endpoint never moves this one's Terraform address.
 */
export function interfaceEndpointId(service: InterfaceEndpointService): string {
  return `${service
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}Endpoint`;
}
