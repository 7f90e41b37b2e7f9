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
 * account-root key administration statement, which only delegates to IAM, and VPC endpoint policies, which
 * grant nothing and only bound what passes the endpoint: each of their statements must name the caller's
 * account or organisation instead (checked below).
 */
const isEndpointPerimeter = (s: Record<string, any>) =>
  String(s.sid).startsWith("Endpoint") && (s.condition ?? []).some((c: { variable: string }) => c.variable === "aws:PrincipalAccount" || c.variable === "aws:PrincipalOrgID");
function allStatements(): Array<Record<string, any>> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const network = new Network(stack, "Network", { vpcCidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], name: "dev", interfaceEndpoints: ["sts", "logs"] });
  const cluster = new EksCluster(stack, "Cluster", {
    network,
    clusterName: "dev-platform",
    kubernetesVersion: "1.33",
    nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4 }],
    deployRoleArn: "arn:aws:iam::111122223333:role/platform-admins",
  });
  new Storage(stack, "Storage", {
    network,
    cluster,
    namePrefix: "dev-platform",
    keyAdministration: { adminRoleArns: ["arn:aws:iam::111122223333:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass" },
  });
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

  test("allow no wildcard action except the account-root key administration and endpoint perimeters", () => {
    const wildcards = allows
      .filter((s) => s.sid !== "AccountAdministersKeyThroughIam" && !isEndpointPerimeter(s))
      .flatMap((s) => (s.actions ?? []).filter((a: string) => a.includes("*")).map((a: string) => `${s.sid}: ${a}`));
    expect(wildcards).toEqual([]);
  });

  test("every VPC endpoint policy statement admits only principals of this account", () => {
    const endpoint = allows.filter((s) => String(s.sid).startsWith("Endpoint"));
    expect(endpoint.length).toBeGreaterThanOrEqual(4); // S3 gateway (2) + sts + logs
    for (const s of endpoint) expect({ sid: s.sid, perimeter: isEndpointPerimeter(s) }).toEqual({ sid: s.sid, perimeter: true });
  });

  test("grant AWS \"*\" only in the volume key's kms:ViaService statement and endpoint perimeters", () => {
    const open = allows.filter((s) => !isEndpointPerimeter(s) && (s.principals ?? []).some((p: { type: string; identifiers: string[] }) => p.identifiers.includes("*")));
    expect(open.map((s) => s.sid)).toEqual(["ServicesOfThisAccount"]);
    expect(JSON.stringify(open[0].condition)).toContain("ec2.${data.aws_region.Cluster_VolumeKey_Region_");
  });
});
