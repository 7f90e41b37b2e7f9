import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Token } from "cdktf";
import {
  MAX_NODE_GROUP_NAME_PREFIX_LENGTH,
  NodeGroupSpec,
  isQualifiedName,
  nodeGroupConstructId,
  validateNodeGroupSpecs,
} from "../../../constructs/cluster/node-group";
import { all, only, synth } from "./helpers";

const base: NodeGroupSpec = { name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4 };

function withGroup(spec: Partial<NodeGroupSpec>) {
  return synth({ nodeGroups: [{ ...base, ...spec }] });
}

describe("ManagedNodeGroup launch template", () => {
  test("tags what it launches with Name only by default, and with the tags given besides", () => {
    const specs = (parsed: any) => Object.fromEntries((only(parsed, "aws_launch_template").tag_specifications as any[]).map((t) => [t.resource_type, t.tags]));
    const plain = specs(synth().parsed);
    expect(Object.keys(plain).sort()).toEqual(["instance", "network-interface", "volume"]);
    for (const tags of Object.values(plain)) expect(Object.keys(tags as object)).toEqual(["Name"]);
    const tagged = specs(synth({ launchedResourceTags: { Environment: "prod", CostCentre: "cc-1", Name: "ignored" } }).parsed);
    for (const tags of Object.values(tagged)) expect(tags).toEqual({ Environment: "prod", CostCentre: "cc-1", Name: expect.not.stringMatching(/^ignored$/) });
  });

  test("requires IMDSv2 with a hop limit of 1", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" },
    });
  });

  test("encrypts a 50 GiB gp3 root volume with the cluster's volume key by default", () => {
    const { parsed, cluster } = synth();
    const keyId = Object.keys(all(parsed, "aws_kms_key")).find((id) => id.includes("VolumeKey"));
    expect(only(parsed, "aws_launch_template").block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_type: "gp3", volume_size: 50, encrypted: "true", kms_key_id: `\${aws_kms_key.${keyId}.arn}`, delete_on_termination: "true" },
      },
    ]);
    expect(cluster.nodeGroups[0]?.diskSizeGiB).toBe(50);
  });

  test("lets the volume key be used through EC2 by this account only (Auto Scaling launches the nodes)", () => {
    const { parsed } = synth();
    const policy = Object.entries(all(parsed, "aws_iam_policy_document", "data")).find(([id]) => id.includes("VolumeKey_Policy"))?.[1];
    const via = policy.statement.find((s: { sid: string }) => s.sid === "ServicesOfThisAccount");
    expect(via.condition.map((c: { variable: string }) => c.variable)).toEqual(["kms:CallerAccount", "kms:ViaService"]);
    expect(JSON.stringify(via.condition)).toContain("ec2.${data.aws_region");
  });

  test("sizes the root volume as asked", () => {
    const { parsed } = withGroup({ diskSizeGiB: 200 });
    expect(only(parsed, "aws_launch_template").block_device_mappings[0].ebs.volume_size).toBe(200);
  });

  test("gives nodes no public IP and no SSH key, and keeps them in the cluster security group", () => {
    const { parsed } = synth();
    const lt = only(parsed, "aws_launch_template");
    expect(lt.key_name).toBeUndefined();
    expect(lt.vpc_security_group_ids).toBeUndefined();
    expect(lt.network_interfaces).toEqual([
      expect.objectContaining({
        associate_public_ip_address: "false",
        device_index: 0,
        security_groups: [expect.stringMatching(/vpc_config\[0\]\.cluster_security_group_id/)],
      }),
    ]);
  });
});

describe("ManagedNodeGroup node group", () => {
  test("uses the launch template's latest version and no remote access", () => {
    const { parsed } = synth();
    const ng = only(parsed, "aws_eks_node_group");
    const ltId = Object.keys(all(parsed, "aws_launch_template"))[0];
    expect(ng.launch_template).toEqual({ id: `\${aws_launch_template.${ltId}.id}`, version: `\${aws_launch_template.${ltId}.latest_version}` });
    expect(ng.remote_access).toBeUndefined();
    expect(ng.disk_size).toBeUndefined();
  });

  test("runs on-demand AL2023 nodes in the private subnets with desired = min by default", () => {
    const { json, cluster } = synth();
    expect(json).toHaveResourceWithProperties(EksNodeGroup, {
      ami_type: "AL2023_x86_64_STANDARD",
      capacity_type: "ON_DEMAND",
      instance_types: ["m7i.large"],
      subnet_ids: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
      scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
      update_config: { max_unavailable_percentage: 33 },
    });
    const group = cluster.nodeGroups[0];
    expect([group?.capacityType, group?.amiType, group?.desiredSize, group?.maxUnavailablePercentage]).toEqual(["ON_DEMAND", "AL2023_x86_64_STANDARD", 2, 33]);
  });

  test("leaves the desired size to the autoscaler after creation", () => {
    const { parsed } = synth();
    expect(only(parsed, "aws_eks_node_group").lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
  });

  test("names the group from a prefix, so a replacement is created before the old group is deleted", () => {
    const { parsed, cluster } = synth();
    const ng = only(parsed, "aws_eks_node_group");
    expect(ng.node_group_name).toBeUndefined();
    expect(ng.node_group_name_prefix).toBe("dev-platform-system-");
    expect(ng.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
    expect(cluster.nodeGroups[0]?.nodeGroupNamePrefix).toBe("dev-platform-system-");
  });

  test("replaces the launch template, should its name prefix change, before the node group moves off it", () => {
    const { parsed } = synth();
    const lt = only(parsed, "aws_launch_template");
    expect(lt.name_prefix).toBe("dev-platform-system-");
    expect(lt.update_default_version).toBe(true);
    expect(lt.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("follows the cluster's Kubernetes version", () => {
    const { parsed } = synth();
    expect(only(parsed, "aws_eks_node_group").version).toMatch(/^\$\{aws_eks_cluster\..+\.version\}$/);
  });

  test("applies every option of the spec", () => {
    const { json } = withGroup({
      capacityType: "SPOT",
      instanceTypes: ["m7g.large", "m6g.large"],
      amiType: "AL2023_ARM_64_STANDARD",
      minSize: 0,
      desiredSize: 1,
      maxSize: 10,
      maxUnavailablePercentage: 50,
      subnetIds: ["subnet-x"],
      labels: { "node.example.com/pool": "batch" },
      taints: [{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }],
    });
    expect(json).toHaveResourceWithProperties(EksNodeGroup, {
      capacity_type: "SPOT",
      instance_types: ["m7g.large", "m6g.large"],
      ami_type: "AL2023_ARM_64_STANDARD",
      scaling_config: { min_size: 0, max_size: 10, desired_size: 1 },
      update_config: { max_unavailable_percentage: 50 },
      subnet_ids: ["subnet-x"],
      labels: { "node.example.com/pool": "batch" },
      taint: [{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }],
    });
  });

  test("sets no labels or taints unless given", () => {
    const { parsed } = synth();
    const ng = only(parsed, "aws_eks_node_group");
    expect(ng.labels).toBeUndefined();
    expect(ng.taint).toBeUndefined();
  });

  test("waits for the VPC CNI, kube-proxy and Pod Identity agent, and CoreDNS and CSI drivers wait for it", () => {
    const { parsed } = synth();
    const ngId = Object.keys(all(parsed, "aws_eks_node_group"))[0];
    const ng = only(parsed, "aws_eks_node_group");
    const addons = all(parsed, "aws_eks_addon");
    const idOf = (name: string) => Object.entries(addons).find(([, a]) => a.addon_name === name)?.[0];
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
      expect(ng.depends_on).toContain(`aws_eks_addon.${idOf(name)}`);
    }
    for (const name of ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver"]) {
      // Add-ons with an IRSA role also wait for its policy attachments.
      const nodeGroups = (addons[idOf(name)!].depends_on as string[]).filter((d) => d.startsWith("aws_eks_node_group."));
      expect(nodeGroups).toEqual([`aws_eks_node_group.${ngId}`]);
    }
  });

  test("builds one node group per spec with PascalCase construct ids", () => {
    const { parsed } = synth({
      nodeGroups: [base, { name: "general-purpose", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 3 }],
    });
    expect(Object.keys(all(parsed, "aws_eks_node_group")).map((id) => id.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "Eks_NodeGroupGeneralPurpose_NodeGroup",
      "Eks_NodeGroupSystem_NodeGroup",
    ]);
    expect(nodeGroupConstructId("general-purpose")).toBe("NodeGroupGeneralPurpose");
  });
});

describe("validateNodeGroupSpecs", () => {
  const paths = (specs: NodeGroupSpec[]) => validateNodeGroupSpecs(specs).map((p) => p.path);
  const one = (spec: Partial<NodeGroupSpec>) => paths([{ ...base, ...spec }]);

  test("accepts a valid spec", () => {
    expect(validateNodeGroupSpecs([base])).toEqual([]);
  });

  test("fails when there is no node group", () => {
    expect(paths([])).toEqual(["nodeGroups"]);
  });

  test("fails when a name is not a lowercase DNS-style name", () => {
    expect(one({ name: "System_1" })).toEqual(["nodeGroups[0].name"]);
  });

  test("fails when two node groups share a name", () => {
    expect(paths([base, { ...base }])).toEqual(["nodeGroups[1].name"]);
  });

  test("fails when two names map to the same construct id", () => {
    expect(paths([{ ...base, name: "pool-1" }, { ...base, name: "pool1" }])).toEqual(["nodeGroups[1].name"]);
  });

  test("fails when instanceTypes is empty", () => {
    expect(one({ instanceTypes: [] })).toEqual(["nodeGroups[0].instanceTypes"]);
  });

  test("fails when an instance type is malformed", () => {
    expect(one({ instanceTypes: ["m7i.large", "large"] })).toEqual(["nodeGroups[0].instanceTypes[1]"]);
  });

  test("fails when minSize is negative", () => {
    expect(one({ minSize: -1, desiredSize: 0 })).toEqual(["nodeGroups[0].minSize"]);
  });

  test("fails when maxSize is below 1", () => {
    expect(one({ minSize: 0, maxSize: 0 })).toEqual(["nodeGroups[0].maxSize"]);
  });

  test("fails when minSize exceeds maxSize", () => {
    expect(one({ minSize: 5, maxSize: 4, desiredSize: 4 })).toEqual(["nodeGroups[0].minSize", "nodeGroups[0].desiredSize"]);
  });

  test("fails when desiredSize is outside min..max", () => {
    expect(one({ desiredSize: 5 })).toEqual(["nodeGroups[0].desiredSize"]);
    expect(one({ desiredSize: 1 })).toEqual(["nodeGroups[0].desiredSize"]);
  });

  test("fails when diskSizeGiB is below the AMI's 20 GiB or not whole", () => {
    expect(one({ diskSizeGiB: 10 })).toEqual(["nodeGroups[0].diskSizeGiB"]);
    expect(one({ diskSizeGiB: 50.5 })).toEqual(["nodeGroups[0].diskSizeGiB"]);
  });

  test("fails when the AMI type is not an AL2023 type", () => {
    const problems = validateNodeGroupSpecs([{ ...base, amiType: "AL2_x86_64" as never }]);
    expect(problems).toEqual([expect.objectContaining({ path: "nodeGroups[0].amiType", allowed: expect.stringContaining("AL2023_x86_64_STANDARD") })]);
  });

  test("fails when the capacity type is unknown", () => {
    expect(one({ capacityType: "RESERVED" as never })).toEqual(["nodeGroups[0].capacityType"]);
  });

  test("fails when maxUnavailablePercentage is outside 1–100", () => {
    expect(one({ maxUnavailablePercentage: 0 })).toEqual(["nodeGroups[0].maxUnavailablePercentage"]);
  });

  test("fails when subnetIds is given empty", () => {
    expect(one({ subnetIds: [] })).toEqual(["nodeGroups[0].subnetIds"]);
  });

  test("fails when a label key is not a qualified name", () => {
    expect(one({ labels: { "bad key": "x" } })).toEqual(["nodeGroups[0].labels"]);
  });

  test("fails when a label value is not a valid label value", () => {
    expect(one({ labels: { team: "-bad-" } })).toEqual(["nodeGroups[0].labels.team"]);
  });

  test("fails when a taint key is not a qualified name", () => {
    expect(one({ taints: [{ key: "a/b/c", effect: "NO_SCHEDULE" }] })).toEqual(["nodeGroups[0].taints[0].key"]);
  });

  test("fails when a taint value is too long", () => {
    expect(one({ taints: [{ key: "k", value: "x".repeat(64), effect: "NO_EXECUTE" }] })).toEqual(["nodeGroups[0].taints[0].value"]);
  });

  test("fails when a taint effect is not an EKS effect", () => {
    expect(one({ taints: [{ key: "k", effect: "NoSchedule" as never }] })).toEqual(["nodeGroups[0].taints[0].effect"]);
  });

  test("recognises Kubernetes qualified names", () => {
    expect(["app", "example.com/app", "a.b-c_d", "x".repeat(63)].every(isQualifiedName)).toBe(true);
    expect(["", "/app", "Example.com/app", "-app", "x".repeat(64), "a/b/c"].some(isQualifiedName)).toBe(false);
  });

  test("fails when the generated node group name would exceed EKS's 63 characters", () => {
    expect(MAX_NODE_GROUP_NAME_PREFIX_LENGTH).toBe(37);
    // "dev-platform-" + 23 + "-" = 37 characters: the longest accepted prefix.
    expect(validateNodeGroupSpecs([{ ...base, name: "a".repeat(23) }], "dev-platform")).toEqual([]);
    expect(validateNodeGroupSpecs([{ ...base, name: "a".repeat(24) }], "dev-platform")).toEqual([
      expect.objectContaining({ path: "nodeGroups[0].name", value: "a".repeat(24) }),
    ]);
    expect(() => withGroup({ name: "a".repeat(24) })).toThrow(
      /nodeGroups\[0\]\.name: got "a{24}"; allowed: a name whose node group name prefix "dev-platform-a{24}-" \(38 characters\) is at most 37/,
    );
  });

  test("skips the name length check for a cluster name known only to Terraform", () => {
    expect(validateNodeGroupSpecs([{ ...base, name: "a".repeat(40) }], Token.asString({ Ref: "x" }))).toEqual([]);
  });

  test("the cluster refuses to build with a bad node group, naming the field", () => {
    expect(() => withGroup({ minSize: 3, maxSize: 2, desiredSize: 2 })).toThrow(/nodeGroups\[0\]\.minSize: got 3; allowed: at most maxSize \(2\)/);
  });
});
