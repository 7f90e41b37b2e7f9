import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { ArnContext } from "../../common/cluster-arn";

/**
 * Least-privilege statements of the Cluster Autoscaler: it may change only Auto Scaling groups tagged
 * `k8s.io/cluster-autoscaler/<cluster>: owned` (EKS managed node groups carry that tag), and read the rest.
 * The describe actions support no resource-level permissions, so they use resource `*`; they are reads only.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy
 */
export function clusterAutoscalerStatements(clusterName: string, arn: ArnContext): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "ScaleOwnAutoScalingGroupsOnly",
      effect: "Allow",
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      resources: [`arn:${arn.partition}:autoscaling:${arn.region}:${arn.account}:autoScalingGroup:*:autoScalingGroupName/*`],
      condition: [{ test: "StringEquals", variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`, values: ["owned"] }],
    },
    {
      sid: "DescribeNodeGroupsOfThisCluster",
      effect: "Allow",
      actions: ["eks:DescribeNodegroup"],
      resources: [`arn:${arn.partition}:eks:${arn.region}:${arn.account}:nodegroup/${clusterName}/*/*`],
    },
    {
      sid: "ReadsWithoutResourceScope",
      effect: "Allow",
      actions: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      resources: ["*"],
    },
  ];
}
