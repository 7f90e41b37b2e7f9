import { Testing } from "cdktf";
import { KarpenterNodePool, KarpenterNodePoolProps } from "../../../../constructs/addons/karpenter/karpenter-node-pool";
import { twoStacks } from "../../kubernetes/fixtures";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0000-1111";

function build(props: Partial<KarpenterNodePoolProps> = {}) {
  const { crStack, installer } = twoStacks();
  const pool = new KarpenterNodePool(crStack, "Workloads", {
    karpenter: installer,
    clusterName: "dev-platform",
    nodeRoleName: "dev-nodes",
    volumeKmsKeyArn: KEY,
    instanceFamilies: ["m7i", "m6i"],
    limits: { cpu: 32, memoryGiB: 128 },
    ...props,
  });
  const manifests = Object.values(JSON.parse(Testing.synth(crStack)).resource.kubernetes_manifest) as Array<Record<string, any>>;
  const byKind = Object.fromEntries(manifests.map((m) => [m.manifest.kind, m.manifest]));
  return { pool, nodePool: byKind.NodePool, nodeClass: byKind.EC2NodeClass, manifests };
}

describe("KarpenterNodePool", () => {
  test("requires IMDSv2 with a hop limit of 1, so pods cannot reach the node's credentials", () => {
    expect(build().nodeClass.spec.metadataOptions).toEqual({ httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
  });

  test("tags what it launches with the tags given, and sets no tags without them", () => {
    expect(build().nodeClass.spec.tags).toBeUndefined();
    expect(build({ tags: { Environment: "staging", CostCentre: "cc-1" } }).nodeClass.spec.tags).toEqual({ Environment: "staging", CostCentre: "cc-1" });
  });

  test("encrypts the AL2023 root volume with the customer key on gp3", () => {
    const { nodeClass } = build();
    // Pinned by default to the reviewed release, never `latest` (which would roll every node on each AWS release).
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: "al2023@v20260714" }]);
    expect(nodeClass.spec.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "80Gi", volumeType: "gp3", encrypted: true, kmsKeyID: KEY, deleteOnTermination: true } },
    ]);
  });

  test("Bottlerocket gets an encrypted OS volume and an encrypted data volume of the given size", () => {
    const { nodeClass } = build({ amiFamily: "Bottlerocket", amiVersion: "1.30.0", volumeSizeGiB: 120 });
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: "bottlerocket@1.30.0" }]);
    expect(nodeClass.spec.blockDeviceMappings.map((b: any) => [b.deviceName, b.ebs.volumeSize, b.ebs.encrypted, b.ebs.kmsKeyID])).toEqual([
      ["/dev/xvda", "4Gi", true, KEY],
      ["/dev/xvdb", "120Gi", true, KEY],
    ]);
  });

  test("launches only into discovery-tagged subnets and security groups, without public IPs, as the node role", () => {
    const { nodeClass } = build();
    const discovery = [{ tags: { "karpenter.sh/discovery": "dev-platform" } }];
    expect(nodeClass.spec.subnetSelectorTerms).toEqual(discovery);
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual(discovery);
    expect(nodeClass.spec.associatePublicIPAddress).toBe(false);
    expect(nodeClass.spec.role).toBe("dev-nodes");
  });

  test("defaults: spot then on-demand, amd64 Linux, consolidation with a 10% budget, 30-day expiry", () => {
    const { nodePool, pool } = build();
    expect(nodePool.metadata.name).toBe("workloads");
    expect(pool.capacityTypes).toEqual(["spot", "on-demand"]);
    expect(nodePool.spec.template.spec.requirements).toEqual([
      { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i", "m6i"] },
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
      { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
      { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    ]);
    expect(nodePool.spec.disruption).toEqual({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] });
    expect(nodePool.spec.template.spec.expireAfter).toBe("720h");
    expect(nodePool.spec.limits).toEqual({ cpu: "32", memory: "128Gi" });
    expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "workloads" });
  });

  test("options: capacity, architectures, labels, taints, disruption budgets with a schedule", () => {
    const { nodePool } = build({
      name: "batch",
      capacityTypes: ["on-demand"],
      architectures: ["arm64"],
      labels: { "sre-platform.io/node-role": "batch" },
      taints: [{ key: "batch", value: "true", effect: "NoSchedule" }],
      disruption: { consolidationPolicy: "WhenEmpty", budgets: [{ nodes: "0", schedule: "0 9 * * mon-fri", duration: "8h" }, { nodes: "1" }] },
    });
    expect(nodePool.metadata.name).toBe("batch");
    expect(nodePool.spec.template.spec.requirements[1].values).toEqual(["on-demand"]);
    expect(nodePool.spec.template.spec.requirements[2].values).toEqual(["arm64"]);
    expect(nodePool.spec.template.metadata.labels).toEqual({ "sre-platform.io/node-role": "batch" });
    expect(nodePool.spec.template.spec.taints).toEqual([{ key: "batch", value: "true", effect: "NoSchedule" }]);
    expect(nodePool.spec.disruption.budgets).toEqual([{ nodes: "0", schedule: "0 9 * * mon-fri", duration: "8h" }, { nodes: "1" }]);
  });

  test("the NodePool waits for its EC2NodeClass", () => {
    const { manifests } = build();
    const pool = manifests.find((m) => m.manifest.kind === "NodePool")!;
    expect(pool.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.Workloads_NodeClass_Manifest/)]);
  });

  const rules: Array<[string, Partial<KarpenterNodePoolProps>, RegExp]> = [
    ["no instance family is given", { instanceFamilies: [] }, /instanceFamilies: got \[\]; allowed: at least one EC2 instance family/],
    ["an instance family is an instance type", { instanceFamilies: ["m7i.large"] }, /instanceFamilies\[0\]: got "m7i\.large"; allowed: an EC2 instance family/],
    ["the AMI family is unknown", { amiFamily: "Ubuntu" as never }, /amiFamily: got "Ubuntu"; allowed: AL2023, Bottlerocket/],
    ["the AMI version is not a release", { amiVersion: "newest" }, /amiVersion: got "newest"/],
    ["no capacity type is given", { capacityTypes: [] }, /capacityTypes: got \[\]; allowed: at least one of spot, on-demand/],
    ["a capacity type is unknown", { capacityTypes: ["reserved" as never] }, /capacityTypes\[0\]: got "reserved"/],
    ["an architecture is unknown", { architectures: ["x86" as never] }, /architectures\[0\]: got "x86"; allowed: amd64, arm64/],
    ["the CPU limit is not a whole number", { limits: { cpu: 0.5, memoryGiB: 8 } }, /limits\.cpu: got 0\.5/],
    ["the memory limit is zero", { limits: { cpu: 8, memoryGiB: 0 } }, /limits\.memoryGiB: got 0/],
    ["the volume is too small", { volumeSizeGiB: 8 }, /volumeSizeGiB: got 8; allowed: a whole number of GiB from 20 to 16384/],
    ["the consolidation policy is unknown", { disruption: { consolidationPolicy: "Always" as never } }, /disruption\.consolidationPolicy: got "Always"/],
    ["a duration is not a duration", { disruption: { expireAfter: "30 days" } }, /disruption\.expireAfter: got "30 days"; allowed: a duration such as 30s, 10m or 720h, or Never/],
    ["a budget is neither a count nor a percentage", { disruption: { budgets: [{ nodes: "110%" }] } }, /disruption\.budgets\[0\]\.nodes: got "110%"/],
    ["a budget has a schedule without a duration", { disruption: { budgets: [{ nodes: "0", schedule: "@daily" }] } }, /disruption\.budgets\[0\]\.schedule: got "@daily"; allowed: schedule and duration together/],
    ["a label is in a domain Karpenter owns", { labels: { "karpenter.sh/capacity-type": "spot" } }, /labels\.karpenter\.sh\/capacity-type: got "karpenter\.sh\/capacity-type"; allowed: a label outside/],
    ["a label value is invalid", { labels: { team: "a b" } }, /labels\.team: got "a b"; allowed: a Kubernetes label value/],
    ["the volume key is not a key ARN", { volumeKmsKeyArn: "alias/ebs" }, /volumeKmsKeyArn: got "alias\/ebs"; allowed: a KMS key ARN/],
    ["the pool name is not a DNS label", { name: "Work_Loads" }, /: name: got "Work_Loads"; allowed: an RFC 1123 label/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test("fails naming the construct path", () => {
    expect(() => build({ instanceFamilies: ["m7i.large"] })).toThrow(/^resources\/Workloads: /);
  });
});
