import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster } from "../../constructs/cluster/eks-cluster";
import { EksClusterProps } from "../../constructs/cluster/eks-cluster-props";
import { IrsaRole } from "../../constructs/common/irsa-role";
import { EfsStorage } from "../../constructs/storage/efs-storage";
import { fakeCluster, fakeNetwork } from "../support/fakes";
import { baseProps } from "./cluster/helpers";

/**
 * Construct ids are Terraform addresses: a repeated resource keyed by its list position moves (destroy and
 * re-create) when an entry before it is removed. Each case builds a list of three, removes the middle
 * one, and checks that every other address stays and only the removed entry's resources go.
 */
function addresses(build: (stack: TerraformStack) => void): Set<string> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  const parsed = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, unknown>> };
  return new Set(Object.entries(parsed.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`)));
}

function removedOnly<T>(three: readonly [T, T, T], build: (stack: TerraformStack, list: T[]) => void): { gone: string[]; moved: string[] } {
  const before = addresses((s) => build(s, [...three]));
  const after = addresses((s) => build(s, [three[0], three[2]]));
  return { gone: [...before].filter((a) => !after.has(a)), moved: [...after].filter((a) => !before.has(a)) };
}

const cluster = (stack: TerraformStack, props: Partial<EksClusterProps>) => new EksCluster(stack, "Eks", baseProps(props));

describe("removing a middle entry moves no other Terraform address", () => {
  test("people's EKS access entries are keyed by role name", () => {
    const roles = ["sre", "developer", "auditor"].map((n) => `arn:aws:iam::111122223333:role/${n}`) as [string, string, string];
    const { gone, moved } = removedOnly(roles, (s, list) => cluster(s, { accessEntries: list.map((principalArn) => ({ principalArn, accessPolicy: "view" })) }));
    expect(moved).toEqual([]);
    expect(gone.sort()).toEqual([
      expect.stringMatching(/^aws_eks_access_entry\.Eks_Access_Access-developerEntry_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_eks_access_policy_association\.Eks_Access_Access-developerPolicy_[0-9A-F]{8}$/),
    ]);
  });

  test("private API access rules are keyed by CIDR", () => {
    const cidrs = ["10.20.0.0/16", "10.40.0.0/16", "192.168.0.0/24"] as const;
    const { gone, moved } = removedOnly(cidrs, (s, list) => cluster(s, { privateAccessCidrs: list }));
    expect(moved).toEqual([]);
    expect(gone).toEqual([expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Eks_PrivateApiAccess-10-40-0-0-16_[0-9A-F]{8}$/)]);
  });

  test("managed policy attachments are keyed by policy name", () => {
    const policies = ["AmazonS3ReadOnlyAccess", "CloudWatchAgentServerPolicy", "AmazonSQSReadOnlyAccess"].map((n) => `arn:aws:iam::aws:policy/${n}`) as [string, string, string];
    const { gone, moved } = removedOnly(policies, (s, list) => {
      new IrsaRole(s, "Role", { cluster: { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/x", oidcIssuerUrl: "https://x" }, namespace: "a", serviceAccount: "b", managedPolicyArns: list });
    });
    expect(moved).toEqual([]);
    expect(gone).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\.Role_ManagedPolicy-CloudWatchAgentServerPolicy_[0-9A-F]{8}$/)]);
  });

  test("additional NFS client rules are keyed by the name given", () => {
    const clients = [["Karpenter", "sg-1"], ["Batch", "sg-2"], ["Bastion", "sg-3"]] as [[string, string], [string, string], [string, string]];
    const { gone, moved } = removedOnly(clients, (s, list) => {
      new EfsStorage(s, "Efs", { network: fakeNetwork(), cluster: fakeCluster(), additionalClientSecurityGroups: Object.fromEntries(list) });
    });
    expect(moved).toEqual([]);
    expect(gone).toEqual([expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Efs_NfsFromBatch_[0-9A-F]{8}$/)]);
  });
});
