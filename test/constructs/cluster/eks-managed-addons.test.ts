import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { validateAddonSettings } from "../../../constructs/cluster/eks-managed-addons";
import { all, synth } from "./helpers";

type Parsed = ReturnType<typeof synth>["parsed"];

function addon(parsed: Parsed, name: string): any {
  return Object.values(all(parsed, "aws_eks_addon")).find((a) => a.addon_name === name);
}

/** The IRSA trust statement and managed policies of the role behind an add-on. */
function irsa(parsed: Parsed, name: string) {
  const roleRef = addon(parsed, name).service_account_role_arn as string;
  const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(roleRef)?.[1] ?? "";
  const prefix = roleId.replace(/_[0-9A-F]{8}$/, "");
  const trust = Object.entries(all(parsed, "aws_iam_policy_document", "data")).find(([id]) => id.startsWith(`${prefix}_Trust`))?.[1];
  const policies = Object.entries(all(parsed, "aws_iam_role_policy_attachment"))
    .filter(([id]) => id.startsWith(`${prefix}_`))
    .map(([, a]) => a.policy_arn as string);
  const inline = Object.entries(all(parsed, "aws_iam_policy_document", "data")).find(([id]) => id.startsWith(`${prefix}_PolicyDocument`))?.[1];
  return { trust, policies, inline };
}

describe("EksManagedAddons", () => {
  test("installs the six managed add-ons, overwriting conflicts on create and update", () => {
    const { parsed } = synth();
    const addons = Object.values(all(parsed, "aws_eks_addon"));
    expect(addons.map((a) => a.addon_name).sort()).toEqual(
      ["aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"],
    );
    for (const a of addons) {
      expect([a.resolve_conflicts_on_create, a.resolve_conflicts_on_update]).toEqual(["OVERWRITE", "OVERWRITE"]);
    }
  });

  test("turns on network policy enforcement in the VPC CNI", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(EksAddon, { addon_name: "vpc-cni", configuration_values: '{"enableNetworkPolicy":"true"}' });
  });

  test("gives the VPC CNI an IRSA role with the CNI policy, bound to aws-node by sub and aud", () => {
    const { parsed } = synth();
    const { trust, policies } = irsa(parsed, "vpc-cni");
    expect(policies).toEqual([expect.stringMatching(/:iam::aws:policy\/AmazonEKS_CNI_Policy$/)]);
    const conditions = trust.statement[0].condition as Array<{ variable: string; values: string[] }>;
    expect(conditions.find((c) => c.variable.endsWith(":sub"))?.values).toEqual(["system:serviceaccount:kube-system:aws-node"]);
    expect(conditions.find((c) => c.variable.endsWith(":aud"))?.values).toEqual(["sts.amazonaws.com"]);
  });

  test("gives the EBS CSI driver its policy and use of the volume key through grants for AWS resources only", () => {
    const { parsed } = synth();
    const { trust, policies, inline } = irsa(parsed, "aws-ebs-csi-driver");
    expect(policies).toContainEqual(expect.stringMatching(/:iam::aws:policy\/service-role\/AmazonEBSCSIDriverPolicy$/));
    expect(JSON.stringify(trust)).toContain("system:serviceaccount:kube-system:ebs-csi-controller-sa");
    const grant = inline.statement.find((s: { sid: string }) => s.sid === "GrantVolumeKeyToEbs");
    expect(grant.condition).toEqual([{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }]);
    expect(grant.resources).toEqual([expect.stringContaining("aws_kms_key.Eks_VolumeKey")]);
  });

  test("lets the EBS CSI driver use the volume key through exact KMS actions, no wildcard", () => {
    const { parsed } = synth();
    const { inline } = irsa(parsed, "aws-ebs-csi-driver");
    const use = inline.statement.find((s: { sid: string }) => s.sid === "UseVolumeKey");
    expect(use.actions).toEqual(
      expect.arrayContaining(["kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]),
    );
    for (const statement of inline.statement) {
      for (const action of statement.actions) expect(action).not.toContain("*");
    }
  });

  test("gives the EFS CSI controller and node a Pod Identity role each, bound to their own service account", () => {
    const { parsed } = synth();
    const efs = addon(parsed, "aws-efs-csi-driver");
    expect(efs.service_account_role_arn).toBeUndefined();
    const associations = efs.pod_identity_association as Array<{ role_arn: string; service_account: string }>;
    expect(associations.map((a) => a.service_account)).toEqual(["efs-csi-controller-sa", "efs-csi-node-sa"]);
    const roleIds = associations.map((a) => /aws_iam_role\.([^.]+)\.arn/.exec(a.role_arn)![1]!);
    expect(new Set(roleIds).size).toBe(2);
    associations.forEach((a, i) => {
      const prefix = roleIds[i]!.replace(/_[0-9A-F]{8}$/, "");
      const trust = Object.entries(all(parsed, "aws_iam_policy_document", "data")).find(([id]) => id.startsWith(`${prefix}_Trust`))![1];
      const st = trust.statement[0];
      expect(st.principals).toEqual([{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }]);
      const vars = Object.fromEntries((st.condition as Array<{ variable: string; values: string[] }>).map((c) => [c.variable, c.values]));
      expect(vars["aws:RequestTag/kubernetes-service-account"]).toEqual([a.service_account]);
      expect(vars["aws:RequestTag/kubernetes-namespace"]).toEqual(["kube-system"]);
      expect(vars["aws:SourceArn"]).toEqual([expect.stringMatching(/^\$\{aws_eks_cluster\./)]);
      // No permissions in the cluster stack: the storage stack grants them on its one file system.
      expect(Object.keys(all(parsed, "aws_iam_role_policy_attachment")).filter((id) => id.startsWith(`${prefix}_`))).toEqual([]);
    });
  });

  test("the VPC CNI add-on waits for its IRSA role's policy attachment", () => {
    const { parsed } = synth();
    const cni = addon(parsed, "vpc-cni");
    expect(cni.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\..*VpcCniRole_ManagedPolicy-AmazonEKS_CNI_Policy_/)]);
  });

  test("leaves the EFS CSI driver out when asked", () => {
    const { parsed } = synth({ enableEfsCsiDriver: false });
    expect(addon(parsed, "aws-efs-csi-driver")).toBeUndefined();
    expect(JSON.stringify(parsed)).not.toContain("efs-csi-controller-sa");
  });

  test("gives add-ons without AWS calls no role", () => {
    const { parsed } = synth();
    for (const name of ["coredns", "kube-proxy", "eks-pod-identity-agent"]) {
      expect(addon(parsed, name).service_account_role_arn).toBeUndefined();
    }
  });

  test("uses EKS's default add-on versions for the cluster's Kubernetes version by default", () => {
    const { json, parsed } = synth({ kubernetesVersion: "1.32" });
    expect(json).toHaveDataSourceWithProperties(DataAwsEksAddonVersion, { addon_name: "coredns", kubernetes_version: "1.32", most_recent: false });
    expect(addon(parsed, "coredns").addon_version).toMatch(/^\$\{data\.aws_eks_addon_version\..+\.version\}$/);
  });

  test("uses the newest compatible versions with the LATEST policy", () => {
    const { parsed } = synth({ addonVersionPolicy: "LATEST" });
    const lookups = Object.values(all(parsed, "aws_eks_addon_version", "data"));
    expect(lookups).toHaveLength(6);
    expect(lookups.every((l) => l.most_recent === true)).toBe(true);
  });

  test("uses pinned versions as given and looks up only the others", () => {
    const { parsed } = synth({ addonVersions: { vpcCni: "v1.20.4-eksbuild.1", coreDns: "v1.12.1-eksbuild.2" } });
    expect(addon(parsed, "vpc-cni").addon_version).toBe("v1.20.4-eksbuild.1");
    expect(addon(parsed, "coredns").addon_version).toBe("v1.12.1-eksbuild.2");
    const looked = Object.values(all(parsed, "aws_eks_addon_version", "data")).map((l) => l.addon_name);
    expect(looked).not.toContain("vpc-cni");
    expect(looked).toHaveLength(4);
  });

  test("merges add-on configuration over ours", () => {
    const { parsed } = synth({
      addonConfiguration: { vpcCni: { env: { ENABLE_PREFIX_DELEGATION: "true" } }, coreDns: { replicaCount: 3 } },
    });
    expect(JSON.parse(addon(parsed, "vpc-cni").configuration_values)).toEqual({
      enableNetworkPolicy: "true",
      env: { ENABLE_PREFIX_DELEGATION: "true" },
    });
    expect(JSON.parse(addon(parsed, "coredns").configuration_values)).toEqual({ replicaCount: 3 });
    expect(addon(parsed, "kube-proxy").configuration_values).toBeUndefined();
  });

  test("fails when configuration names an unknown add-on", () => {
    expect(() => synth({ addonConfiguration: { cni: {} } as never })).toThrow(/addonConfiguration\.cni: got "cni"/);
  });

  test("fails when a pinned version is malformed", () => {
    expect(validateAddonSettings({ kubeProxy: "1.33" }, undefined)).toEqual([expect.objectContaining({ path: "addonVersions.kubeProxy" })]);
  });

  test("fails when a pinned version names an unknown add-on", () => {
    expect(validateAddonSettings({ metricsServer: "v0.7.2-eksbuild.1" } as never, undefined)).toEqual([
      expect.objectContaining({ path: "addonVersions.metricsServer" }),
    ]);
  });

  test("fails when the version policy is unknown", () => {
    expect(() => synth({ addonVersionPolicy: "NEWEST" as never })).toThrow(/addonVersionPolicy: got "NEWEST"; allowed: DEFAULT, LATEST/);
  });
});
