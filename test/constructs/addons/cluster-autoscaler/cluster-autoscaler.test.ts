import { SUPPORTED_KUBERNETES_VERSIONS } from "../../../../lib/eks/versions";
import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { CLUSTER_AUTOSCALER_DEFAULTS, CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterAutoscaler, ClusterAutoscalerProps, validateClusterAutoscalerProps } from "../../../../constructs/addons/cluster-autoscaler/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_CHART_KEYS } from "../chart-keys";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";

function build(props: Partial<ClusterAutoscalerProps> = {}, stackSetup?: (stack: TerraformStack) => Partial<ClusterAutoscalerProps>) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const extra = stackSetup ? stackSetup(stack) : {};
  new ClusterAutoscaler(stack, "ClusterAutoscaler", { cluster: fakeCluster(), ...props, ...extra });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const release = Object.values(parsed.resource.helm_release)[0] as { values: string[] };
  return { json, parsed, values: parse(release.values[0]), statements: policyStatements(parsed) };
}

function permissionStatements(statements: Array<Record<string, any>>) {
  return statements.filter((s) => s.sid !== "ServiceAccountWebIdentity");
}

describe("ClusterAutoscaler", () => {
  test("pins the kubernetes/autoscaler chart into kube-system", () => {
    expect(build().json).toHaveResourceWithProperties(Release, {
      chart: "cluster-autoscaler",
      repository: "https://kubernetes.github.io/autoscaler",
      version: "9.59.0",
      namespace: "kube-system",
    });
    expect(CLUSTER_AUTOSCALER_DEFAULTS.version).toBe("9.59.0");
  });

  test("discovers this cluster's node groups in the cluster's region", () => {
    const { values } = build();
    expect(values.cloudProvider).toBe("aws");
    expect(values.autoDiscovery).toEqual({ clusterName: "test" });
    expect(values.awsRegion).toBe("eu-west-1");
  });

  test("reads the region from a cross-stack cluster ARN at apply time", () => {
    const { values } = build({}, (stack) => ({
      cluster: fakeCluster({ clusterArn: new TerraformVariable(stack, "clusterArn", { type: "string" }).stringValue }),
    }));
    expect(values.awsRegion).toBe('${element(split(":", var.clusterArn), 3)}');
  });

  test("scales in past system pods, balances similar groups, expands by least waste", () => {
    expect(build().values.extraArgs).toEqual({ expander: "least-waste", "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false });
    expect(build({ expander: "priority" }).values.extraArgs.expander).toBe("priority");
  });

  test("runs two hardened replicas on the system node group", () => {
    const { values } = build();
    expect(values.replicaCount).toBe(2);
    expect(values.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }));
    expect(values.containerSecurityContext).toEqual(
      expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } }),
    );
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] },
    ]);
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("runs the release of the cluster's own Kubernetes minor, unless a tag is given", () => {
    expect(build().values.image).toEqual({ tag: expect.stringMatching(/^v1\.33\.\d+$/) });
    expect(build({ cluster: fakeCluster({ kubernetesVersion: "1.31" }) }).values.image).toEqual({ tag: expect.stringMatching(/^v1\.31\.\d+$/) });
    expect(build({ imageTag: "v1.33.2" }).values.image).toEqual({ tag: "v1.33.2" });
  });

  test("pins the image by digest when one is given, keeping the tag for readers", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(build({ imageTag: "v1.33.2", imageDigest: digest }).values.image).toEqual({ tag: `v1.33.2@${digest}` });
  });

  test("fails when the image digest is not a sha256 digest", () => {
    expect(() => build({ imageDigest: "latest" })).toThrow(/imageDigest: got "latest"; allowed: an image digest/);
  });

  test("has a release for every Kubernetes version the platform supports", () => {
    for (const v of SUPPORTED_KUBERNETES_VERSIONS) expect([v, CLUSTER_AUTOSCALER_IMAGE_TAGS[v]]).toEqual([v, expect.stringMatching(new RegExp(`^v${v.replace(".", "\\.")}\\.\\d+$`))]);
  });

  test("keeps the chart's image for a Kubernetes version it has no release for", () => {
    expect(build({ cluster: fakeCluster({ kubernetesVersion: "1.99" }) }).values.image).toBeUndefined();
  });

  test("annotates the chart's service account with its IRSA role, trusted through sub and aud", () => {
    const { values, statements } = build();
    expect(values.rbac.serviceAccount.name).toBe("cluster-autoscaler");
    expect(values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\./);
    const trust = statements.find((s) => s.sid === "ServiceAccountWebIdentity")!;
    const variables = trust.condition.map((c: any) => c.variable);
    expect(variables.some((v: string) => v.endsWith(":sub"))).toBe(true);
    expect(variables.some((v: string) => v.endsWith(":aud"))).toBe(true);
    expect(JSON.stringify(trust.condition)).toContain("system:serviceaccount:kube-system:cluster-autoscaler");
  });

  test("may scale only Auto Scaling groups tagged for this cluster", () => {
    const writes = permissionStatements(build().statements).filter((s) => s.actions.some((a: string) => !/:(Describe|Get)/.test(a)));
    expect(writes.map((s) => s.sid)).toEqual(["ScaleOwnAutoScalingGroupsOnly"]);
    expect(writes[0].condition).toEqual([{ test: "StringEquals", variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/test", values: ["owned"] }]);
    expect(writes[0].resources).toEqual(["arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:*:autoScalingGroupName/*"]);
  });

  test("grants no '*' action, and resource '*' only to reads", () => {
    const statements = permissionStatements(build().statements);
    for (const action of statements.flatMap((s) => s.actions)) expect(action).not.toMatch(/(^\*$|:\*$)/);
    for (const s of statements.filter((st) => st.resources.includes("*"))) {
      for (const action of s.actions) expect(action).toMatch(/:(Describe|Get)/);
    }
  });

  test("writes only keys the chart knows", () => {
    expect(unknownTopLevelKeys(build({ imageTag: "v1.33.2" }).values, CLUSTER_AUTOSCALER_CHART_KEYS)).toEqual([]);
  });

  test("fails when the image tag is not an exact release", () => {
    expect(() => build({ imageTag: "latest" })).toThrow(/imageTag: got "latest"/);
  });

  test("fails when replicas is below one", () => {
    expect(() => build({ replicas: 0 })).toThrow(/replicas: got 0/);
  });

  test("fails when the expander is unknown", () => {
    expect(validateClusterAutoscalerProps({ cluster: fakeCluster(), expander: "cheapest" as any })).toEqual([expect.objectContaining({ path: "expander" })]);
  });

  test("fails when the system node labels are empty", () => {
    expect(() => build({ systemNodePlacement: { nodeLabels: {} } })).toThrow(/systemNodePlacement.nodeLabels: got \{\}/);
  });

  test("fails when a caller override renames the service account the role trusts", () => {
    expect(() => build({ values: { rbac: { serviceAccount: { name: "x" } } } })).toThrow(/values.rbac.serviceAccount.name: got "x"/);
  });
});
