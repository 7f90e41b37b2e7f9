import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** The bucket Tempo writes trace blocks to, and the key its objects are encrypted with. */
export interface TracesBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** ARN of the bucket's SSE-KMS key. */
  readonly keyArn: string;
}

/**
 * What Tempo calls on its S3 backend, on the traces bucket alone: list blocks, read, write and delete their objects
 * (the compactor deletes blocks past retention), read and write object tags (block metadata); and the bucket's key
 * through S3 of the bucket's region only, to encrypt (GenerateDataKey) and decrypt its objects. Nothing else in the
 * account.
 * @see https://grafana.com/docs/tempo/latest/configuration/hosted-storage/s3/#permissions
 */
export function tempoBucketStatements(bucket: TracesBucket, region: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    { sid: "ListTraceBlocks", actions: ["s3:ListBucket"], resources: [bucket.bucketArn] },
    {
      sid: "ReadWriteTraceBlocks",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"],
      resources: [`${bucket.bucketArn}/*`],
    },
    {
      sid: "UseTracesKeyThroughS3",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [bucket.keyArn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
    },
  ];
}
