import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { KmsKey, KmsKeyAdministration } from "../common/kms-key";
import { requireProps, throwIfProblems, ValidationProblem, isUnresolved } from "../common/validation";
import { SecureBucket } from "./secure-bucket";

/** Props of {@link BucketReplica}. */
export interface BucketReplicaProps {
  /** The bucket replicated; it must be SSE-KMS encrypted with a customer key. */
  readonly source: SecureBucket;
  /** An aliased AWS provider of the replica's region (another region than the source's). */
  readonly provider: TerraformProvider;
  /** The replica's region, as the provider has it: named in the key's description and the rule's id. */
  readonly region: string;
  /** Lowercase prefix of the replica's name (at most 36 characters; `<prefix>-` then Terraform's suffix). */
  readonly bucketPrefix: string;
  /** Who administers the replica's key (never using it) and the break-glass role. */
  readonly keyAdministration: KmsKeyAdministration;
  /** Terraform `prevent_destroy` on the replica and its key. @default false */
  readonly preventDestroy?: boolean;
  /** Days a replaced or deleted object version is kept in the replica. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * A replica of a bucket in another region: a {@link SecureBucket} there with its own customer-managed key (a key never
 * leaves its region), the source's Object Lock retention when the source has one (S3 requires it of the destination),
 * and a replication rule that copies every object and delete marker, re-encrypted with the replica's key, under a role
 * that may read only the source, write only the replica and use each key only through S3 in its region.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-4.html
 */
export class BucketReplica extends Construct {
  public readonly bucket: SecureBucket;
  public readonly key: KmsKey;
  public readonly role: IamRole;
  public readonly replication: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: BucketReplicaProps) {
    super(scope, id);
    requireProps(this, props, { source: "the SecureBucket replicated", provider: "an aliased AWS provider of the replica's region", region: "the replica's region", bucketPrefix: "the replica's name prefix", keyAdministration: "{ adminRoleArns, breakGlassRoleArn }" });
    throwIfProblems(this.node.path, validateBucketReplicaProps(props));
    const source = props.source;
    this.key = new KmsKey(this, "Key", {
      description: `Replica in ${props.region} of ${source.node.path}`,
      administration: props.keyAdministration,
      viaServices: ["s3"],
      preventDestroy: props.preventDestroy,
      provider: props.provider,
    });
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketPrefix: `${props.bucketPrefix}-`,
      encryptionKey: this.key,
      objectLock: source.objectLock,
      preventDestroy: props.preventDestroy,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      provider: props.provider,
    });

    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "Role", { assumeRolePolicy: trust.json, description: `S3 replication of ${source.node.path} to ${props.region}` });
    const sourceRegion = source.bucket.region;
    const doc = new DataAwsIamPolicyDocument(this, "PolicyDocument", {
      statement: [
        { sid: "ReadReplicationConfiguration", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [source.bucketArn] },
        {
          sid: "ReadSourceVersions",
          actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
          resources: [`${source.bucketArn}/*`],
        },
        { sid: "WriteReplica", actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], resources: [`${this.bucket.bucketArn}/*`] },
        {
          sid: "DecryptSourceThroughS3",
          actions: ["kms:Decrypt"],
          resources: [source.encryptionKeyArn!],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${sourceRegion}.amazonaws.com`] }],
        },
        {
          sid: "EncryptReplicaThroughS3",
          actions: ["kms:Encrypt", "kms:GenerateDataKey"],
          resources: [this.key.keyArn],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${props.region}.amazonaws.com`] }],
        },
      ],
    });
    const policy = new IamPolicy(this, "Policy", { description: `S3 replication of ${source.node.path} to ${props.region}`, policy: doc.json });
    const attachment = new IamRolePolicyAttachment(this, "PolicyAttachment", { role: this.role.name, policyArn: policy.arn });

    this.replication = new S3BucketReplicationConfigurationA(this, "Replication", {
      bucket: source.bucketId,
      role: this.role.arn,
      rule: [
        {
          id: `to-${props.region}`,
          status: "Enabled",
          priority: 1,
          filter: {},
          // Velero's expirations reach the replica too; the versions they hide stay for the noncurrent-version days (and
          // Object Lock's retention), so a deletion in the source is recoverable from either side.
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: this.bucket.bucketArn,
            encryptionConfiguration: { replicaKmsKeyId: this.key.keyArn },
            // Replication Time Control: 99.99% of objects within 15 minutes, with metrics to alarm on the rest.
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
          },
        },
      ],
      // Both sides versioned first (S3 refuses the rule otherwise), and the role's permissions in place.
      dependsOn: [source.versioning, this.bucket.versioning, attachment],
    });
  }
}

/** Checks {@link BucketReplicaProps} without building anything. */
export function validateBucketReplicaProps(props: BucketReplicaProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.source?.encryption !== "KMS" || props.source.encryptionKeyArn === undefined) {
    problems.push({ path: "source", value: props.source?.node.path, allowed: "a SecureBucket encrypted with a KMS key (the replica is re-encrypted with its own)" });
  }
  if (!isUnresolved(props.bucketPrefix) && !/^[a-z0-9][a-z0-9-]{0,35}$/.test(props.bucketPrefix ?? "")) {
    problems.push({ path: "bucketPrefix", value: props.bucketPrefix, allowed: "1 to 36 lowercase letters, digits or '-', starting with a letter or digit" });
  }
  return problems;
}
