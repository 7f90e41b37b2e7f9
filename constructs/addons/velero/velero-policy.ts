import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { ArnContext } from "../../common/cluster-arn";

/** The tag the EBS CSI driver puts on every volume it provisions: only such volumes are snapshotted. */
export const EBS_CSI_VOLUME_TAG = "ebs.csi.aws.com/cluster";

/** The tag Velero's AWS plugin puts on every snapshot it takes (and copies onto every volume it restores). */
export const VELERO_BACKUP_TAG = "velero.io/backup";

/** Where Velero keeps backups and what encrypts them. */
export interface VeleroStorageTarget {
  /** ARN of the backups bucket. */
  readonly bucketArn: string;
  /** ARN of the bucket's KMS key. */
  readonly bucketKeyArn: string;
  /** ARN of the KMS key of the cluster's EBS volumes (snapshots and restored volumes use it). */
  readonly volumeKeyArn: string;
}

/**
 * What Velero and its AWS plugin (v1.14) do, and nothing else: the backups bucket's objects and listing, its key through
 * S3 only, and EBS snapshots of the driver's volumes. The plugin's documented policy grants the EC2 actions on `*`; here
 * each is bound by resource type and tag: snapshots only of volumes the EBS CSI driver made, tagged by Velero as they are
 * created; volumes created only from Velero's snapshots, carrying its tag; tags written only as part of those two
 * calls; deletes only of Velero's snapshots. Describe calls have no resource-level permissions in EC2.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
 */
export function veleroStatements(ctx: ArnContext, target: VeleroStorageTarget): DataAwsIamPolicyDocumentStatement[] {
  const ec2 = (type: "volume" | "snapshot") => `arn:${ctx.partition}:ec2:${ctx.region}${type === "snapshot" ? "" : `:${ctx.account}`}:${type}/*`;
  const tagged = (variable: string) => ({ test: "Null", variable, values: ["false"] });
  return [
    {
      sid: "BackupsBucketObjects",
      actions: ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: [`${target.bucketArn}/*`],
    },
    { sid: "BackupsBucketListing", actions: ["s3:ListBucket"], resources: [target.bucketArn] },
    {
      sid: "BackupsKeyThroughS3",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [target.bucketKeyArn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${ctx.region}.amazonaws.com`] }],
    },
    {
      sid: "VolumeKeyThroughEc2",
      actions: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:CreateGrant"],
      resources: [target.volumeKeyArn],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${ctx.region}.amazonaws.com`] },
        { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
      ],
    },
    { sid: "DescribeVolumesAndSnapshots", actions: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], resources: ["*"] },
    {
      sid: "SnapshotDriverVolumes",
      actions: ["ec2:CreateSnapshot"],
      resources: [ec2("volume")],
      condition: [{ test: "StringEquals", variable: `ec2:ResourceTag/${EBS_CSI_VOLUME_TAG}`, values: ["true"] }],
    },
    { sid: "CreateVeleroSnapshots", actions: ["ec2:CreateSnapshot"], resources: [ec2("snapshot")], condition: [tagged(`aws:RequestTag/${VELERO_BACKUP_TAG}`)] },
    { sid: "RestoreFromVeleroSnapshots", actions: ["ec2:CreateVolume"], resources: [ec2("snapshot")], condition: [tagged(`ec2:ResourceTag/${VELERO_BACKUP_TAG}`)] },
    { sid: "CreateRestoredVolumes", actions: ["ec2:CreateVolume"], resources: [ec2("volume")], condition: [tagged(`aws:RequestTag/${VELERO_BACKUP_TAG}`)] },
    {
      sid: "TagOnCreateOnly",
      actions: ["ec2:CreateTags"],
      resources: [ec2("volume"), ec2("snapshot")],
      condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSnapshot", "CreateVolume"] }],
    },
    { sid: "DeleteVeleroSnapshots", actions: ["ec2:DeleteSnapshot"], resources: [ec2("snapshot")], condition: [tagged(`ec2:ResourceTag/${VELERO_BACKUP_TAG}`)] },
  ];
}
