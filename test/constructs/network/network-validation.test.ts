import { Token } from "cdktf";
import { NetworkProps, validateNetworkProps } from "../../../constructs/network";
import { AZS, synth } from "./support";

describe("validateNetworkProps", () => {
  const valid: NetworkProps = { vpcCidr: "10.0.0.0/16", availabilityZones: AZS };
  const problemsOf = (overrides: Partial<NetworkProps>) => validateNetworkProps({ ...valid, ...overrides } as NetworkProps);

  test("finds nothing wrong with valid props", () => {
    expect(validateNetworkProps(valid)).toEqual([]);
  });

  test("fails when the VPC CIDR has host bits set, suggesting the canonical form", () => {
    expect(() => synth({ vpcCidr: "10.0.0.1/16" })).toThrow(/Network: vpcCidr: got "10\.0\.0\.1\/16"; allowed: .*did you mean "10\.0\.0\.0\/16"/);
  });

  test("fails when the VPC CIDR is not a CIDR", () => {
    expect(problemsOf({ vpcCidr: "10.0.0.0" })).toEqual([expect.objectContaining({ path: "vpcCidr", value: "10.0.0.0" })]);
  });

  test("fails when the VPC is larger than AWS allows", () => {
    expect(problemsOf({ vpcCidr: "10.0.0.0/8" })).toEqual([expect.objectContaining({ path: "vpcCidr", allowed: expect.stringMatching(/\/16 to \/28/) })]);
  });

  test("fails when the VPC CIDR is an unresolved token", () => {
    expect(problemsOf({ vpcCidr: Token.asString({ ref: "x" }) })).toEqual([expect.objectContaining({ path: "vpcCidr", allowed: expect.stringMatching(/literal CIDR/) })]);
  });

  test("fails when the AZ list is empty", () => {
    expect(() => synth({ availabilityZones: [] })).toThrow(/availabilityZones: got \[\]; allowed: 1 to 6 availability zone names/);
  });

  test("fails when there are more than six AZs", () => {
    const seven = ["a", "b", "c", "d", "e", "f", "g"].map((l) => `us-east-1${l}`);
    expect(problemsOf({ availabilityZones: seven }).map((p) => p.path)).toContain("availabilityZones");
  });

  test("fails when an AZ is listed twice", () => {
    expect(problemsOf({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] })).toEqual([
      expect.objectContaining({ path: "availabilityZones[2]", allowed: "each availability zone once" }),
    ]);
  });

  test("fails when an AZ name is a region name", () => {
    expect(problemsOf({ availabilityZones: ["eu-west-1"] })).toEqual([expect.objectContaining({ path: "availabilityZones[0]", value: "eu-west-1" })]);
  });

  test("fails when the subnet plan does not fit the VPC", () => {
    expect(() => synth({ privateNewBits: 2 })).toThrow(/privateNewBits: got 2; allowed: .*do not fit the 65536 addresses of 10\.0\.0\.0\/16/);
  });

  test("fails when subnets would be smaller than /28", () => {
    expect(problemsOf({ vpcCidr: "10.0.0.0/24", availabilityZones: ["eu-west-1a"], azSlots: 1 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "publicNewBits", allowed: expect.stringMatching(/1 to 4/) })]),
    );
  });

  test("fails when azSlots is below the number of AZs", () => {
    expect(problemsOf({ azSlots: 2 })).toEqual([expect.objectContaining({ path: "azSlots", value: 2 })]);
  });

  test("fails when the flow log retention is not a CloudWatch Logs period", () => {
    expect(() => synth({ flowLogRetentionDays: 42 })).toThrow(/flowLogRetentionDays: got 42; allowed: one of the CloudWatch Logs retention periods: 1, 3, 5/);
  });

  test("fails when an interface endpoint service is unknown or repeated", () => {
    expect(problemsOf({ interfaceEndpoints: ["sts", "s3" as never, "sts"] })).toEqual([
      expect.objectContaining({ path: "interfaceEndpoints[1]", value: "s3" }),
      expect.objectContaining({ path: "interfaceEndpoints[2]", allowed: "each service once" }),
    ]);
  });

  test("fails when natGateways is neither single nor per-az", () => {
    expect(problemsOf({ natGateways: "none" as never })).toEqual([expect.objectContaining({ path: "natGateways", value: "none" })]);
  });

  test("fails when the cluster name is not an EKS cluster name", () => {
    expect(problemsOf({ clusterName: "1-bad name" })).toEqual([expect.objectContaining({ path: "clusterName" })]);
  });

  test("fails when the name has characters tags and log group names reject", () => {
    expect(problemsOf({ name: "dev/prod" })).toEqual([expect.objectContaining({ path: "name" })]);
  });

  test("fails when the name has a '.' and the network creates its flow-log key (KMS aliases refuse it)", () => {
    expect(problemsOf({ name: "dev.eu" })).toEqual([expect.objectContaining({ path: "name", value: "dev.eu" })]);
    expect(problemsOf({ name: "dev.eu", flowLogKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k" })).toEqual([]);
  });

  test("reports every problem at once", () => {
    expect(problemsOf({ vpcCidr: "10.0.0.1/16", flowLogRetentionDays: 2, clusterName: "-" }).map((p) => p.path)).toEqual([
      "vpcCidr",
      "flowLogRetentionDays",
      "clusterName",
    ]);
  });
});
