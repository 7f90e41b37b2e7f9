import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { parse } from "yaml";
import { Karpenter, KARPENTER_DEFAULTS, KarpenterProps, validateKarpenterProps } from "../../../../constructs/addons/karpenter/karpenter";
import { KARPENTER_CHART_KEYS } from "../chart-keys";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";
import { isExactVersion } from "../../../../constructs/addons/helm-addon";

const NODE_ROLE = "arn:aws:iam::111122223333:role/test-karpenter-node";

function build(props: Partial<KarpenterProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const karpenter = new Karpenter(stack, "Karpenter", { cluster: fakeCluster(), nodeRoleArn: NODE_ROLE, ...props });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const release = Object.values(parsed.resource.helm_release)[0] as { values: string[]; depends_on?: string[] };
  return { stack, karpenter, json, parsed, release, values: parse(release.values[0]), statements: policyStatements(parsed) };
}

/** Statements of the controller's permission policy (not the trust policy, not the queue policy). */
function controllerStatements(statements: Array<Record<string, any>>) {
  return statements.filter((s) => s.sid !== "ServiceAccountWebIdentity" && s.sid !== "EventBridgeRulesOfThisClusterOnly" && s.sid !== "DenyInsecureTransport");
}

describe("Karpenter", () => {
  test("may use the node volume key only through EC2, and only when one is given", () => {
    const key = "arn:aws:kms:eu-west-1:111122223333:key/abcd";
    const kms = (statements: Array<Record<string, any>>) => statements.filter((s) => s.actions.some((a: string) => a.startsWith("kms:")));
    expect(kms(build().statements)).toEqual([]);
    const granted = kms(build({ volumeKmsKeyArn: key }).statements);
    expect(granted.map((s) => s.sid)).toEqual(["EncryptNodeVolumesWithTheVolumeKey", "GrantTheVolumeKeyToEc2"]);
    for (const s of granted) {
      expect(s.resources).toEqual([key]);
      expect(s.condition).toContainEqual({ test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-west-1.amazonaws.com"] });
    }
    expect(granted[1]!.condition).toContainEqual({ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] });
  });

  test("keeps the chart's controller image, which the Karpenter chart pins by digest", () => {
    expect(build().values.controller?.image).toBeUndefined();
  });

  test("pins the OCI chart from public ECR into kube-system", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(Release, {
      chart: "karpenter",
      repository: "oci://public.ecr.aws/karpenter",
      version: KARPENTER_DEFAULTS.version,
      namespace: "kube-system",
    });
    expect(isExactVersion(KARPENTER_DEFAULTS.version)).toBe(true);
  });

  test("sets clusterName, clusterEndpoint and the interruption queue", () => {
    const { values, parsed, stack, karpenter } = build();
    expect(values.settings.clusterName).toBe("test");
    expect(values.settings.clusterEndpoint).toBe("https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com");
    expect(values.settings.interruptionQueue).toBe(`\${aws_sqs_queue.${stack.getLogicalId(karpenter.interruptionQueue!)}.name}`);
    expect(parsed.resource.aws_sqs_queue).toBeDefined();
  });

  test("keeps the interruption queue encrypted and short-lived", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(SqsQueue, { name: "test-karpenter", sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
  });

  test("routes spot interruption, rebalance, state-change and health events to the queue", () => {
    const { parsed } = build();
    const patterns = Object.values(parsed.resource.aws_cloudwatch_event_rule).map((r: any) => JSON.parse(r.event_pattern)["detail-type"][0]);
    expect(patterns).toEqual(
      expect.arrayContaining([
        "EC2 Spot Instance Interruption Warning",
        "EC2 Instance Rebalance Recommendation",
        "EC2 Instance State-change Notification",
        "AWS Health Event",
      ]),
    );
    expect(Object.keys(parsed.resource.aws_cloudwatch_event_target)).toHaveLength(patterns.length);
  });

  test("lets only this cluster's rules send to the queue and denies plain HTTP", () => {
    const { statements } = build();
    const send = statements.find((s) => s.sid === "EventBridgeRulesOfThisClusterOnly")!;
    expect(send.actions).toEqual(["sqs:SendMessage"]);
    expect(send.condition[0]).toEqual(expect.objectContaining({ test: "ArnEquals", variable: "aws:SourceArn" }));
    expect(send.condition[0].values).toHaveLength(5);
    expect(statements.find((s) => s.sid === "DenyInsecureTransport")).toEqual(expect.objectContaining({ effect: "Deny" }));
  });

  test("makes no queue or rules when interruption handling is off", () => {
    const { json, values } = build({ interruptionHandling: false });
    expect(json).not.toHaveResource(SqsQueue);
    expect(json).not.toHaveResource(CloudwatchEventRule);
    expect(values.settings.interruptionQueue).toBe("");
  });

  test("gives the node role an EC2_LINUX access entry and installs after it", () => {
    const { json, release } = build();
    expect(json).toHaveResourceWithProperties(EksAccessEntry, { cluster_name: "test", principal_arn: NODE_ROLE, type: "EC2_LINUX" });
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_access_entry\./)]));
  });

  test("tags the cluster security group for discovery, unless asked not to", () => {
    expect(build().json).toHaveResourceWithProperties(Ec2Tag, { resource_id: "sg-0123456789abcdef0", key: "karpenter.sh/discovery", value: "test" });
    expect(build({ tagClusterSecurityGroup: false }).json).not.toHaveResource(Ec2Tag);
  });

  test("skips the access entry when asked", () => {
    expect(build({ createNodeAccessEntry: false }).json).not.toHaveResource(EksAccessEntry);
  });

  test("trusts exactly kube-system/karpenter through sub and aud", () => {
    const { statements, values } = build();
    const trust = statements.find((s) => s.sid === "ServiceAccountWebIdentity")!;
    expect(trust.condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ variable: expect.stringMatching(/:sub$/), values: ["system:serviceaccount:kube-system:karpenter"] }),
        expect.objectContaining({ variable: expect.stringMatching(/:aud$/), values: ["sts.amazonaws.com"] }),
      ]),
    );
    expect(values.serviceAccount.name).toBe("karpenter");
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\./);
  });

  test("grants no '*' action and no service-wide wildcard", () => {
    const actions = controllerStatements(build().statements).flatMap((s) => s.actions);
    expect(actions.length).toBeGreaterThan(20);
    for (const action of actions) expect(action).not.toMatch(/(^\*$|:\*$)/);
  });

  test("uses resource '*' only for read actions", () => {
    const unscoped = controllerStatements(build().statements).filter((s) => s.resources.includes("*"));
    for (const action of unscoped.flatMap((s) => s.actions)) expect(action).toMatch(/:(Describe|Get|List)/);
  });

  test("conditions every EC2 write on the cluster's tags", () => {
    const writes = controllerStatements(build().statements).filter((s) => s.actions.some((a: string) => /^ec2:(Create|Run|Terminate|Delete)/.test(a)));
    const unconditioned = writes.filter((s) => !s.condition).map((s) => s.sid);
    // AMIs, snapshots, reservations and placement groups are AWS-owned or shared and carry no tags of ours.
    expect(unconditioned).toEqual(["LaunchFromImagesAndReservations"]);
    const variables = writes.flatMap((s) => (s.condition ?? []).map((c: any) => c.variable));
    expect(variables).toEqual(expect.arrayContaining(["aws:ResourceTag/kubernetes.io/cluster/test", "aws:RequestTag/kubernetes.io/cluster/test", "aws:ResourceTag/karpenter.sh/discovery"]));
  });

  test("passes only the node role, and only to EC2", () => {
    const pass = controllerStatements(build().statements).filter((s) => s.actions.includes("iam:PassRole"));
    expect(pass).toHaveLength(1);
    expect(pass[0].resources).toEqual([NODE_ROLE]);
    expect(pass[0].condition[0]).toEqual(expect.objectContaining({ variable: "iam:PassedToService", values: expect.arrayContaining(["ec2.amazonaws.com"]) }));
  });

  test("scopes ARNs to the cluster's partition, region and account", () => {
    const resources = controllerStatements(build().statements).flatMap((s) => s.resources);
    expect(resources).toContain("arn:aws:ec2:eu-west-1:111122223333:subnet/*");
    expect(resources).toContain("arn:aws:iam::111122223333:instance-profile/*");
    expect(resources).toContain("arn:aws:eks:eu-west-1:111122223333:cluster/test");
  });

  test("runs the controller on the system node group, never on Karpenter nodes", () => {
    const { values } = build();
    const expressions = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
    expect(expressions).toEqual([
      { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
      { key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] },
    ]);
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("takes the system node label and tolerations from props", () => {
    const { values } = build({
      systemNodePlacement: { nodeLabels: { "node.sre-platform.io/role": "system" }, tolerations: [{ key: "system", operator: "Equal", value: "true", effect: "NoSchedule" }] },
    });
    const expressions = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
    expect(expressions[1]).toEqual({ key: "node.sre-platform.io/role", operator: "In", values: ["system"] });
    expect(values.tolerations).toEqual([{ key: "system", operator: "Equal", value: "true", effect: "NoSchedule" }]);
  });

  test("sizes the controller as the Karpenter guide does, without a CPU limit", () => {
    const { values } = build();
    expect(values.controller.resources).toEqual({ requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } });
    expect(values.replicas).toBe(2);
  });

  test("writes only keys the chart knows", () => {
    expect(unknownTopLevelKeys(build().values, KARPENTER_CHART_KEYS)).toEqual([]);
  });

  test("builds for a cluster from another stack, whose attributes are tokens", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    const cluster = fakeCluster({ clusterName: v("name"), clusterArn: v("arn"), clusterEndpoint: v("endpoint"), oidcProviderArn: v("oidc"), oidcIssuerUrl: v("issuer") });
    new Karpenter(stack, "Karpenter", { cluster, nodeRoleArn: v("nodeRole") });
    const parsed = JSON.parse(Testing.synth(stack));
    const values = parse((Object.values(parsed.resource.helm_release)[0] as any).values[0]);
    expect(values.settings).toEqual({ clusterName: "${var.name}", clusterEndpoint: "${var.endpoint}", interruptionQueue: expect.stringMatching(/^\$\{aws_sqs_queue\.\w+\.name\}$/) });
    const resources = controllerStatements(policyStatements(parsed)).flatMap((st) => st.resources);
    expect(resources).toContain('arn:${element(split(":", var.arn), 1)}:ec2:${element(split(":", var.arn), 3)}:${element(split(":", var.arn), 4)}:subnet/*');
    expect(resources).toContain("${var.nodeRole}");
  });

  test("fails when nodeRoleArn is not a role ARN", () => {
    expect(() => build({ nodeRoleArn: "arn:aws:iam::111122223333:user/bob" })).toThrow(/nodeRoleArn: got "arn:aws:iam::111122223333:user\/bob"/);
  });

  test("fails when the interruption queue name is not an SQS name", () => {
    expect(() => build({ interruptionQueueName: "bad name" })).toThrow(/interruptionQueueName: got "bad name"/);
  });

  test("fails when replicas is below one", () => {
    expect(validateKarpenterProps({ cluster: fakeCluster(), nodeRoleArn: NODE_ROLE, replicas: 0 })).toEqual([expect.objectContaining({ path: "replicas" })]);
  });

  test("fails when the system node labels are empty", () => {
    expect(() => build({ systemNodePlacement: { nodeLabels: {} } })).toThrow(/systemNodePlacement.nodeLabels: got \{\}/);
  });

  test("fails when a system node label key is invalid", () => {
    expect(() => build({ systemNodePlacement: { nodeLabels: { "bad key": "x" } } })).toThrow(/systemNodePlacement.nodeLabels\["bad key"\]/);
  });

  test("fails when a caller override renames the service account the role trusts", () => {
    expect(() => build({ values: { serviceAccount: { name: "other" } } })).toThrow(/values.serviceAccount.name: got "other"/);
  });
});
