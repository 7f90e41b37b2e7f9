import { Testing, TerraformStack } from "cdktf";
import { PodIdentityRole, PodIdentityRoleProps } from "../../../constructs/common/pod-identity-role";

const CLUSTER_ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/test";

function build(props: Partial<PodIdentityRoleProps> | undefined) {
  const stack = new TerraformStack(Testing.app(), "test");
  new PodIdentityRole(stack, "Role", props as PodIdentityRoleProps);
  return JSON.parse(Testing.synth(stack));
}

describe("PodIdentityRole", () => {
  test("trusts Pod Identity only for this cluster, namespace and service account", () => {
    const parsed = build({ clusterArn: CLUSTER_ARN, namespace: "kube-system", serviceAccount: "efs-csi-controller-sa" });
    const trust = Object.values(parsed.data.aws_iam_policy_document)[0] as any;
    const conditions = Object.fromEntries(trust.statement[0].condition.map((c: any) => [c.variable, c.values]));
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }]);
    expect(conditions["aws:SourceArn"]).toEqual([CLUSTER_ARN]);
    expect(conditions["aws:RequestTag/kubernetes-namespace"]).toEqual(["kube-system"]);
    expect(conditions["aws:RequestTag/kubernetes-service-account"]).toEqual(["efs-csi-controller-sa"]);
  });

  test("fails naming every missing prop instead of trusting the literal 'undefined'", () => {
    expect(() => build({ clusterArn: CLUSTER_ARN })).toThrow(/namespace: got nothing[\s\S]*serviceAccount: got nothing/);
  });

  test("fails when the cluster ARN is not an EKS cluster ARN", () => {
    expect(() => build({ clusterArn: "test", namespace: "a", serviceAccount: "b" })).toThrow(/clusterArn: got "test"; allowed: an EKS cluster ARN/);
  });

  test("fails when the namespace is not a namespace name", () => {
    expect(() => build({ clusterArn: CLUSTER_ARN, namespace: "Kube_System", serviceAccount: "b" })).toThrow(/namespace: got "Kube_System"/);
  });
});
