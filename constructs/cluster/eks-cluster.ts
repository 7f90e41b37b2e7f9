import { Construct } from "constructs";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../lib/eks/versions";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { KmsKey } from "../common/kms-key";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../common/validation";
import { EksManagedAddons } from "./eks-managed-addons";
import { CONTROL_PLANE_LOG_TYPES, MANAGED_POLICIES } from "./cluster-constants";
import { ClusterAccessEntries, ClusterAccessEntry } from "./cluster-access-entries";
import { constructKey } from "../../lib/naming/construct-key";
import { ServiceRole } from "./cluster-iam";
import { ClusterAttributes, ICluster } from "./cluster-types";
import { EksClusterProps, validateEksClusterProps } from "./eks-cluster-props";
import { ManagedNodeGroup, nodeGroupConstructId } from "./node-group";
import { EKS_CLUSTER_NAME, EKS_CLUSTER_NAME_RULE } from "../../lib/eks/cluster-name";
import { EKS_CLUSTER_ARN } from "../../lib/aws/arns";

/**
 * A hardened EKS cluster: private API endpoint by default (public only for an allow-list), secrets
 * envelope-encrypted with a customer-managed KMS key, all control-plane logs in a KMS-encrypted log group
 * kept for at least a year, authentication through EKS access entries only (no aws-auth ConfigMap, no
 * implicit creator admin), an IAM OIDC provider for IRSA, the Pod Identity agent, EKS managed add-ons
 * with least-privilege IRSA roles, and managed node groups with IMDSv2, encrypted volumes and no SSH.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/security.html
 */
export class EksCluster extends Construct implements ICluster {
  /** Builds an {@link ICluster} for a cluster that another stack or team owns. */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: ClusterAttributes): ICluster {
    return new ImportedCluster(scope, id, attrs);
  }

  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  public readonly clusterCertificateAuthorityData: string;
  public readonly clusterSecurityGroupId: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuerUrl: string;
  public readonly kubernetesVersion: string;

  /** True when the public endpoint is on (only with `publicAccessCidrs`). */
  public readonly endpointPublicAccess: boolean;
  /** Networks allowed to the public endpoint; empty when it is off. */
  public readonly publicAccessCidrs: readonly string[];
  /** Networks allowed to the private endpoint on port 443 through our security group. */
  public readonly privateAccessCidrs: readonly string[];
  /** Subnets of the control-plane network interfaces. */
  public readonly controlPlaneSubnetIds: string[];
  public readonly logRetentionDays: number;
  /** `/aws/eks/<name>/cluster`, the name EKS writes control-plane logs to. */
  public readonly logGroupName: string;
  /** The CI deploy role: cluster-admin. */
  public readonly deployRoleArn: string;
  /** The emergency role (cluster-admin), if any. */
  public readonly breakGlassRoleArn?: string;
  /** People's scoped access. */
  public readonly accessEntries: readonly ClusterAccessEntry[];
  /** The access entries and their policy associations. */
  public readonly access: ClusterAccessEntries;
  public readonly deletionProtection: boolean;
  public readonly preventDestroy: boolean;
  public readonly enableEfsCsiDriver: boolean;
  public readonly enableSsmOnNodes: boolean;

  /** The `aws_eks_cluster` resource, for escape hatches. */
  public readonly cluster: EksClusterResource;
  /** Encrypts Kubernetes secrets and the control-plane log group. */
  public readonly clusterKey: KmsKey;
  /**
   * Encrypts node root volumes; the EBS CSI driver may use it for persistent volumes.
   *
   * Its policy lets any principal of this account use it through EC2 in this region (`kms:ViaService`
   * `ec2.<region>.amazonaws.com` and `kms:CallerAccount`), with `Principal: AWS "*"`, which Checkov reports as
   * CKV_AWS_33. This is deliberate and what AWS's own `aws/ebs` key policy does: the managed node groups'
   * Auto Scaling groups launch the nodes as the `AWSServiceRoleForAutoScaling` service-linked role, which has
   * no identity policy we could extend, and naming it in the key policy fails while that role does not exist
   * yet (a new account). The conditions keep the key to EBS of this account.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
   */
  public readonly volumeKey: KmsKey;
  /** ARN of {@link volumeKey}, for gp3 storage classes and Karpenter node classes. */
  public readonly volumeKmsKeyArn: string;
  /** Control-plane log group, KMS-encrypted with {@link clusterKey}. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Role of the control plane: AmazonEKSClusterPolicy and use of the secrets key only. */
  public readonly clusterRole: ServiceRole;
  /** Security group of ours on the control plane, next to the one EKS manages. */
  public readonly controlPlaneSecurityGroup: SecurityGroup;
  /** IAM OIDC provider of the cluster's issuer, for IRSA. */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Role of the managed nodes; Karpenter may reuse it for the nodes it launches. */
  public readonly nodeRole: ServiceRole;
  /** ARN of {@link nodeRole}. */
  public readonly nodeRoleArn: string;
  /** The managed node groups, in the order of `nodeGroups`. */
  public readonly nodeGroups: readonly ManagedNodeGroup[];
  /** The EKS managed add-ons and their IRSA roles. */
  public readonly managedAddons: EksManagedAddons;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    requireProps(this, props, { network: "an INetwork (Network or Network.fromNetworkAttributes())", clusterName: "the cluster's name", kubernetesVersion: `one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`, nodeGroups: "a list of managed node groups, at least one" });
    throwIfProblems(this.node.path, validateEksClusterProps(props));
    const network = props.network;
    this.kubernetesVersion = props.kubernetesVersion;
    this.publicAccessCidrs = props.publicAccessCidrs ?? [];
    this.endpointPublicAccess = this.publicAccessCidrs.length > 0;
    this.privateAccessCidrs = props.privateAccessCidrs ?? [network.vpcCidrBlock];
    this.controlPlaneSubnetIds = network.intraSubnetIds.length > 0 ? network.intraSubnetIds : network.privateSubnetIds;
    this.logRetentionDays = props.logRetentionDays ?? 365;
    this.logGroupName = `/aws/eks/${props.clusterName}/cluster`;
    this.deployRoleArn = props.deployRoleArn;
    this.breakGlassRoleArn = props.breakGlassRoleArn;
    this.accessEntries = [...(props.accessEntries ?? [])];
    this.deletionProtection = props.deletionProtection ?? false;
    this.preventDestroy = props.preventDestroy ?? false;
    this.enableEfsCsiDriver = props.enableEfsCsiDriver ?? true;
    this.enableSsmOnNodes = props.enableSsmOnNodes ?? false;

    const partition = new DataAwsPartition(this, "Partition").partition;
    const managedPolicy = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;

    // EKS uses the secrets key as the cluster role, whose inline policy below grants exactly what envelope
    // encryption needs; the key policy delegates to IAM, so no `kms:ViaService` statement (with its
    // `Principal: AWS "*"`, CKV_AWS_33) is needed. CloudWatch Logs may use it for this cluster's group only.
    this.clusterKey = new KmsKey(this, "ClusterKey", {
      description: `EKS secrets envelope encryption and control-plane logs of ${props.clusterName}`,
      alias: `eks/${props.clusterName}`,
      cloudWatchLogGroupNames: [this.logGroupName],
      preventDestroy: this.preventDestroy,
    });
    // `kms:ViaService` ec2 with `Principal: AWS "*"` on purpose (CKV_AWS_33): see the `volumeKey` field.
    this.volumeKey = new KmsKey(this, "VolumeKey", {
      description: `EBS volumes of the nodes and persistent volumes of ${props.clusterName}`,
      alias: `eks/${props.clusterName}/volumes`,
      viaServices: ["ec2"],
      preventDestroy: this.preventDestroy,
    });
    this.volumeKmsKeyArn = this.volumeKey.keyArn;

    // Created by us, not by EKS, so it exists before the first log line with retention and encryption.
    // It holds the audit log, so prevent_destroy protects it like the cluster and its key.
    this.logGroup = new CloudwatchLogGroup(this, "ControlPlaneLogGroup", {
      name: this.logGroupName,
      retentionInDays: this.logRetentionDays,
      kmsKeyId: this.clusterKey.keyArn,
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });

    this.clusterRole = new ServiceRole(this, "ClusterRole", {
      servicePrincipal: "eks.amazonaws.com",
      trustActions: ["sts:AssumeRole", "sts:TagSession"],
      description: `EKS control plane of ${props.clusterName}`,
      managedPolicyArns: { ClusterPolicy: managedPolicy(MANAGED_POLICIES.cluster) },
      inlineStatements: [
        {
          sid: "EnvelopeEncryptionOfSecrets",
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: [this.clusterKey.keyArn],
        },
      ],
    });

    this.controlPlaneSecurityGroup = new SecurityGroup(this, "ControlPlaneSecurityGroup", {
      namePrefix: `${props.clusterName}-control-plane-`,
      description: `Additional rules of the EKS control plane of ${props.clusterName}`,
      vpcId: network.vpcId,
      tags: { Name: `${props.clusterName}-control-plane` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.privateAccessCidrs.forEach((cidr) => {
      // Keyed by the CIDR, so removing one network never moves another's rule.
      new VpcSecurityGroupIngressRule(this, `PrivateApiAccess-${constructKey(cidr)}`, {
        securityGroupId: this.controlPlaneSecurityGroup.id,
        description: `Kubernetes API over HTTPS from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    this.cluster = new EksClusterResource(this, "Cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.clusterRole.roleArn,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      vpcConfig: {
        subnetIds: this.controlPlaneSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: this.endpointPublicAccess,
        publicAccessCidrs: this.endpointPublicAccess ? [...this.publicAccessCidrs] : undefined,
        securityGroupIds: [this.controlPlaneSecurityGroup.id],
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.clusterKey.keyArn } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // Every default add-on is an EKS managed add-on below; none is installed unmanaged behind our back.
      bootstrapSelfManagedAddons: false,
      deletionProtection: this.deletionProtection,
      dependsOn: [this.logGroup, ...this.clusterRole.grants],
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterCertificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    this.oidcIssuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;

    // Omitting thumbprint_list lets the AWS provider compute the thumbprint of the issuer's certificate.
    this.oidcProvider = new IamOpenidConnectProvider(this, "OidcProvider", {
      url: this.oidcIssuerUrl,
      clientIdList: ["sts.amazonaws.com"],
    });
    this.oidcProviderArn = this.oidcProvider.arn;

    this.access = new ClusterAccessEntries(this, "Access", {
      clusterName: this.cluster.name,
      partition,
      deployRoleArn: this.deployRoleArn,
      breakGlassRoleArn: this.breakGlassRoleArn,
      accessEntries: this.accessEntries,
    });

    // The VPC CNI's permissions live on its IRSA role, not here (EKS best practice).
    const nodePolicies: Record<string, string> = {
      WorkerNodePolicy: managedPolicy(MANAGED_POLICIES.workerNode),
      RegistryPullOnly: managedPolicy(MANAGED_POLICIES.registryPullOnly),
    };
    if (this.enableSsmOnNodes) nodePolicies.SsmManagedInstanceCore = managedPolicy(MANAGED_POLICIES.ssmCore);
    this.nodeRole = new ServiceRole(this, "NodeRole", {
      servicePrincipal: "ec2.amazonaws.com",
      description: `Nodes of EKS cluster ${props.clusterName}`,
      managedPolicyArns: nodePolicies,
    });
    this.nodeRoleArn = this.nodeRole.roleArn;

    this.managedAddons = new EksManagedAddons(this, "Addons", {
      clusterName: this.cluster.name,
      clusterArn: this.cluster.arn,
      kubernetesVersion: props.kubernetesVersion,
      oidc: this,
      partition,
      versions: props.addonVersions,
      versionPolicy: props.addonVersionPolicy,
      enableEfsCsiDriver: this.enableEfsCsiDriver,
      configuration: props.addonConfiguration,
      volumeKmsKeyArn: this.volumeKmsKeyArn,
    });

    this.nodeGroups = props.nodeGroups.map(
      (spec) =>
        new ManagedNodeGroup(this, nodeGroupConstructId(spec.name), {
          spec,
          clusterName: this.cluster.name,
          kubernetesVersion: this.cluster.version,
          nodeRoleArn: this.nodeRoleArn,
          subnetIds: spec.subnetIds ?? network.privateSubnetIds,
          clusterSecurityGroupId: this.clusterSecurityGroupId,
          volumeKmsKeyArn: this.volumeKmsKeyArn,
          namePrefix: props.clusterName,
          launchedResourceTags: props.launchedResourceTags,
          // Nodes become Ready only with the CNI, and their role's permissions must exist first.
          dependsOn: [...this.managedAddons.beforeNodes, ...this.nodeRole.grants],
        }),
    );
    this.managedAddons.waitForNodes(this.nodeGroups.map((g) => g.nodeGroup));
  }
}

/** An existing cluster, known only by its attributes. */
class ImportedCluster extends Construct implements ICluster {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  public readonly clusterCertificateAuthorityData: string;
  public readonly clusterSecurityGroupId: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuerUrl: string;
  public readonly kubernetesVersion: string;

  constructor(scope: Construct, id: string, attrs: ClusterAttributes) {
    super(scope, id);
    throwIfProblems(this.node.path, validateClusterAttributes(attrs));
    this.clusterName = attrs.clusterName;
    this.clusterArn = attrs.clusterArn;
    this.clusterEndpoint = attrs.clusterEndpoint;
    this.clusterCertificateAuthorityData = attrs.clusterCertificateAuthorityData;
    this.clusterSecurityGroupId = attrs.clusterSecurityGroupId;
    this.oidcProviderArn = attrs.oidcProviderArn;
    this.oidcIssuerUrl = attrs.oidcIssuerUrl;
    this.kubernetesVersion = attrs.kubernetesVersion;
  }
}

/**
 * Checks {@link ClusterAttributes} of an imported cluster, so a mix-up (an ARN where a name belongs, a
 * plain-HTTP endpoint) fails here rather than at apply time. Values that are tokens are skipped.
 */
export function validateClusterAttributes(attrs: ClusterAttributes): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const check = (path: keyof ClusterAttributes, ok: (v: string) => boolean, allowed: string) => {
    const value = attrs[path];
    if (typeof value !== "string" || (!isUnresolved(value) && !ok(value))) problems.push({ path, value, allowed });
  };
  check("clusterName", (v) => EKS_CLUSTER_NAME.test(v), `${EKS_CLUSTER_NAME_RULE} (not its ARN)`);
  check("clusterArn", (v) => EKS_CLUSTER_ARN.test(v), "an EKS cluster ARN");
  check("clusterEndpoint", (v) => v.startsWith("https://"), "the API server's https:// endpoint");
  check("clusterCertificateAuthorityData", (v) => /^[A-Za-z0-9+/]+=*$/.test(v), "the base64-encoded certificate authority data");
  check("clusterSecurityGroupId", (v) => /^sg-[0-9a-f]+$/.test(v), "a security group id (sg-…)");
  check("oidcProviderArn", (v) => /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/.test(v), "an IAM OIDC provider ARN");
  check("oidcIssuerUrl", (v) => v.startsWith("https://"), "the cluster's https:// OIDC issuer URL");
  check("kubernetesVersion", (v) => /^1\.\d+$/.test(v), "a Kubernetes minor version such as 1.33");
  return problems;
}
