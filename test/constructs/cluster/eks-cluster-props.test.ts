import { Token } from "cdktf";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../../constructs/cluster/cluster-constants";
import { EksClusterProps, validateEksClusterProps } from "../../../constructs/cluster/eks-cluster-props";
import { baseProps, fakeNetwork, synth } from "./helpers";

const paths = (overrides: Partial<EksClusterProps>) => validateEksClusterProps(baseProps(overrides)).map((p) => p.path);

describe("validateEksClusterProps", () => {
  test("accepts the base props", () => {
    expect(validateEksClusterProps(baseProps())).toEqual([]);
  });

  test("fails when minSize exceeds maxSize, blaming minSize only when desiredSize was never set", () => {
    const group = { name: "system", instanceTypes: ["m7i.large"], minSize: 5, maxSize: 3 };
    expect(paths({ nodeGroups: [group] })).toEqual(["nodeGroups[0].minSize"]);
    expect(paths({ nodeGroups: [{ ...group, desiredSize: 4 }] })).toEqual(["nodeGroups[0].minSize", "nodeGroups[0].desiredSize"]);
  });

  test("fails when a node group misses a required field, naming it instead of reading it", () => {
    const problems = validateEksClusterProps(baseProps({ nodeGroups: [{ name: "system", minSize: 1, maxSize: 2 } as never] }));
    expect(problems).toEqual([expect.objectContaining({ path: "nodeGroups[0].instanceTypes", value: undefined })]);
  });

  test("fails when the cluster name has characters EKS refuses", () => {
    expect(paths({ clusterName: "dev platform" })).toEqual(["clusterName"]);
    expect(paths({ clusterName: "x".repeat(101) })).toEqual(["clusterName"]);
  });

  test("fails when the Kubernetes version is unsupported, naming the allowed versions", () => {
    // @ts-expect-error TypeScript callers cannot name an unsupported version at all; JavaScript callers can.
    const unsupported: EksClusterProps["kubernetesVersion"] = "1.29";
    expect(() => synth({ kubernetesVersion: unsupported })).toThrow(
      `kubernetesVersion: got "1.29"; allowed: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
    );
  });

  test("fails when the public endpoint would be open to the whole internet", () => {
    expect(paths({ publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] })).toEqual(["publicAccessCidrs[1]"]);
    expect(paths({ publicAccessCidrs: ["::/0"] })).toEqual(["publicAccessCidrs[0]"]);
  });

  test("fails when a public CIDR is not an IPv4 CIDR", () => {
    expect(paths({ publicAccessCidrs: ["203.0.113.0"] })).toEqual(["publicAccessCidrs[0]"]);
    expect(paths({ publicAccessCidrs: ["300.0.113.0/24"] })).toEqual(["publicAccessCidrs[0]"]);
    expect(paths({ publicAccessCidrs: ["203.0.113.0/33"] })).toEqual(["publicAccessCidrs[0]"]);
  });

  test("fails when a CIDR has host bits set", () => {
    const problems = validateEksClusterProps(baseProps({ publicAccessCidrs: ["203.0.113.7/24"] }));
    expect(problems).toEqual([expect.objectContaining({ path: "publicAccessCidrs[0]", allowed: expect.stringContaining("host bits zero") })]);
  });

  test("fails when the private endpoint would be open to anywhere", () => {
    expect(paths({ privateAccessCidrs: ["0.0.0.0/0"] })).toEqual(["privateAccessCidrs[0]"]);
  });

  test("fails when privateAccessCidrs is given empty", () => {
    expect(paths({ privateAccessCidrs: [] })).toEqual(["privateAccessCidrs"]);
  });

  test("fails when log retention is shorter than a year or not a CloudWatch value", () => {
    expect(paths({ logRetentionDays: 90 })).toEqual(["logRetentionDays"]);
    expect(paths({ logRetentionDays: 366 })).toEqual(["logRetentionDays"]);
    expect(paths({ logRetentionDays: 0 })).toEqual(["logRetentionDays"]);
  });

  test("fails when the deploy or break-glass ARN is not an IAM role ARN", () => {
    expect(paths({ deployRoleArn: "arn:aws:iam::111122223333:user/alice" })).toEqual(["deployRoleArn"]);
    expect(paths({ breakGlassRoleArn: "arn:aws:sts::111122223333:assumed-role/admin/alice" })).toEqual(["breakGlassRoleArn"]);
  });

  test("fails when break-glass is the deploy role", () => {
    expect(paths({ breakGlassRoleArn: "arn:aws:iam::111122223333:role/platform-admins" })).toEqual(["breakGlassRoleArn"]);
  });

  test("fails when a person's access entry is not a role, repeats a role, or names the deploy role", () => {
    const person = { principalArn: "arn:aws:iam::111122223333:role/dev", accessPolicy: "view" } as const;
    expect(paths({ accessEntries: [{ ...person, principalArn: "arn:aws:iam::111122223333:user/alice" }] })).toEqual(["accessEntries[0].principalArn"]);
    expect(paths({ accessEntries: [person, person] })).toEqual(["accessEntries[1].principalArn"]);
    expect(paths({ accessEntries: [{ ...person, principalArn: "arn:aws:iam::111122223333:role/platform-admins" }] })).toEqual(["accessEntries[0].principalArn"]);
  });

  test("fails when an access entry maps its role into a group EKS reserves", () => {
    const deployer = { principalArn: "arn:aws:iam::111122223333:role/deployer", accessPolicy: "view", kubernetesGroups: ["team:deploy", "system:masters"] } as const;
    expect(paths({ accessEntries: [deployer] })).toEqual(["accessEntries[0].kubernetesGroups[1]"]);
  });

  test("fails when a person would get cluster-admin or a bad namespace", () => {
    const person = { principalArn: "arn:aws:iam::111122223333:role/dev", accessPolicy: "cluster-admin" as never };
    expect(paths({ accessEntries: [person] })).toEqual(["accessEntries[0].accessPolicy"]);
    expect(paths({ accessEntries: [{ ...person, accessPolicy: "edit", namespaces: ["Bad_NS"] }] })).toEqual(["accessEntries[0].namespaces[0]"]);
  });

  test("fails when a public allow-list entry is broader than a /16, naming the limit", () => {
    const problems = validateEksClusterProps(baseProps({ publicAccessCidrs: ["0.0.0.0/1", "10.0.0.0/8", "203.0.113.0/24"] }));
    expect(problems.map((p) => p.path)).toEqual(["publicAccessCidrs[0]", "publicAccessCidrs[1]"]);
    expect(problems[0]!.allowed).toMatch(/a network of \/16 or smaller/);
  });

  test("fails when a private access CIDR is listed twice (it keys its rule)", () => {
    expect(paths({ privateAccessCidrs: ["10.20.0.0/16", "10.20.0.0/16"] })).toEqual(["privateAccessCidrs[1]"]);
  });

  test("fails when the control plane would have subnets in fewer than two zones", () => {
    expect(paths({ network: fakeNetwork({ intraSubnetIds: ["subnet-intra-a"] }) })).toEqual(["network.intraSubnetIds"]);
    expect(paths({ network: fakeNetwork({ intraSubnetIds: [], privateSubnetIds: ["subnet-priv-a"] }) })).toEqual(["network.privateSubnetIds"]);
  });

  test("fails when nodes would have no private subnet", () => {
    expect(paths({ network: fakeNetwork({ privateSubnetIds: [] }) })).toEqual(["network.privateSubnetIds"]);
  });

  test("includes node group and add-on problems", () => {
    expect(paths({ nodeGroups: [], addonVersions: { coreDns: "latest" } })).toEqual(["nodeGroups", "addonVersions.coreDns"]);
  });

  test("skips values only Terraform knows", () => {
    const token = Token.asString({ resolve: () => "x" } as never);
    const list = Token.asList({ resolve: () => [] } as never);
    expect(
      validateEksClusterProps(
        baseProps({
          clusterName: token,
          publicAccessCidrs: [token],
          deployRoleArn: token,
          network: fakeNetwork({ intraSubnetIds: list, privateSubnetIds: list }),
        }),
      ),
    ).toEqual([]);
  });

  test("the constructor throws one error naming every problem and builds nothing", () => {
    expect(() => synth({ clusterName: "bad name", logRetentionDays: 7 })).toThrow(
      /test\/Eks: clusterName: got "bad name".*\ntest\/Eks: logRetentionDays: got 7/,
    );
  });
});
