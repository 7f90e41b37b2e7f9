import { Testing, TerraformStack } from "cdktf";
import { NodeAutoscaling, NodeAutoscalingProps, validateNodeAutoscalingProps } from "../../../../constructs/addons/node-autoscaling/node-autoscaling";
import { fakeCluster } from "../fake-cluster";

const NODE_ROLE = "arn:aws:iam::111122223333:role/test-karpenter-node";

function build(props: Omit<NodeAutoscalingProps, "cluster">) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const scaling = new NodeAutoscaling(stack, "NodeAutoscaling", { cluster: fakeCluster(), ...props });
  return { scaling, parsed: JSON.parse(Testing.synth(stack)) };
}

function charts(parsed: any): string[] {
  return Object.values(parsed.resource.helm_release).map((r: any) => r.chart);
}

describe("NodeAutoscaling", () => {
  test("installs Karpenter only when the environment chose it", () => {
    const { scaling, parsed } = build({ autoscaler: "karpenter", karpenter: { nodeRoleArn: NODE_ROLE } });
    expect(charts(parsed)).toEqual(["karpenter"]);
    expect(scaling.karpenter).toBeDefined();
    expect(scaling.clusterAutoscaler).toBeUndefined();
    expect(scaling.fqn).toBe(scaling.karpenter!.fqn);
  });

  test("installs the Cluster Autoscaler only when the environment chose it", () => {
    const { scaling, parsed } = build({ autoscaler: "cluster-autoscaler" });
    expect(charts(parsed)).toEqual(["cluster-autoscaler"]);
    expect(parsed.resource.aws_sqs_queue).toBeUndefined();
    expect(scaling.fqn).toBe(scaling.clusterAutoscaler!.fqn);
  });

  test("passes dependsOn through to the chosen autoscaler's release", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const first = new NodeAutoscaling(stack, "First", { cluster: fakeCluster(), autoscaler: "cluster-autoscaler" });
    new NodeAutoscaling(stack, "Second", { cluster: fakeCluster(), autoscaler: "cluster-autoscaler", dependsOn: [first] });
    const releases = Object.values(JSON.parse(Testing.synth(stack)).resource.helm_release) as any[];
    const firstAddress = `helm_release.${stack.getLogicalId(first.clusterAutoscaler!.addon.release!)}`;
    expect(releases.filter((r) => (r.depends_on ?? []).includes(firstAddress))).toHaveLength(1);
  });

  test("fails when Karpenter is chosen without a node role", () => {
    expect(() => build({ autoscaler: "karpenter" })).toThrow(/karpenter.nodeRoleArn: got nothing/);
  });

  test("fails when the autoscaler is unknown", () => {
    expect(validateNodeAutoscalingProps({ cluster: fakeCluster(), autoscaler: "keda" as any })).toEqual([expect.objectContaining({ path: "autoscaler", value: "keda" })]);
  });

  test("fails when settings are given for the autoscaler not chosen", () => {
    expect(() => build({ autoscaler: "cluster-autoscaler", karpenter: { nodeRoleArn: NODE_ROLE } })).toThrow(/karpenter: got "\(settings\)"/);
    expect(() => build({ autoscaler: "karpenter", karpenter: { nodeRoleArn: NODE_ROLE }, clusterAutoscaler: {} })).toThrow(/clusterAutoscaler: got/);
  });
});
