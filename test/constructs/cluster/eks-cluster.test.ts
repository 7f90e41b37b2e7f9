import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EksCluster } from "../../../constructs/cluster/eks-cluster";
import { CONTROL_PLANE_LOG_TYPES } from "../../../constructs/cluster/cluster-constants";
import { all, byId, fakeNetwork, only, synth } from "./helpers";

const ADMIN = "arn:aws:iam::111122223333:role/platform-admins";

function policyArns(parsed: ReturnType<typeof synth>["parsed"], roleFragment: string): string[] {
  return Object.entries(all(parsed, "aws_iam_role_policy_attachment"))
    .filter(([id]) => id.includes(roleFragment))
    .map(([, a]) => a.policy_arn as string);
}

describe("EksCluster endpoint", () => {
  test("is private only by default", () => {
    const { json, parsed, cluster } = synth();
    expect(json).toHaveResourceWithProperties(EksClusterResource, {
      vpc_config: expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: false }),
    });
    expect(only(parsed, "aws_eks_cluster").vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.endpointPublicAccess).toBe(false);
    expect(cluster.publicAccessCidrs).toEqual([]);
  });

  test("opens the public endpoint only to the given allow-list and keeps the private one", () => {
    const { parsed, cluster } = synth({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
    expect(only(parsed, "aws_eks_cluster").vpc_config).toEqual(
      expect.objectContaining({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"],
      }),
    );
    expect(cluster.endpointPublicAccess).toBe(true);
  });

  test("puts the control plane in the intra subnets", () => {
    const { parsed, cluster } = synth();
    expect(only(parsed, "aws_eks_cluster").vpc_config.subnet_ids).toEqual(["subnet-intra-a", "subnet-intra-b", "subnet-intra-c"]);
    expect(cluster.controlPlaneSubnetIds).toEqual(["subnet-intra-a", "subnet-intra-b", "subnet-intra-c"]);
  });

  test("falls back to the private subnets when the network has no intra subnets", () => {
    const { parsed } = synth({ network: fakeNetwork({ intraSubnetIds: [] }) });
    expect(only(parsed, "aws_eks_cluster").vpc_config.subnet_ids).toEqual(["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"]);
  });

  test("adds a described HTTPS rule from the VPC CIDR to our control-plane security group by default", () => {
    const { json, parsed, cluster } = synth();
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      cidr_ipv4: "10.20.0.0/16",
      from_port: 443,
      to_port: 443,
      ip_protocol: "tcp",
      description: "Kubernetes API over HTTPS from 10.20.0.0/16",
    });
    expect(cluster.privateAccessCidrs).toEqual(["10.20.0.0/16"]);
    const sgId = Object.keys(all(parsed, "aws_security_group"))[0];
    expect(only(parsed, "aws_eks_cluster").vpc_config.security_group_ids).toEqual([`\${aws_security_group.${sgId}.id}`]);
    const sg = only(parsed, "aws_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("allows the private endpoint from the given CIDRs instead, never from anywhere", () => {
    const { parsed } = synth({ privateAccessCidrs: ["10.20.8.0/24", "192.168.0.0/16"] });
    const rules = Object.values(all(parsed, "aws_vpc_security_group_ingress_rule"));
    expect(rules.map((r) => r.cidr_ipv4)).toEqual(["10.20.8.0/24", "192.168.0.0/16"]);
    expect(rules.every((r) => typeof r.description === "string" && r.description.length > 0)).toBe(true);
    expect(JSON.stringify(parsed.resource)).not.toContain("0.0.0.0/0");
  });
});

describe("EksCluster encryption and logging", () => {
  test("envelope-encrypts secrets with a rotating customer key that EKS may use", () => {
    const { json, parsed } = synth();
    const keyId = Object.keys(all(parsed, "aws_kms_key")).find((id) => id.includes("ClusterKey"));
    expect(only(parsed, "aws_eks_cluster").encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: `\${aws_kms_key.${keyId}.arn}` },
    });
    expect(json).toHaveResourceWithProperties(KmsKeyResource, { enable_key_rotation: true });
  });

  test("grants the secrets key to no AWS \"*\" principal (CKV_AWS_33): EKS uses it as the cluster role", () => {
    const { parsed } = synth();
    const policy = byId(parsed, "aws_iam_policy_document", "ClusterKey_Policy", "data");
    expect(JSON.stringify(policy)).not.toContain("kms:ViaService");
    for (const statement of policy.statement) {
      for (const principal of statement.principals ?? []) expect(principal.identifiers).not.toContain("*");
    }
    const role = byId(parsed, "aws_iam_policy_document", "ClusterRole_InlinePolicyDocument", "data");
    expect(role.statement[0].actions).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]);
  });

  test("lets the cluster role use the secrets key and nothing else through its inline policy", () => {
    const { parsed } = synth();
    const doc = byId(parsed, "aws_iam_policy_document", "ClusterRole_InlinePolicyDocument", "data");
    expect(doc.statement).toHaveLength(1);
    expect(doc.statement[0].resources).toEqual([expect.stringContaining("aws_kms_key.Eks_ClusterKey")]);
    expect(doc.statement[0].actions).not.toContain("kms:*");
  });

  test("sends all five control-plane log types to our KMS-encrypted log group kept 365 days", () => {
    const { json, parsed, cluster } = synth();
    const eks = only(parsed, "aws_eks_cluster");
    expect(eks.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/eks/dev-platform/cluster",
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("aws_kms_key.Eks_ClusterKey"),
    });
    const logGroupId = Object.keys(all(parsed, "aws_cloudwatch_log_group"))[0];
    expect(eks.depends_on).toContain(`aws_cloudwatch_log_group.${logGroupId}`);
    expect(cluster.logRetentionDays).toBe(365);
    expect(cluster.logGroupName).toBe("/aws/eks/dev-platform/cluster");
  });

  test("lets CloudWatch Logs use the cluster key for the control-plane log group only", () => {
    const { parsed, cluster } = synth();
    const policy = byId(parsed, "aws_iam_policy_document", "ClusterKey_Policy", "data");
    const logs = policy.statement.find((s: { sid: string }) => s.sid === "CloudWatchLogsOfThisAccount");
    expect(logs.condition).toEqual([
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [expect.stringMatching(/:log-group:\/aws\/eks\/dev-platform\/cluster$/)],
      },
    ]);
    expect(cluster.clusterKey.cloudWatchLogGroupNames).toEqual(["/aws/eks/dev-platform/cluster"]);
  });

  test("keeps logs longer when asked", () => {
    const { json } = synth({ logRetentionDays: 731 });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 731 });
  });
});

describe("EksCluster access", () => {
  test("authenticates through access entries only and gives the creator no admin rights", () => {
    const { json, parsed } = synth();
    expect(json).toHaveResourceWithProperties(EksClusterResource, {
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
    });
    expect(Object.values(all(parsed, "aws_eks_access_entry")).map((e) => e.principal_arn)).toEqual([ADMIN]);
  });

  test("maps a role into the Kubernetes groups it is given, and no other role into any", () => {
    const deployer = "arn:aws:iam::111122223333:role/payments-deploy";
    const viewer = "arn:aws:iam::111122223333:role/payments-view";
    const { parsed } = synth({
      accessEntries: [
        { principalArn: deployer, accessPolicy: "view", namespaces: ["payments"], kubernetesGroups: ["team:payments:deploy"] },
        { principalArn: viewer, accessPolicy: "view", namespaces: ["payments"] },
      ],
    });
    const groups = Object.fromEntries(Object.values(all(parsed, "aws_eks_access_entry")).map((e) => [e.principal_arn, e.kubernetes_groups]));
    expect(groups).toEqual({ [ADMIN]: undefined, [deployer]: ["team:payments:deploy"], [viewer]: undefined });
  });

  test("fails when no deploy role is given: nobody could reach the Kubernetes API", () => {
    expect(() => synth({ deployRoleArn: undefined as never })).toThrow(/deployRoleArn: got nothing; allowed: an IAM role ARN: the cluster grants its creator nothing/);
  });

  test("gives cluster-admin to the deploy and break-glass roles only, and people the scope they are given", () => {
    const breakGlass = "arn:aws:iam::111122223333:role/break-glass";
    const viewer = "arn:aws:iam::111122223333:role/sre";
    const developer = "arn:aws:iam::111122223333:role/team/developer";
    const { json, parsed, cluster } = synth({
      breakGlassRoleArn: breakGlass,
      accessEntries: [
        { principalArn: viewer, accessPolicy: "view" },
        { principalArn: developer, accessPolicy: "edit", namespaces: ["apps", "jobs"] },
      ],
    });
    expect(Object.values(all(parsed, "aws_eks_access_entry")).map((e) => e.principal_arn).sort()).toEqual([ADMIN, breakGlass, viewer, developer].sort());
    expect(json).toHaveResourceWithProperties(EksAccessEntry, { principal_arn: ADMIN, type: "STANDARD" });
    const associations = all(parsed, "aws_eks_access_policy_association");
    const policyOf = (id: string) => {
      const [, a] = Object.entries(associations).find(([k]) => k.startsWith(`Eks_Access_${id}Policy_`))!;
      return [String(a.policy_arn).replace(/^.*\//, ""), a.access_scope];
    };
    expect(policyOf("Deploy")).toEqual(["AmazonEKSClusterAdminPolicy", { type: "cluster" }]);
    expect(policyOf("BreakGlass")).toEqual(["AmazonEKSClusterAdminPolicy", { type: "cluster" }]);
    expect(policyOf("Access-sre")).toEqual(["AmazonEKSViewPolicy", { type: "cluster" }]);
    expect(policyOf("Access-developer")).toEqual(["AmazonEKSEditPolicy", { type: "namespace", namespaces: ["apps", "jobs"] }]);
    const admins = Object.values(associations).filter((a) => String(a.policy_arn).endsWith("AmazonEKSClusterAdminPolicy"));
    expect(admins).toHaveLength(2);
    for (const a of Object.values(associations)) expect(a.principal_arn).toMatch(/^\$\{aws_eks_access_entry\./);
    expect([cluster.deployRoleArn, cluster.breakGlassRoleArn]).toEqual([ADMIN, breakGlass]);
  });

  test("gives the cluster role only AmazonEKSClusterPolicy, trusted by EKS", () => {
    const { parsed } = synth();
    expect(policyArns(parsed, "ClusterRole")).toEqual([expect.stringMatching(/:iam::aws:policy\/AmazonEKSClusterPolicy$/)]);
    const trust = byId(parsed, "aws_iam_policy_document", "ClusterRole_Trust", "data");
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["eks.amazonaws.com"] }]);
  });

  test("creates an IAM OIDC provider for IRSA and lets the provider compute the thumbprint", () => {
    const { json, parsed } = synth();
    expect(json).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      client_id_list: ["sts.amazonaws.com"],
      url: expect.stringMatching(/identity\[0\]\.oidc\[0\]\.issuer/),
    });
    expect(only(parsed, "aws_iam_openid_connect_provider").thumbprint_list).toBeUndefined();
  });
});

describe("EksCluster node role", () => {
  test("has worker-node and registry pull permissions only; the CNI policy is not on it", () => {
    const { parsed } = synth();
    const arns = policyArns(parsed, "NodeRole");
    expect(arns).toHaveLength(2);
    expect(arns.some((a) => a.endsWith("/AmazonEKSWorkerNodePolicy"))).toBe(true);
    expect(arns.some((a) => a.endsWith("/AmazonEC2ContainerRegistryPullOnly"))).toBe(true);
    expect(arns.some((a) => a.includes("CNI"))).toBe(false);
  });

  test("adds Session Manager when asked", () => {
    const { parsed, cluster } = synth({ enableSsmOnNodes: true });
    expect(cluster.enableSsmOnNodes).toBe(true);
    expect(policyArns(parsed, "NodeRole").some((a) => a.endsWith("/AmazonSSMManagedInstanceCore"))).toBe(true);
  });

  test("exposes the node role for Karpenter", () => {
    const { parsed } = synth({}, (stack, cluster) => new TerraformOutput(stack, "nodeRole", { value: cluster.nodeRoleArn }));
    const roleId = Object.keys(all(parsed, "aws_iam_role")).find((id) => id.startsWith("Eks_NodeRole_"));
    expect(parsed.output?.nodeRole?.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(only(parsed, "aws_eks_node_group").node_role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
  });
});

describe("EksCluster lifecycle", () => {
  test("has deletion protection off and no prevent_destroy by default", () => {
    const { parsed, cluster } = synth();
    const eks = only(parsed, "aws_eks_cluster");
    expect(eks.deletion_protection).toBe(false);
    expect(eks.lifecycle).toBeUndefined();
    expect(byId(parsed, "aws_cloudwatch_log_group", "ControlPlaneLogGroup").lifecycle).toBeUndefined();
    expect(cluster.deletionProtection).toBe(false);
    expect(cluster.preventDestroy).toBe(false);
  });

  test("turns on EKS deletion protection when asked", () => {
    const { json } = synth({ deletionProtection: true });
    expect(json).toHaveResourceWithProperties(EksClusterResource, { deletion_protection: true });
  });

  test("sets prevent_destroy on the cluster, its keys and its audit log group when asked", () => {
    const { parsed } = synth({ preventDestroy: true });
    expect(only(parsed, "aws_eks_cluster").lifecycle).toEqual({ prevent_destroy: true });
    expect(byId(parsed, "aws_cloudwatch_log_group", "ControlPlaneLogGroup").lifecycle).toEqual({ prevent_destroy: true });
    for (const key of Object.values(all(parsed, "aws_kms_key"))) {
      expect(key.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("lets EKS install no unmanaged default add-ons", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(EksClusterResource, { bootstrap_self_managed_addons: false });
  });
});

describe("EksCluster as ICluster", () => {
  test("references the cluster's attributes for consumers", () => {
    const { parsed } = synth({}, (stack, cluster) => {
      new TerraformOutput(stack, "ca", { value: cluster.clusterCertificateAuthorityData });
      new TerraformOutput(stack, "sg", { value: cluster.clusterSecurityGroupId });
      new TerraformOutput(stack, "endpoint", { value: cluster.clusterEndpoint });
      new TerraformOutput(stack, "oidc", { value: cluster.oidcProviderArn });
      new TerraformOutput(stack, "issuer", { value: cluster.oidcIssuerUrl });
    });
    const eksId = Object.keys(all(parsed, "aws_eks_cluster"))[0];
    const out = parsed.output ?? {};
    expect(out.ca?.value).toBe(`\${aws_eks_cluster.${eksId}.certificate_authority[0].data}`);
    expect(out.sg?.value).toBe(`\${aws_eks_cluster.${eksId}.vpc_config[0].cluster_security_group_id}`);
    expect(out.endpoint?.value).toBe(`\${aws_eks_cluster.${eksId}.endpoint}`);
    expect(out.oidc?.value).toMatch(/^\$\{aws_iam_openid_connect_provider\..+\.arn\}$/);
    expect(out.issuer?.value).toBe(`\${aws_eks_cluster.${eksId}.identity[0].oidc[0].issuer}`);
  });

  test("keeps the Kubernetes version literal", () => {
    const { cluster, json } = synth({ kubernetesVersion: "1.34" });
    expect(cluster.kubernetesVersion).toBe("1.34");
    expect(json).toHaveResourceWithProperties(EksClusterResource, { version: "1.34", name: "dev-platform" });
  });

  /** Attributes of a cluster owned by another stack. */
  const SHARED_CLUSTER = {
    clusterName: "shared",
    clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/shared",
    clusterEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "LS0tLS1C",
    clusterSecurityGroupId: "sg-0123",
    oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    kubernetesVersion: "1.33",
  };

  test("fromClusterAttributes builds an ICluster that creates nothing", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "consumer");
    const attrs = SHARED_CLUSTER;
    const imported = EksCluster.fromClusterAttributes(stack, "Shared", attrs);
    expect({ ...imported }).toEqual(expect.objectContaining(attrs));
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });

  test.each([
    ["the name is an ARN", { clusterName: "arn:aws:eks:eu-west-1:111122223333:cluster/shared" }, "clusterName"],
    ["the endpoint is plain HTTP", { clusterEndpoint: "http://ABC.gr7.eu-west-1.eks.amazonaws.com" }, "clusterEndpoint"],
    ["the security group is not an sg- id", { clusterSecurityGroupId: "default" }, "clusterSecurityGroupId"],
    ["the OIDC provider ARN is a role ARN", { oidcProviderArn: "arn:aws:iam::111122223333:role/x" }, "oidcProviderArn"],
    ["the version is not a minor version", { kubernetesVersion: "v1.33.2" }, "kubernetesVersion"],
  ])("fromClusterAttributes fails when %s", (_name, change, path) => {
    const stack = new TerraformStack(Testing.app(), "consumer");
    const attrs = { ...SHARED_CLUSTER, ...change };
    expect(() => EksCluster.fromClusterAttributes(stack, "Shared", attrs)).toThrow(new RegExp(`consumer/Shared: ${path}: got `));
  });

  test("keeps construct ids stable (they are Terraform addresses)", () => {
    const { parsed } = synth();
    const ids = [
      ...Object.keys(all(parsed, "aws_eks_cluster")),
      ...Object.keys(all(parsed, "aws_cloudwatch_log_group")),
      ...Object.keys(all(parsed, "aws_iam_openid_connect_provider")),
      ...Object.keys(all(parsed, "aws_eks_node_group")),
    ];
    expect(ids.map((id) => id.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
      "Eks_Cluster",
      "Eks_ControlPlaneLogGroup",
      "Eks_OidcProvider",
      "Eks_NodeGroupSystem_NodeGroup",
    ]);
  });
});
