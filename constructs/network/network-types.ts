/**
 * What other constructs need to know about a VPC. `Network` implements it, and
 * `Network.fromNetworkAttributes()` builds one for a VPC that another stack or team owns.
 */
export interface INetwork {
  /** VPC id. */
  readonly vpcId: string;
  /** Primary IPv4 CIDR block of the VPC. */
  readonly vpcCidrBlock: string;
  /** Availability zone names, in the order the subnet lists follow. */
  readonly availabilityZones: string[];
  /** One public subnet per AZ (load balancers, NAT gateways). */
  readonly publicSubnetIds: string[];
  /** One private subnet per AZ with egress through NAT (nodes, pods, EFS mount targets). */
  readonly privateSubnetIds: string[];
  /** Subnets without any route to the internet (EKS control-plane ENIs, databases); may be empty. */
  readonly intraSubnetIds: string[];
}

/** Attributes of an existing VPC, for `Network.fromNetworkAttributes()`. */
export interface NetworkAttributes {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly availabilityZones: string[];
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  /** @default [] */
  readonly intraSubnetIds?: string[];
}
