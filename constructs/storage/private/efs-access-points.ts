import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** The EFS CSI controller's statements for dynamic provisioning on one file system. */
export function accessPointManagementStatements(fileSystemArn: string, accessPointArns: string): DataAwsIamPolicyDocumentStatement[] {
  // The driver tags every access point it creates `efs.csi.aws.com/cluster: "true"`.
  const driverTag = "efs.csi.aws.com/cluster";
  return [
    {
      sid: "DescribeThisFileSystem",
      effect: "Allow",
      actions: ["elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets"],
      resources: [fileSystemArn, accessPointArns],
    },
    { sid: "DescribeZones", effect: "Allow", actions: ["ec2:DescribeAvailabilityZones"], resources: ["*"] },
    {
      sid: "CreateAccessPointsOnThisFileSystemOnly",
      effect: "Allow",
      actions: ["elasticfilesystem:CreateAccessPoint"],
      resources: [fileSystemArn],
      condition: [{ test: "StringEquals", variable: `aws:RequestTag/${driverTag}`, values: ["true"] }],
    },
    {
      sid: "TagAccessPointsWhenCreating",
      effect: "Allow",
      actions: ["elasticfilesystem:TagResource"],
      resources: [accessPointArns],
      condition: [{ test: "StringEquals", variable: "elasticfilesystem:CreateAction", values: ["CreateAccessPoint"] }],
    },
    {
      sid: "DeleteDriverMadeAccessPointsOnly",
      effect: "Allow",
      actions: ["elasticfilesystem:DeleteAccessPoint"],
      resources: [accessPointArns],
      condition: [{ test: "StringEquals", variable: `aws:ResourceTag/${driverTag}`, values: ["true"] }],
    },
  ];
}
