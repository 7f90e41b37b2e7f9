import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { SUBNET_PLAN_DEFAULTS, planSubnets, subnetPlanProblems } from "../../lib/net";
import { defaultUniqueName } from "../common/naming";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../common/validation";
import { InterfaceEndpointService, isInterfaceEndpointService, INTERFACE_ENDPOINT_SERVICES } from "./interface-endpoints";
import { ImportedNetwork } from "./imported-network";
import { addVpcEndpoints } from "./private/vpc-endpoints";
import { ORGANIZATION_ID } from "../../lib/aws/arns";
import { manageDefaultNetworkAcl } from "./private/default-network-acl";
import { INetwork, NetworkAttributes } from "./network-types";
import { retentionProblems, VpcFlowLog } from "./vpc-flow-log";
import { EKS_CLUSTER_NAME as CLUSTER_NAME, EKS_CLUSTER_NAME_RULE } from "../../lib/eks/cluster-name";

/** How many NAT gateways: one per AZ (an AZ outage cuts no other AZ off the internet) or one in total. */
export type NatGatewayMode = "single" | "per-az";

/** Props of {@link Network}. */
export interface NetworkProps {
  /** Primary IPv4 CIDR of the VPC, `/16` to `/28`; subnets are carved from it by `planSubnets()`. */
  readonly vpcCidr: string;
  /**
   * Availability zone names (e.g. `eu-west-1a`), one subnet per tier in each, 1 to 6 of them. Given
   * explicitly so the synth needs no AWS lookup and the subnet order never changes under a deployed VPC.
   */
  readonly availabilityZones: string[];
  /**
   * One NAT gateway per AZ, or a single one shared by all private subnets (cheaper, not AZ-independent).
   * @default "per-az"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Create subnets without any route to the internet (EKS control-plane ENIs, databases).
   * @default true
   */
  readonly intraSubnets?: boolean;
  /**
   * Subnet slots reserved per tier (`availabilityZones.length` to 6), so adding AZs later moves no subnet.
   * @default 6
   */
  readonly azSlots?: number;
  /**
   * Bits added to the VPC prefix for each public subnet.
   * @default 6 - `/22` in a `/16`
   */
  readonly publicNewBits?: number;
  /**
   * Bits added to the VPC prefix for each private subnet (the largest: pods take VPC addresses).
   * @default 3 - `/19` in a `/16`
   */
  readonly privateNewBits?: number;
  /**
   * Bits added to the VPC prefix for each intra subnet.
   * @default 6 - `/22` in a `/16`
   */
  readonly intraNewBits?: number;
  /**
   * EKS cluster that uses the subnets: tags them `kubernetes.io/cluster/<name>=shared` and the private
   * ones `karpenter.sh/discovery=<name>`.
   * @default - only the load-balancer role tags
   * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
   */
  readonly clusterName?: string;
  /**
   * Days the flow logs are kept; one of the periods CloudWatch Logs accepts.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * ARN of an existing KMS key for the flow log group (it must let CloudWatch Logs use it).
   * @default - a new customer-managed key with yearly rotation, alias `<name>/flow-logs`
   */
  readonly flowLogKmsKeyArn?: string;
  /**
   * Terraform `prevent_destroy` on the VPC, the flow log group and its KMS key (production turns it on).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * AWS services to reach through interface endpoints in the private subnets, with private DNS and a
   * security group that allows HTTPS from the VPC only.
   * @default - none (an S3 gateway endpoint is always created; it is free)
   */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /**
   * AWS Organizations id whose principals and resources the endpoint policies admit besides this account's.
   * @default - this account only (plus the AWS-owned buckets nodes read)
   */
  readonly organizationId?: string;
  /**
   * Prefix of the `Name` tags, of the flow log group name and of the flow-log key alias (`<name>/flow-logs`),
   * which must be unique in the account and region.
   * @default - the stack id and construct path, e.g. `team-a-Network`, so two stacks never share an alias
   */
  readonly name?: string;
}

/**
 * A VPC for an EKS platform, hardened by default: public, private and intra subnets in every AZ; public
 * subnets that never assign public IPs; NAT per AZ; the default security group stripped of all rules;
 * the default network ACL managed (no SSH or RDP from anywhere); flow logs of all traffic encrypted with a
 * customer-managed key; an S3 gateway endpoint and optional interface endpoints (443 from the VPC only),
 * whose policies keep traffic inside the account or organisation. Subnet CIDRs come from `planSubnets()`, the
 * same function configuration validation uses.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/subnets.html
 */
export class Network extends Construct implements INetwork {
  /** An {@link INetwork} for a VPC that another stack or team owns. */
  public static fromNetworkAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    return new ImportedNetwork(scope, id, attrs);
  }

  public readonly vpc: Vpc;
  public readonly vpcId: string;
  /** The canonical VPC CIDR (a literal, so consumers can check it at synth time). */
  public readonly vpcCidrBlock: string;
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly intraSubnetIds: string[];
  public readonly publicSubnetCidrs: string[];
  public readonly privateSubnetCidrs: string[];
  /** Empty when `intraSubnets` is false. */
  public readonly intraSubnetCidrs: string[];
  /** Resolved NAT mode. */
  public readonly natGateways: NatGatewayMode;
  public readonly natGatewayIds: string[];
  public readonly publicRouteTableId: string;
  /** One per AZ with `per-az` NAT, otherwise one. */
  public readonly privateRouteTableIds: string[];
  /** Undefined when `intraSubnets` is false. */
  public readonly intraRouteTableId?: string;
  public readonly intraSubnetsEnabled: boolean;
  public readonly flowLogRetentionDays: number;
  public readonly flowLog: VpcFlowLog;
  public readonly preventDestroy: boolean;
  /** Resolved interface endpoint services, in the order given. */
  public readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  /** The security group of the interface endpoints; undefined when there are none. */
  public readonly endpointSecurityGroupId?: string;
  /**
   * The subnets the interface endpoints have their network interfaces in (the private subnets), as planned CIDR blocks:
   * where pods' AWS API calls go through private DNS. Empty when there are no interface endpoints.
   */
  public readonly interfaceEndpointSubnetCidrs: readonly string[];
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    requireProps(this, props, { vpcCidr: "the VPC's IPv4 CIDR, /16 to /28, e.g. 10.0.0.0/16", availabilityZones: "the availability zone names, e.g. [\"eu-west-1a\", \"eu-west-1b\"]" });
    throwIfProblems(this.node.path, validateNetworkProps(props));
    this.name = props.name ?? defaultUniqueName(this, { maxLength: 63, allowed: /[a-zA-Z0-9_-]/ });
    this.natGateways = props.natGateways ?? "per-az";
    this.intraSubnetsEnabled = props.intraSubnets ?? SUBNET_PLAN_DEFAULTS.intraSubnets;
    this.flowLogRetentionDays = props.flowLogRetentionDays ?? 365;
    this.preventDestroy = props.preventDestroy ?? false;
    this.interfaceEndpoints = [...(props.interfaceEndpoints ?? [])];
    this.availabilityZones = [...props.availabilityZones];
    const plan = planSubnets({
      vpcCidr: props.vpcCidr,
      azCount: this.availabilityZones.length,
      azSlots: props.azSlots,
      publicNewBits: props.publicNewBits,
      privateNewBits: props.privateNewBits,
      intraNewBits: props.intraNewBits,
      intraSubnets: this.intraSubnetsEnabled,
    });
    this.publicSubnetCidrs = plan.public;
    this.privateSubnetCidrs = plan.private;
    // addVpcEndpoints places the interface endpoints in the private subnets.
    this.interfaceEndpointSubnetCidrs = this.interfaceEndpoints.length > 0 ? [...plan.private] : [];
    this.intraSubnetCidrs = plan.intra;

    const n = this.name;
    const clusterTags: Record<string, string> = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" } : {};

    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: props.vpcCidr.trim(),
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: n },
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.vpcId = this.vpc.id;
    this.vpcCidrBlock = props.vpcCidr.trim();

    // Adopting the default security group removes every rule from it, so nothing can use it by accident.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${n}-default-deny` },
    });

    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: n } });

    const publicSubnets = plan.public.map(
      (cidr, i) =>
        new Subnet(this, `PublicSubnet${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: this.availabilityZones[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${n}-public-${this.availabilityZones[i]}`, "kubernetes.io/role/elb": "1", ...clusterTags },
        }),
    );
    const privateSubnets = plan.private.map(
      (cidr, i) =>
        new Subnet(this, `PrivateSubnet${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: this.availabilityZones[i],
          tags: {
            Name: `${n}-private-${this.availabilityZones[i]}`,
            "kubernetes.io/role/internal-elb": "1",
            ...clusterTags,
            ...(props.clusterName ? { "karpenter.sh/discovery": props.clusterName } : {}),
          },
        }),
    );
    const intraSubnets = plan.intra.map(
      (cidr, i) =>
        new Subnet(this, `IntraSubnet${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: this.availabilityZones[i],
          tags: { Name: `${n}-intra-${this.availabilityZones[i]}` },
        }),
    );
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.intraSubnetIds = intraSubnets.map((s) => s.id);

    const publicTable = new RouteTable(this, "PublicRouteTable", { vpcId: this.vpc.id, tags: { Name: `${n}-public` } });
    new Route(this, "PublicInternetRoute", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `PublicRouteTableAssociation${i}`, { subnetId: s.id, routeTableId: publicTable.id }));
    this.publicRouteTableId = publicTable.id;

    // NAT i lives in public subnet i; with a single NAT, index 0 keeps its address when switching to per-az.
    const natCount = this.natGateways === "per-az" ? this.availabilityZones.length : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `NatEip${i}`, { domain: "vpc", tags: { Name: `${n}-nat-${this.availabilityZones[i]}` } });
      return new NatGateway(this, `NatGateway${i}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        tags: { Name: `${n}-${this.availabilityZones[i]}` },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((g) => g.id);

    const privateTables = nats.map((nat, i) => {
      const table = new RouteTable(this, `PrivateRouteTable${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: natCount > 1 ? `${n}-private-${this.availabilityZones[i]}` : `${n}-private` },
      });
      new Route(this, `PrivateNatRoute${i}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      return table;
    });
    privateSubnets.forEach(
      (s, i) => new RouteTableAssociation(this, `PrivateRouteTableAssociation${i}`, { subnetId: s.id, routeTableId: privateTables[natCount > 1 ? i : 0].id }),
    );
    this.privateRouteTableIds = privateTables.map((t) => t.id);

    const endpointTables = [...this.privateRouteTableIds];
    if (this.intraSubnetsEnabled) {
      // No routes at all: only the VPC-local route (and the S3 gateway endpoint's prefix list).
      const intraTable = new RouteTable(this, "IntraRouteTable", { vpcId: this.vpc.id, tags: { Name: `${n}-intra` } });
      intraSubnets.forEach((s, i) => new RouteTableAssociation(this, `IntraRouteTableAssociation${i}`, { subnetId: s.id, routeTableId: intraTable.id }));
      this.intraRouteTableId = intraTable.id;
      endpointTables.push(intraTable.id);
    }

    this.endpointSecurityGroupId = addVpcEndpoints(this, {
      name: n,
      vpcId: this.vpc.id,
      vpcCidrBlock: this.vpcCidrBlock,
      routeTableIds: endpointTables,
      // interfaceEndpointSubnetCidrs names these subnets: they move together.
      subnetIds: this.privateSubnetIds,
      interfaceEndpoints: this.interfaceEndpoints,
      organizationId: props.organizationId,
    });

    manageDefaultNetworkAcl(this, this.vpc, [...this.publicSubnetIds, ...this.privateSubnetIds, ...this.intraSubnetIds], n);

    this.flowLog = new VpcFlowLog(this, "FlowLog", {
      vpcId: this.vpc.id,
      retentionInDays: this.flowLogRetentionDays,
      kmsKeyArn: props.flowLogKmsKeyArn,
      keyAlias: `${n}/flow-logs`,
      logGroupNamePrefix: `/aws/vpc-flow-logs/${n}-`,
      preventDestroy: this.preventDestroy,
    });
  }
}

const AZ_NAME = /^[a-z]{2}(-[a-z0-9]+)+[a-z]$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_.]{0,62}$/;

/** Checks {@link NetworkProps} without building anything. */
export function validateNetworkProps(props: NetworkProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  const azs = props.availabilityZones ?? [];

  if (isUnresolved(props.vpcCidr)) {
    add("vpcCidr", props.vpcCidr, "a literal CIDR: subnets are planned at synth time, so the VPC range cannot come from another resource");
  } else {
    for (const p of subnetPlanProblems({
      vpcCidr: props.vpcCidr,
      azCount: azs.length,
      azSlots: props.azSlots,
      publicNewBits: props.publicNewBits,
      privateNewBits: props.privateNewBits,
      intraNewBits: props.intraNewBits,
      intraSubnets: props.intraSubnets,
    })) {
      if (p.field === "azCount") add("availabilityZones", azs, `1 to 6 availability zone names (got ${azs.length})`);
      else add(p.field, p.value, p.allowed);
    }
  }
  const seen = new Set<string>();
  azs.forEach((az, i) => {
    if (isUnresolved(az)) return;
    if (!AZ_NAME.test(az)) add(`availabilityZones[${i}]`, az, "an availability zone name such as eu-west-1a");
    if (seen.has(az)) add(`availabilityZones[${i}]`, az, "each availability zone once");
    seen.add(az);
  });
  if (props.natGateways !== undefined && props.natGateways !== "single" && props.natGateways !== "per-az") {
    add("natGateways", props.natGateways, '"single" or "per-az"');
  }
  problems.push(...retentionProblems("flowLogRetentionDays", props.flowLogRetentionDays));
  const endpoints = new Set<string>();
  (props.interfaceEndpoints ?? []).forEach((service, i) => {
    if (!isInterfaceEndpointService(service)) add(`interfaceEndpoints[${i}]`, service, `one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}`);
    else if (endpoints.has(service)) add(`interfaceEndpoints[${i}]`, service, "each service once");
    endpoints.add(service);
  });
  if (props.clusterName !== undefined && !isUnresolved(props.clusterName) && !CLUSTER_NAME.test(props.clusterName)) {
    add("clusterName", props.clusterName, EKS_CLUSTER_NAME_RULE);
  }
  if (props.organizationId !== undefined && !isUnresolved(props.organizationId) && !ORGANIZATION_ID.test(props.organizationId)) {
    add("organizationId", props.organizationId, "an AWS Organizations id such as o-a1b2c3d4e5");
  }
  if (props.name !== undefined && !isUnresolved(props.name) && !NAME.test(props.name)) {
    add("name", props.name, "1–63 letters, digits, '-', '_' or '.', starting with a letter or digit");
  } else if (props.name !== undefined && !isUnresolved(props.name) && props.name.includes(".") && props.flowLogKmsKeyArn === undefined) {
    add("name", props.name, "no '.' when the network creates its flow-log key: the name prefixes the key alias (<name>/flow-logs)");
  }
  return problems;
}
