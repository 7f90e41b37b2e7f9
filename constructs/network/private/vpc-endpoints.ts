import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ENDPOINTS_REACHING_OTHER_ACCOUNTS, InterfaceEndpointService } from "../../../lib/aws/interface-endpoints";
import { interfaceEndpointId } from "../interface-endpoints";
import { EndpointPerimeter, interfaceEndpointStatements, s3GatewayEndpointStatements } from "./endpoint-policies";

/** What the endpoints of a `Network` need from it. */
export interface VpcEndpointsInput {
  readonly name: string;
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  /** Route tables the S3 gateway endpoint adds its prefix list to. */
  readonly routeTableIds: string[];
  /** Subnets of the interface endpoints' network interfaces. */
  readonly subnetIds: string[];
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  /** @default - this account only */
  readonly organizationId?: string;
}

/**
 * Adds the S3 gateway endpoint and the interface endpoints to `scope` (the `Network`, so their construct ids
 * stay where they always were), each with a policy that keeps its traffic inside the account or
 * organisation. Returns the interface endpoints' security group id, if any.
 */
export function addVpcEndpoints(scope: Construct, input: VpcEndpointsInput): string | undefined {
  const n = input.name;
  const region = new DataAwsRegion(scope, "Region");
  const perimeter: EndpointPerimeter = {
    accountId: new DataAwsCallerIdentity(scope, "Account").accountId,
    organizationId: input.organizationId,
    region: region.region,
    partition: new DataAwsPartition(scope, "Partition").partition,
  };
  const s3Policy = new DataAwsIamPolicyDocument(scope, "S3GatewayEndpointPolicy", { statement: s3GatewayEndpointStatements(perimeter) });
  new VpcEndpoint(scope, "S3GatewayEndpoint", {
    vpcId: input.vpcId,
    serviceName: `com.amazonaws.${region.region}.s3`,
    vpcEndpointType: "Gateway",
    routeTableIds: input.routeTableIds,
    policy: s3Policy.json,
    tags: { Name: `${n}-s3` },
  });
  if (input.interfaceEndpoints.length === 0) return undefined;

  const sg = new SecurityGroup(scope, "EndpointSecurityGroup", {
    namePrefix: `${n}-endpoints-`,
    description: "Interface endpoints: HTTPS from inside the VPC only",
    vpcId: input.vpcId,
    tags: { Name: `${n}-endpoints` },
  });
  new VpcSecurityGroupIngressRule(scope, "EndpointHttpsFromVpc", {
    securityGroupId: sg.id,
    description: "HTTPS from the VPC to the interface endpoints",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: input.vpcCidrBlock,
  });
  for (const service of input.interfaceEndpoints) {
    const id = interfaceEndpointId(service);
    const policy = new DataAwsIamPolicyDocument(scope, `${id}Policy`, {
      statement: interfaceEndpointStatements(perimeter, service, ENDPOINTS_REACHING_OTHER_ACCOUNTS.includes(service)),
    });
    new VpcEndpoint(scope, id, {
      vpcId: input.vpcId,
      serviceName: `com.amazonaws.${region.region}.${service}`,
      vpcEndpointType: "Interface",
      subnetIds: input.subnetIds,
      securityGroupIds: [sg.id],
      privateDnsEnabled: true,
      policy: policy.json,
      tags: { Name: `${n}-${service}` },
    });
  }
  return sg.id;
}
