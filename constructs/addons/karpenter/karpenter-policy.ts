import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { ArnContext } from "../../common/cluster-arn";

/** What the Karpenter controller policy is scoped to. */
export interface KarpenterPolicyScope extends ArnContext {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The only role the controller may pass to EC2 (the role of the nodes it launches). */
  readonly nodeRoleArn: string;
  /**
   * Interruption queue ARN, when interruption handling is on.
   * @default - no permission on any queue
   */
  readonly interruptionQueueArn?: string;
  /**
   * Customer-managed KMS key the EC2NodeClasses encrypt node volumes with: launching an instance with such a
   * volume needs grants on the key, given here only through EC2 in the cluster's region.
   * @default - no KMS grants: node volumes use an AWS-managed key
   */
  readonly volumeKmsKeyArn?: string;
}

/**
 * Least-privilege statements of the Karpenter controller, following the controller policy of the
 * Karpenter getting-started guide and scoped further:
 * - every write action is named (no `*`, no `ec2:*`) and conditioned on the cluster's tags
 *   (`kubernetes.io/cluster/<name>: owned` on what Karpenter creates, `karpenter.sh/discovery: <name>` on the
 *   subnets and security groups nodes may be launched into);
 * - `iam:PassRole` only for `nodeRoleArn`, only to EC2;
 * - subnets, security groups and instance profiles in the cluster's own account and region.
 * Only read actions that support no resource-level permissions use resource `*`.
 * @see https://karpenter.sh/docs/reference/cloudformation/
 */
export function karpenterControllerStatements(s: KarpenterPolicyScope): DataAwsIamPolicyDocumentStatement[] {
  const ec2 = (type: string) => `arn:${s.partition}:ec2:${s.region}:${s.account}:${type}/*`;
  const ownedByCluster = `kubernetes.io/cluster/${s.clusterName}`;
  const nodeResources = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
  const instanceProfiles = `arn:${s.partition}:iam::${s.account}:instance-profile/*`;
  const launchActions = ["ec2:RunInstances", "ec2:CreateFleet"];
  const resourceOwned = [
    { test: "StringEquals", variable: `aws:ResourceTag/${ownedByCluster}`, values: ["owned"] },
    { test: "StringLike", variable: "aws:ResourceTag/karpenter.sh/nodepool", values: ["*"] },
  ];
  const requestOwned = [
    { test: "StringEquals", variable: `aws:RequestTag/${ownedByCluster}`, values: ["owned"] },
    { test: "StringEquals", variable: "aws:RequestTag/eks:eks-cluster-name", values: [s.clusterName] },
    { test: "StringLike", variable: "aws:RequestTag/karpenter.sh/nodepool", values: ["*"] },
  ];
  const profileRequestTags = [
    { test: "StringEquals", variable: `aws:RequestTag/${ownedByCluster}`, values: ["owned"] },
    { test: "StringEquals", variable: "aws:RequestTag/eks:eks-cluster-name", values: [s.clusterName] },
    { test: "StringEquals", variable: "aws:RequestTag/topology.kubernetes.io/region", values: [s.region] },
    { test: "StringLike", variable: "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", values: ["*"] },
  ];
  const profileResourceTags = [
    { test: "StringEquals", variable: `aws:ResourceTag/${ownedByCluster}`, values: ["owned"] },
    { test: "StringEquals", variable: "aws:ResourceTag/topology.kubernetes.io/region", values: [s.region] },
    { test: "StringLike", variable: "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", values: ["*"] },
  ];

  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: "LaunchIntoDiscoveredNetwork",
      actions: launchActions,
      resources: [ec2("subnet"), ec2("security-group")],
      condition: [{ test: "StringEquals", variable: "aws:ResourceTag/karpenter.sh/discovery", values: [s.clusterName] }],
    },
    {
      // Public and AWS-owned AMIs carry no tags of ours; the AMI is chosen by the EC2NodeClass.
      sid: "LaunchFromImagesAndReservations",
      actions: launchActions,
      resources: [
        `arn:${s.partition}:ec2:${s.region}::image/*`,
        `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
        ec2("capacity-reservation"),
        ec2("placement-group"),
      ],
    },
    { sid: "LaunchFromOwnLaunchTemplates", actions: launchActions, resources: [ec2("launch-template")], condition: resourceOwned },
    { sid: "CreateTaggedNodeResources", actions: [...launchActions, "ec2:CreateLaunchTemplate"], resources: nodeResources, condition: requestOwned },
    {
      sid: "TagOnCreate",
      actions: ["ec2:CreateTags"],
      resources: nodeResources,
      condition: [...requestOwned, { test: "StringEquals", variable: "ec2:CreateAction", values: ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] }],
    },
    {
      sid: "TagOwnInstances",
      actions: ["ec2:CreateTags"],
      resources: [ec2("instance")],
      condition: [
        ...resourceOwned,
        { test: "StringEqualsIfExists", variable: "aws:RequestTag/eks:eks-cluster-name", values: [s.clusterName] },
        { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      ],
    },
    {
      sid: "DeleteOwnNodeResources",
      actions: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      resources: [ec2("instance"), ec2("launch-template")],
      condition: resourceOwned,
    },
    {
      sid: "PassNodeRoleToEc2Only",
      actions: ["iam:PassRole"],
      resources: [s.nodeRoleArn],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] }],
    },
    { sid: "CreateOwnInstanceProfiles", actions: ["iam:CreateInstanceProfile"], resources: [instanceProfiles], condition: profileRequestTags },
    {
      sid: "TagOwnInstanceProfiles",
      actions: ["iam:TagInstanceProfile"],
      resources: [instanceProfiles],
      condition: [...profileResourceTags, ...profileRequestTags],
    },
    {
      sid: "ManageOwnInstanceProfiles",
      actions: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      resources: [instanceProfiles],
      condition: profileResourceTags,
    },
    { sid: "ReadInstanceProfiles", actions: ["iam:GetInstanceProfile"], resources: [instanceProfiles] },
    { sid: "DiscoverApiServerEndpoint", actions: ["eks:DescribeCluster"], resources: [s.clusterArn] },
    {
      sid: "ReadAmiParameters",
      actions: ["ssm:GetParameter"],
      resources: [`arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`],
    },
    {
      // These actions support no resource-level permissions; they are reads, bounded to the cluster's region.
      sid: "RegionalReadsWithoutResourceScope",
      actions: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [s.region] }],
    },
    { sid: "GlobalReadsWithoutResourceScope", actions: ["pricing:GetProducts", "iam:ListInstanceProfiles"], resources: ["*"] },
    ...(s.volumeKmsKeyArn ? volumeKeyStatements(s, s.volumeKmsKeyArn) : []),
  ];
  if (s.interruptionQueueArn) {
    statements.push({
      sid: "ConsumeInterruptionQueue",
      actions: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      resources: [s.interruptionQueueArn],
    });
  }
  return statements.map((st) => ({ effect: "Allow", ...st }));
}

/** Use of the node volume key, only by EC2 on the controller's behalf (the CreateGrant only for AWS resources). */
function volumeKeyStatements(s: KarpenterPolicyScope, keyArn: string): DataAwsIamPolicyDocumentStatement[] {
  const viaEc2 = { test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${s.region}.amazonaws.com`] };
  return [
    {
      sid: "EncryptNodeVolumesWithTheVolumeKey",
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      resources: [keyArn],
      condition: [viaEc2],
    },
    {
      sid: "GrantTheVolumeKeyToEc2",
      actions: ["kms:CreateGrant"],
      resources: [keyArn],
      condition: [viaEc2, { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    },
  ];
}
