import { Construct } from "constructs";
import { DefaultNetworkAcl, DefaultNetworkAclIngress } from "@cdktf/provider-aws/lib/default-network-acl";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";

/** Remote administration ports no network ACL admits from the internet (AWS FSBP EC2.21, CIS AWS 5.1). */
const ADMIN_PORTS = [22, 3389] as const;

/**
 * Adopts the VPC's default network ACL (`DefaultNetworkAcl`), so Terraform owns its rules and reports
 * drift: SSH and RDP from anywhere are denied (IPv4 and IPv6), everything else is allowed as before,
 * leaving traffic control to security groups (stateless ACL rules for ephemeral ports break easily).
 * Every subnet of the network is listed, so the ACL and the subnets' associations never disagree.
 */
export function manageDefaultNetworkAcl(scope: Construct, vpc: Vpc, subnetIds: string[], name: string): DefaultNetworkAcl {
  const deny: DefaultNetworkAclIngress[] = ADMIN_PORTS.flatMap((port, i) => [
    { ruleNo: 10 + i * 2, action: "deny", protocol: "tcp", fromPort: port, toPort: port, cidrBlock: "0.0.0.0/0" },
    { ruleNo: 11 + i * 2, action: "deny", protocol: "tcp", fromPort: port, toPort: port, ipv6CidrBlock: "::/0" },
  ]);
  const allowAll = { action: "allow", protocol: "-1", fromPort: 0, toPort: 0 };
  return new DefaultNetworkAcl(scope, "DefaultNetworkAcl", {
    defaultNetworkAclId: vpc.defaultNetworkAclId,
    subnetIds,
    ingress: [...deny, { ...allowAll, ruleNo: 100, cidrBlock: "0.0.0.0/0" }, { ...allowAll, ruleNo: 101, ipv6CidrBlock: "::/0" }],
    egress: [{ ...allowAll, ruleNo: 100, cidrBlock: "0.0.0.0/0" }, { ...allowAll, ruleNo: 101, ipv6CidrBlock: "::/0" }],
    tags: { Name: `${name}-default` },
  });
}
