import { Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

import { AZS, all, byId, ref, synth } from "./support";

describe("Network defaults", () => {
  test("creates a VPC with DNS support and hostnames on the given CIDR", () => {
    const { json, net } = synth();
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    expect(net.vpcCidrBlock).toBe("10.0.0.0/16");
  });

  test("carves private /19, public /22 and intra /22 subnets, one per AZ in order", () => {
    const { resources, net } = synth();
    expect(all(resources, "aws_subnet")).toHaveLength(9);
    AZS.forEach((az, i) => {
      expect(byId(resources, "aws_subnet", `PrivateSubnet${i}`)).toMatchObject({ availability_zone: az, cidr_block: `10.0.${i * 32}.0/19` });
      expect(byId(resources, "aws_subnet", `PublicSubnet${i}`)).toMatchObject({ availability_zone: az, cidr_block: expect.stringMatching(/\/22$/) });
      expect(byId(resources, "aws_subnet", `IntraSubnet${i}`)).toMatchObject({ availability_zone: az, cidr_block: expect.stringMatching(/\/22$/) });
    });
    expect(net.privateSubnetCidrs).toEqual(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
    expect(net.publicSubnetIds).toHaveLength(3);
    expect(net.intraSubnetIds).toHaveLength(3);
  });

  test("public subnets never assign public IPs and carry the ELB role tag; private ones the internal-ELB tag", () => {
    const { resources } = synth();
    for (let i = 0; i < 3; i++) {
      const pub = byId(resources, "aws_subnet", `PublicSubnet${i}`);
      expect(pub.map_public_ip_on_launch).toBe(false);
      expect(pub.tags["kubernetes.io/role/elb"]).toBe("1");
      expect(pub.tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
      const priv = byId(resources, "aws_subnet", `PrivateSubnet${i}`);
      expect(priv.tags["kubernetes.io/role/internal-elb"]).toBe("1");
      expect(priv.tags["kubernetes.io/role/elb"]).toBeUndefined();
      expect(priv.map_public_ip_on_launch).not.toBe(true);
    }
    expect(JSON.stringify(resources.aws_subnet)).not.toMatch(/kubernetes\.io\/cluster|karpenter\.sh/);
  });

  test("routes public subnets to the internet gateway through one table", () => {
    const { resources } = synth();
    const igw = ref(resources, "aws_internet_gateway", "InternetGateway");
    const table = ref(resources, "aws_route_table", "PublicRouteTable");
    expect(byId(resources, "aws_route", "PublicInternetRoute")).toMatchObject({ route_table_id: table, destination_cidr_block: "0.0.0.0/0", gateway_id: igw });
    for (let i = 0; i < 3; i++) {
      expect(byId(resources, "aws_route_table_association", `PublicRouteTableAssociation${i}`)).toMatchObject({
        subnet_id: ref(resources, "aws_subnet", `PublicSubnet${i}`),
        route_table_id: table,
      });
    }
  });

  test("puts one NAT gateway with an EIP in each AZ's public subnet and routes that AZ's private subnet through it", () => {
    const { resources, net } = synth();
    expect(net.natGateways).toBe("per-az");
    expect(all(resources, "aws_nat_gateway")).toHaveLength(3);
    expect(all(resources, "aws_eip")).toEqual(Array(3).fill(expect.objectContaining({ domain: "vpc" })));
    for (let i = 0; i < 3; i++) {
      expect(byId(resources, "aws_nat_gateway", `NatGateway${i}`)).toMatchObject({
        subnet_id: ref(resources, "aws_subnet", `PublicSubnet${i}`),
        allocation_id: ref(resources, "aws_eip", `NatEip${i}`, "allocation_id"),
      });
      const table = ref(resources, "aws_route_table", `PrivateRouteTable${i}`);
      expect(byId(resources, "aws_route", `PrivateNatRoute${i}`)).toMatchObject({
        route_table_id: table,
        destination_cidr_block: "0.0.0.0/0",
        nat_gateway_id: ref(resources, "aws_nat_gateway", `NatGateway${i}`),
      });
      expect(byId(resources, "aws_route_table_association", `PrivateRouteTableAssociation${i}`)).toMatchObject({
        subnet_id: ref(resources, "aws_subnet", `PrivateSubnet${i}`),
        route_table_id: table,
      });
    }
  });

  test("gives intra subnets a route table without any route", () => {
    const { resources } = synth();
    const table = ref(resources, "aws_route_table", "IntraRouteTable");
    expect(all(resources, "aws_route").filter((r) => r.route_table_id === table)).toEqual([]);
    expect(byId(resources, "aws_route_table", "IntraRouteTable").route).toBeUndefined();
    expect(byId(resources, "aws_route_table_association", "IntraRouteTableAssociation2").route_table_id).toBe(table);
  });

  test("strips every rule from the VPC's default security group", () => {
    const { json, resources } = synth();
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
    expect(byId(resources, "aws_default_security_group", "DefaultSecurityGroup").vpc_id).toBe(ref(resources, "aws_vpc", "Vpc"));
  });

  test("logs ALL traffic to a log group kept 365 days and encrypted with a new rotating customer key", () => {
    const { json, resources, net } = synth();
    expect(net.flowLogRetentionDays).toBe(365);
    expect(json).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: ref(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup", "arn"),
      vpc_id: ref(resources, "aws_vpc", "Vpc"),
    });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      retention_in_days: 365,
      kms_key_id: ref(resources, "aws_kms_key", "FlowLog_Key", "arn"),
    });
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(byId(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup").name_prefix).toBe("/aws/vpc-flow-logs/test-Network-"); // stack id and path: unique per stack by default
  });

  test("lets CloudWatch Logs use the flow log key for the flow log group's name prefix only", () => {
    const { data } = synth({ name: "dev" });
    const keyPolicy = byId(data, "aws_iam_policy_document", "FlowLog_Key_Policy");
    const logs = keyPolicy.statement.find((s: { sid: string }) => s.sid === "CloudWatchLogsOfThisAccount");
    expect(logs.condition[0].values).toEqual([expect.stringMatching(/:log-group:\/aws\/vpc-flow-logs\/dev-\*$/)]);
  });

  test("gives the flow log key the alias <name>/flow-logs", () => {
    const { resources } = synth({ name: "dev" });
    expect(byId(resources, "aws_kms_alias", "FlowLog_Key_Alias").name).toBe("alias/dev/flow-logs");
  });

  test("sets no prevent_destroy on the flow log group or key by default", () => {
    const { resources, net } = synth();
    expect(net.preventDestroy).toBe(false);
    expect(byId(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup").lifecycle).toBeUndefined();
    expect(byId(resources, "aws_kms_key", "FlowLog_Key").lifecycle).toBeUndefined();
  });

  test("gives the flow log role only named log actions on its own log group, assumable only by this account's flow logs", () => {
    const { data, resources } = synth();
    const permissions = byId(data, "aws_iam_policy_document", "FlowLog_Permissions");
    const groupArn = ref(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup", "arn");
    for (const statement of permissions.statement) {
      for (const action of statement.actions) expect(action).toMatch(/^logs:[A-Za-z]+$/);
      expect(statement.resources).not.toContain("*");
      for (const resource of statement.resources) expect(resource.startsWith(groupArn)).toBe(true);
    }
    const trust = byId(data, "aws_iam_policy_document", "FlowLog_Trust").statement[0];
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }]);
    expect(trust.condition.map((c: { variable: string }) => c.variable)).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    expect(byId(resources, "aws_iam_role_policy", "FlowLog_RolePolicy").role).toBe(ref(resources, "aws_iam_role", "FlowLog_Role"));
    expect(byId(resources, "aws_flow_log", "FlowLog").iam_role_arn).toBe(ref(resources, "aws_iam_role", "FlowLog_Role", "arn"));
  });

  test("attaches a free S3 gateway endpoint to every private and intra route table", () => {
    const { resources } = synth();
    const s3 = byId(resources, "aws_vpc_endpoint", "S3GatewayEndpoint");
    expect(s3.vpc_endpoint_type).toBe("Gateway");
    expect(s3.service_name).toMatch(/^com\.amazonaws\..+\.s3$/);
    expect([...s3.route_table_ids].sort()).toEqual(
      ["PrivateRouteTable0", "PrivateRouteTable1", "PrivateRouteTable2", "IntraRouteTable"].map((id) => ref(resources, "aws_route_table", id)).sort(),
    );
  });

  test("creates no interface endpoint and no security group unless asked", () => {
    const { json, net, resources } = synth();
    expect(all(resources, "aws_vpc_endpoint")).toHaveLength(1);
    expect(json).not.toHaveResource(SecurityGroup);
    expect(net.interfaceEndpoints).toEqual([]);
    expect(net.endpointSecurityGroupId).toBeUndefined();
  });

  test("keeps construct ids stable, since they are Terraform addresses", () => {
    const { net } = synth();
    for (const id of ["Vpc", "InternetGateway", "DefaultSecurityGroup", "PublicSubnet0", "PrivateSubnet2", "IntraSubnet1", "NatGateway0", "NatEip2", "PublicRouteTable", "PrivateRouteTable1", "IntraRouteTable", "S3GatewayEndpoint", "FlowLog"]) {
      expect(net.node.tryFindChild(id)).toBeDefined();
    }
  });
});

describe("Network options", () => {
  test("natGateways single: one NAT and one private route table shared by every private subnet", () => {
    const { resources, net } = synth({ natGateways: "single" });
    expect(net.natGateways).toBe("single");
    expect(all(resources, "aws_nat_gateway")).toHaveLength(1);
    expect(all(resources, "aws_eip")).toHaveLength(1);
    expect(all(resources, "aws_route_table").filter((t) => t.tags.Name.includes("private"))).toHaveLength(1);
    const table = ref(resources, "aws_route_table", "PrivateRouteTable0");
    for (let i = 0; i < 3; i++) expect(byId(resources, "aws_route_table_association", `PrivateRouteTableAssociation${i}`).route_table_id).toBe(table);
    expect(net.privateRouteTableIds).toHaveLength(1);
  });

  test("intraSubnets false: no intra subnets or table, and the S3 endpoint uses the private tables only", () => {
    const { resources, net } = synth({ intraSubnets: false });
    expect(all(resources, "aws_subnet")).toHaveLength(6);
    expect(net.intraSubnetIds).toEqual([]);
    expect(net.intraRouteTableId).toBeUndefined();
    expect(() => byId(resources, "aws_route_table", "IntraRouteTable")).toThrow();
    expect(byId(resources, "aws_vpc_endpoint", "S3GatewayEndpoint").route_table_ids).toHaveLength(3);
  });

  test("clusterName tags public and private subnets as shared and private ones for Karpenter discovery", () => {
    const { resources } = synth({ clusterName: "prod-eks" });
    const pub = byId(resources, "aws_subnet", "PublicSubnet0").tags;
    const priv = byId(resources, "aws_subnet", "PrivateSubnet1").tags;
    const intra = byId(resources, "aws_subnet", "IntraSubnet0").tags;
    expect(pub["kubernetes.io/cluster/prod-eks"]).toBe("shared");
    expect(priv["kubernetes.io/cluster/prod-eks"]).toBe("shared");
    expect(priv["karpenter.sh/discovery"]).toBe("prod-eks");
    expect(pub["karpenter.sh/discovery"]).toBeUndefined();
    expect(intra["karpenter.sh/discovery"]).toBeUndefined();
  });

  test("flowLogRetentionDays sets the log group retention", () => {
    const { json, net } = synth({ flowLogRetentionDays: 30 });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
    expect(net.flowLogRetentionDays).toBe(30);
  });

  test("preventDestroy protects the flow log group and its key", () => {
    const { resources, net } = synth({ preventDestroy: true });
    expect(net.preventDestroy).toBe(true);
    expect(net.flowLog.preventDestroy).toBe(true);
    expect(byId(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup").lifecycle).toEqual({ prevent_destroy: true });
    expect(byId(resources, "aws_kms_key", "FlowLog_Key").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("flowLogKmsKeyArn uses the given key instead of creating one", () => {
    const arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { json } = synth({ flowLogKmsKeyArn: arn });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: arn });
    expect(json).not.toHaveResource(KmsKey);
  });

  test("interfaceEndpoints: private-DNS endpoints in the private subnets behind a group that admits HTTPS from the VPC only", () => {
    const { json, resources, net } = synth({ vpcCidr: "10.20.0.0/16", interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"] });
    const privateIds = [0, 1, 2].map((i) => ref(resources, "aws_subnet", `PrivateSubnet${i}`));
    const sg = ref(resources, "aws_security_group", "EndpointSecurityGroup");
    for (const [id, service] of [["EcrApiEndpoint", "ecr.api"], ["EcrDkrEndpoint", "ecr.dkr"], ["StsEndpoint", "sts"]]) {
      const endpoint = byId(resources, "aws_vpc_endpoint", id);
      expect(endpoint).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true, subnet_ids: privateIds, security_group_ids: [sg] });
      expect(endpoint.service_name.endsWith(`.${service}`)).toBe(true);
    }
    expect(json).toHaveResourceWithProperties(SecurityGroup, { description: expect.stringMatching(/\S/) });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: sg,
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.20.0.0/16",
      description: expect.stringMatching(/\S/),
    });
    expect(all(resources, "aws_vpc_security_group_ingress_rule")).toHaveLength(1);
    expect(byId(resources, "aws_security_group", "EndpointSecurityGroup").ingress).toBeUndefined();
    expect(Token.isUnresolved(net.endpointSecurityGroupId)).toBe(true);
  });

  test("admits nothing from 0.0.0.0/0 in any security group, even with every option on", () => {
    const { resources } = synth({ interfaceEndpoints: ["logs", "sts"], clusterName: "c", natGateways: "single" });
    const rules = [
      ...all(resources, "aws_vpc_security_group_ingress_rule").map((r) => r.cidr_ipv4),
      ...all(resources, "aws_security_group").flatMap((g) => (g.ingress ?? []).flatMap((r: { cidr_blocks?: string[] }) => r.cidr_blocks ?? [])),
      ...all(resources, "aws_default_security_group").flatMap((g) => g.ingress.flatMap((r: { cidr_blocks?: string[] }) => r.cidr_blocks ?? [])),
    ];
    expect(rules).not.toContain("0.0.0.0/0");
    expect(rules).not.toContain("::/0");
  });

  test("two AZs and custom sizes follow the same plan as configuration validation", () => {
    const { resources, net } = synth({ availabilityZones: ["us-east-1a", "us-east-1b"], privateNewBits: 4, azSlots: 2, intraSubnets: false });
    expect(all(resources, "aws_subnet")).toHaveLength(4);
    expect(net.privateSubnetCidrs).toEqual(["10.0.0.0/20", "10.0.16.0/20"]);
    expect(net.publicSubnetCidrs).toEqual(["10.0.32.0/22", "10.0.36.0/22"]);
    expect(all(resources, "aws_nat_gateway")).toHaveLength(2);
  });

  test("adding an AZ keeps every existing subnet's CIDR", () => {
    const three = synth().net;
    const four = synth({ availabilityZones: [...AZS, "eu-west-1d"], vpcCidr: "10.0.0.0/16" }).net;
    expect(four.publicSubnetCidrs.slice(0, 3)).toEqual(three.publicSubnetCidrs);
    expect(four.privateSubnetCidrs.slice(0, 3)).toEqual(three.privateSubnetCidrs);
    expect(four.intraSubnetCidrs.slice(0, 3)).toEqual(three.intraSubnetCidrs);
  });

  test("name prefixes the Name tags and the flow log group", () => {
    const { resources } = synth({ name: "dev" });
    expect(byId(resources, "aws_vpc", "Vpc").tags.Name).toBe("dev");
    expect(byId(resources, "aws_subnet", "PrivateSubnet0").tags.Name).toBe("dev-private-eu-west-1a");
    expect(byId(resources, "aws_cloudwatch_log_group", "FlowLog_LogGroup").name_prefix).toBe("/aws/vpc-flow-logs/dev-");
  });
});
