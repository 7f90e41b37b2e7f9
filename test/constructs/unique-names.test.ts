import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster } from "../../constructs/cluster/eks-cluster";
import { Network } from "../../constructs/network/network";
import { SecureBucket } from "../../constructs/storage/secure-bucket";
import { Storage } from "../../constructs/storage/storage";
import { uniqueName } from "../../lib/naming/unique-name";
import { fakeCluster } from "../support/fakes";

/**
 * Resource attributes that name something unique in an AWS account (or account and region). Attributes
 * ending in `_prefix` are left out: Terraform appends a unique suffix to them.
 */
const ACCOUNT_GLOBAL_NAMES: Record<string, string> = {
  aws_kms_alias: "name",
  aws_iam_role: "name",
  aws_iam_policy: "name",
  aws_cloudwatch_log_group: "name",
  aws_s3_bucket: "bucket",
  aws_sqs_queue: "name",
  aws_cloudwatch_event_rule: "name",
  aws_eks_cluster: "name",
  aws_launch_template: "name",
};

/** Two teams, same code, same construct ids: only the stack names (and the cluster names EKS requires) differ. */
function teamStack(app: ReturnType<typeof Testing.app>, team: string) {
  const stack = new TerraformStack(app, team);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const network = new Network(stack, "Network", { vpcCidr: "10.50.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] });
  const cluster = new EksCluster(stack, "Eks", {
    network,
    clusterName: `${team}-eks`,
    kubernetesVersion: "1.33",
    nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 3 }],
    deployRoleArn: "arn:aws:iam::111122223333:role/deploy",
  });
  new Storage(stack, "Storage", { network, cluster: fakeCluster(), keyAdministration: { adminRoleArns: ["arn:aws:iam::111122223333:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass" } });
  new SecureBucket(stack, "Bucket", {});
  void cluster;
  return JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

test("two stacks side by side with the same construct ids derive no account-global name twice", () => {
  const app = Testing.app();
  const seen = new Map<string, string>();
  const collisions: string[] = [];
  let checked = 0;
  for (const team of ["team-a", "team-b"]) {
    const { resource } = teamStack(app, team);
    for (const [type, attr] of Object.entries(ACCOUNT_GLOBAL_NAMES)) {
      for (const [id, r] of Object.entries(resource[type] ?? {})) {
        const name = r[attr];
        if (typeof name !== "string") continue;
        checked++;
        const key = `${type}.${attr}=${name}`;
        const other = seen.get(key);
        if (other !== undefined) collisions.push(`${key}: ${other} and ${team}/${id}`);
        seen.set(key, `${team}/${id}`);
      }
    }
  }
  expect(collisions).toEqual([]);
  // The check saw the names that collided before: the flow-log and storage key aliases.
  expect(checked).toBeGreaterThanOrEqual(10);
  expect([...seen.keys()]).toEqual(expect.arrayContaining(["aws_kms_alias.name=alias/team-a-Network/flow-logs", "aws_kms_alias.name=alias/team-b-Network/flow-logs"]));
});

describe("uniqueName", () => {
  test("keeps a path that already fits as the joined segments", () => {
    expect(uniqueName("team-a/Network", { maxLength: 63, allowed: /[a-zA-Z0-9_-]/ })).toBe("team-a-Network");
  });

  test("adds a hash of the path when it folds case, so Team-A and team-a stay apart", () => {
    const rule = { maxLength: 26, allowed: /[a-z0-9-]/i, lowercase: true };
    const upper = uniqueName("Team-A/Storage", rule);
    const lower = uniqueName("team-a/Storage", rule);
    expect(upper).toMatch(/^team-a-storage-[0-9a-f]{8}$/);
    expect(lower).toMatch(/^team-a-storage-[0-9a-f]{8}$/);
    expect(upper).not.toBe(lower);
  });

  test("truncates a long path to the limit, keeping it unique with the hash", () => {
    const rule = { maxLength: 26, allowed: /[a-z0-9-]/ };
    const a = uniqueName(`a/${"x".repeat(40)}/one`, rule);
    const b = uniqueName(`a/${"x".repeat(40)}/two`, rule);
    expect(a.length).toBeLessThanOrEqual(26);
    expect(a).not.toBe(b);
  });

  test("replaces characters a name may not hold", () => {
    expect(uniqueName("team.a/My Net", { maxLength: 63, allowed: /[a-zA-Z0-9-]/ })).toMatch(/^team-a-My-Net-[0-9a-f]{8}$/);
  });
});
