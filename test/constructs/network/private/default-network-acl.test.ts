import { AZS, synth as synthNetwork } from "../support";

type Json = Record<string, any>;

function synth(preventDestroy?: boolean) {
  return { resource: synthNetwork({ availabilityZones: AZS.slice(0, 2), preventDestroy }).resources as Record<string, Record<string, Json>> };
}

describe("the network's default ACL and VPC protection", () => {
  const tf = synth();
  const acl = Object.values(tf.resource.aws_default_network_acl!)[0]!;

  test("adopts the VPC's default network ACL and lists every subnet, so Terraform owns it", () => {
    expect(acl.default_network_acl_id).toMatch(/^\$\{aws_vpc\.Network_Vpc_[0-9A-F]{8}\.default_network_acl_id\}$/);
    expect(acl.subnet_ids).toHaveLength(6); // public, private and intra in two AZs
  });

  test("denies SSH and RDP from anywhere before anything is allowed (FSBP EC2.21)", () => {
    const denies = (acl.ingress as Json[]).filter((r) => r.action === "deny");
    expect(denies.map((r) => [r.from_port, r.cidr_block ?? r.ipv6_cidr_block]).sort()).toEqual([
      [22, "0.0.0.0/0"],
      [22, "::/0"],
      [3389, "0.0.0.0/0"],
      [3389, "::/0"],
    ]);
    const firstAllow = Math.min(...(acl.ingress as Json[]).filter((r) => r.action === "allow").map((r) => r.rule_no));
    for (const d of denies) expect(d.rule_no).toBeLessThan(firstAllow);
  });

  test("puts prevent_destroy on the VPC exactly when asked", () => {
    expect(Object.values(synth(true).resource.aws_vpc!)[0]!.lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.values(tf.resource.aws_vpc!)[0]!.lifecycle).toBeUndefined();
  });
});
