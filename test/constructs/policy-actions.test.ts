import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAutoscaler } from "../../constructs/addons/cluster-autoscaler/cluster-autoscaler";
import { Karpenter } from "../../constructs/addons/karpenter/karpenter";
import { EksCluster } from "../../constructs/cluster/eks-cluster";
import { Network } from "../../constructs/network/network";
import { Storage } from "../../constructs/storage/storage";

/**
 * Every IAM, key, bucket, queue and file system policy the constructs write, checked at once: an Allow
 * names its actions exactly (Trivy flags `service:Prefix*`), and no Allow but the documented volume-key
 * statement has an `AWS: "*"` principal (Checkov CKV_AWS_33). Deny guards may use wildcards; so may the
 * account-root key administration statement, which only delegates to IAM.
 */
function allStatements(): Array<Record<string, any>> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const network = new Network(stack, "Network", { vpcCidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], name: "dev" });
  const cluster = new EksCluster(stack, "Cluster", {
    network,
    clusterName: "dev-platform",
    kubernetesVersion: "1.33",
    nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4 }],
    adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admins"],
  });
  new Storage(stack, "Storage", { network, cluster, namePrefix: "dev-platform" });
  new Karpenter(stack, "Karpenter", { cluster, nodeRoleArn: cluster.nodeRoleArn });
  new ClusterAutoscaler(stack, "ClusterAutoscaler", { cluster });
  const parsed = JSON.parse(Testing.synth(stack));
  const docs = Object.values(parsed.data?.aws_iam_policy_document ?? {}) as Array<{ statement?: Array<Record<string, any>> }>;
  return docs.flatMap((d) => d.statement ?? []);
}

describe("policies of the constructs", () => {
  const statements = allStatements();
  const allows = statements.filter((s) => (s.effect ?? "Allow") === "Allow");

  test("are all built and checked here", () => {
    expect(allows.length).toBeGreaterThan(30);
    expect(statements.some((s) => s.effect === "Deny")).toBe(true);
  });

  test("allow no wildcard action except the account-root key administration", () => {
    const wildcards = allows
      .filter((s) => s.sid !== "AccountAdministersKeyThroughIam")
      .flatMap((s) => (s.actions ?? []).filter((a: string) => a.includes("*")).map((a: string) => `${s.sid}: ${a}`));
    expect(wildcards).toEqual([]);
  });

  test("grant AWS \"*\" only in the volume key's kms:ViaService statement", () => {
    const open = allows.filter((s) => (s.principals ?? []).some((p: { type: string; identifiers: string[] }) => p.identifiers.includes("*")));
    expect(open.map((s) => s.sid)).toEqual(["ServicesOfThisAccount"]);
    expect(JSON.stringify(open[0].condition)).toContain("ec2.${data.aws_region.Cluster_VolumeKey_Region_");
  });
});
