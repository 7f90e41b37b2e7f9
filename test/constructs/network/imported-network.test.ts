import { Testing, TerraformStack } from "cdktf";
import { Network } from "../../../constructs/network";

describe("Network.fromNetworkAttributes", () => {
  const attrs = {
    vpcId: "vpc-0123",
    vpcCidrBlock: "10.9.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    publicSubnetIds: ["subnet-p1", "subnet-p2"],
    privateSubnetIds: ["subnet-q1", "subnet-q2"],
  };

  test("exposes the given attributes, with no intra subnets by default, and creates nothing", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const net = Network.fromNetworkAttributes(stack, "Imported", attrs);
    expect(net).toMatchObject({ ...attrs, intraSubnetIds: [] });
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });

  test("fails when a subnet list does not follow the AZ list", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => Network.fromNetworkAttributes(stack, "Imported", { ...attrs, privateSubnetIds: ["subnet-q1"] })).toThrow(
      /privateSubnetIds: got \["subnet-q1"\]; allowed: one subnet id per availability zone \(2\)/,
    );
  });
});
