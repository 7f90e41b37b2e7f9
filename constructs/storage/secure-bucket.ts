import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { KmsKey } from "../common/kms-key";
import { placeOnProvider } from "../common/provider-placement";
import { isUnresolved, throwIfProblems, ValidationError, ValidationProblem } from "../common/validation";
import { bucketNameProblems } from "./private/bucket-naming";
import { lifecycleRules } from "./private/lifecycle-rules";
import { BucketEncryption, BucketObjectLock, SecureBucketProps } from "./secure-bucket-props";

export type { BucketEncryption, BucketObjectLock, IAccessLogsBucket, IEncryptionKey, SecureBucketProps } from "./secure-bucket-props";

/**
 * An S3 bucket that is hardened without configuration: versioned, SSE-KMS with a customer key and an S3
 * bucket key, every public access block setting on, ACLs disabled (BucketOwnerEnforced), TLS (1.2+) only,
 * and a lifecycle that cleans up multipart uploads and old versions.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** Bucket name (Terraform `id`). */
  public readonly bucketId: string;
  public readonly bucketArn: string;
  /**
   * The bucket's policy. A bucket that logs into this one waits for it: until it admits
   * `logging.s3.amazonaws.com`, S3 may refuse the first log deliveries.
   */
  public readonly bucketPolicy: S3BucketPolicy;
  /** ARN of the SSE-KMS key, or undefined with `S3_MANAGED` encryption. */
  public readonly encryptionKeyArn?: string;
  /** The key this construct created, if it created one. */
  public readonly createdKey?: KmsKey;
  public readonly encryption: BucketEncryption;
  public readonly accessLogsTarget: boolean;
  public readonly enforceMinimumTlsVersion: boolean;
  public readonly minimumTlsVersion: "1.2" | "1.3";
  public readonly abortIncompleteMultipartUploadDays: number;
  public readonly noncurrentVersionExpirationDays: number;
  /** Days before the move to INTELLIGENT_TIERING, or undefined when tiering is off. */
  public readonly intelligentTieringTransitionDays?: number;
  public readonly expirationDays?: number;
  public readonly eventBridgeNotifications: boolean;
  public readonly forceDestroy: boolean;
  public readonly preventDestroy: boolean;
  /** The bucket's Object Lock default retention, when it has Object Lock. */
  public readonly objectLock?: BucketObjectLock;
  /** The bucket's versioning: what replication (and noncurrent-version rules) wait for. */
  public readonly versioning: S3BucketVersioningA;
  private readonly logSourceArns: string[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    throwIfProblems(this.node.path, validateSecureBucketProps(props));
    this.accessLogsTarget = props.accessLogsTarget ?? false;
    this.encryption = props.encryption ?? (this.accessLogsTarget ? "S3_MANAGED" : "KMS");
    this.enforceMinimumTlsVersion = props.enforceMinimumTlsVersion ?? true;
    this.minimumTlsVersion = props.minimumTlsVersion ?? "1.2";
    this.abortIncompleteMultipartUploadDays = props.abortIncompleteMultipartUploadDays ?? 7;
    this.noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;
    this.intelligentTieringTransitionDays = props.intelligentTiering === false ? undefined : props.intelligentTieringTransitionDays ?? 30;
    this.expirationDays = props.expirationDays;
    this.eventBridgeNotifications = props.eventBridgeNotifications ?? false;
    this.forceDestroy = props.forceDestroy ?? false;
    this.preventDestroy = props.preventDestroy ?? false;
    this.objectLock = props.objectLock;

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: this.forceDestroy,
      // Only at creation: changing it replaces the bucket.
      objectLockEnabled: this.objectLock ? true : undefined,
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketId = this.bucket.id;
    this.bucketArn = this.bucket.arn;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      // Deleting it (or the policy below) alone would make the bucket publishable or drop its TLS-only guard.
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new S3BucketOwnershipControls(this, "OwnershipControls", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const versioning = new S3BucketVersioningA(this, "Versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    this.versioning = versioning;
    if (this.objectLock) {
      new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        bucket: this.bucket.id,
        rule: { defaultRetention: { mode: this.objectLock.mode, days: this.objectLock.days } },
        dependsOn: [versioning],
      });
    }

    if (this.encryption === "KMS") {
      if (props.encryptionKey) {
        this.encryptionKeyArn = props.encryptionKey.keyArn;
      } else {
        this.createdKey = new KmsKey(this, "Key", {
          description: `SSE-KMS of S3 bucket ${this.node.path}`,
          preventDestroy: this.preventDestroy,
        });
        this.encryptionKeyArn = this.createdKey.keyArn;
      }
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.bucket.id,
      rule: [
        this.encryption === "KMS"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.encryptionKeyArn },
              // S3 derives object keys from a short-lived bucket-level key: far fewer KMS requests, lower cost.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    const policyDocument = new DataAwsIamPolicyDocument(this, "PolicyDocument", {
      statement: [...this.defaultPolicyStatements(), ...(props.extraPolicyStatements ?? [])],
    });
    // Public access block first: S3 rejects concurrent bucket-level configuration changes.
    this.bucketPolicy = new S3BucketPolicy(this, "Policy", {
      bucket: this.bucket.id,
      policy: policyDocument.json,
      dependsOn: [publicAccessBlock],
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: this.bucket.id,
      rule: lifecycleRules({
        abortIncompleteMultipartUploadDays: this.abortIncompleteMultipartUploadDays,
        noncurrentVersionExpirationDays: this.noncurrentVersionExpirationDays,
        intelligentTieringTransitionDays: this.intelligentTieringTransitionDays,
        expirationDays: this.expirationDays,
      }),
      // Noncurrent-version rules only make sense once versioning is on.
      dependsOn: [versioning],
    });

    if (props.accessLogsBucket) {
      if (props.accessLogsBucket instanceof SecureBucket) props.accessLogsBucket.allowAccessLogsFrom(this.bucketArn);
      const targetPolicy = props.accessLogsBucket.bucketPolicy;
      new S3BucketLoggingA(this, "AccessLogs", {
        bucket: this.bucket.id,
        targetBucket: props.accessLogsBucket.bucketId,
        targetPrefix: props.accessLogsPrefix ?? `${this.bucket.id}/`,
        // Date-partitioned keys let Athena prune partitions when querying the logs.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        // Nothing else orders the two: without this, logging may start before the target's policy admits
        // the log service, and S3 refuses those first deliveries.
        dependsOn: targetPolicy ? [targetPolicy] : undefined,
      });
    }

    if (this.eventBridgeNotifications) {
      new S3BucketNotification(this, "Notifications", { bucket: this.bucket.id, eventbridge: true });
    }
    if (props.provider) placeOnProvider(this, props.provider);
  }

  /**
   * Admit S3 server access logs of the given source bucket into this bucket (bucket policy `aws:SourceArn`).
   * Only valid on a bucket with `accessLogsTarget: true`.
   */
  public allowAccessLogsFrom(sourceBucketArn: string): void {
    if (!this.accessLogsTarget) {
      throw new ValidationError(this.node.path, [{ path: "accessLogsTarget", value: false, allowed: "true, to receive server access logs" }]);
    }
    this.logSourceArns.push(sourceBucketArn);
  }

  private defaultPolicyStatements(): DataAwsIamPolicyDocumentStatement[] {
    const everyone = [{ type: "*", identifiers: ["*"] }];
    const bucketAndObjects = [this.bucketArn, `${this.bucketArn}/*`];
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: everyone,
        actions: ["s3:*"],
        resources: bucketAndObjects,
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ];
    if (this.enforceMinimumTlsVersion) {
      statements.push({
        sid: "DenyOutdatedTls",
        effect: "Deny",
        principals: everyone,
        actions: ["s3:*"],
        resources: bucketAndObjects,
        condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: [this.minimumTlsVersion] }],
      });
    }
    if (this.accessLogsTarget) {
      const account = new DataAwsCallerIdentity(this, "Account");
      const partition = new DataAwsPartition(this, "Partition");
      statements.push({
        sid: "S3ServerAccessLogDelivery",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
        actions: ["s3:PutObject"],
        resources: [`${this.bucketArn}/*`],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            // Filled at synth time by allowAccessLogsFrom(); until a source registers, any bucket of this account.
            values: Lazy.listValue({
              produce: () => (this.logSourceArns.length > 0 ? [...this.logSourceArns] : [`arn:${partition.partition}:s3:::*`]),
            }),
          },
        ],
      });
    }
    return statements;
  }
}

function wholeDays(problems: ValidationProblem[], path: string, value: number | undefined, min: number): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min) {
    problems.push({ path, value, allowed: `a whole number of days, at least ${min}` });
  }
}

/** Checks {@link SecureBucketProps} without building anything. */
export function validateSecureBucketProps(props: SecureBucketProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.bucketName !== undefined && props.bucketPrefix !== undefined) {
    problems.push({ path: "bucketPrefix", value: props.bucketPrefix, allowed: "nothing when bucketName is given (they are mutually exclusive)" });
  }
  if (props.bucketName !== undefined && !isUnresolved(props.bucketName)) {
    problems.push(...bucketNameProblems("bucketName", props.bucketName));
  }
  if (props.bucketPrefix !== undefined && !isUnresolved(props.bucketPrefix) && !/^[a-z0-9][a-z0-9.-]{0,36}$/.test(props.bucketPrefix)) {
    problems.push({
      path: "bucketPrefix",
      value: props.bucketPrefix,
      allowed: "1 to 37 lowercase letters, digits, '.' or '-', starting with a letter or digit",
    });
  }
  if (props.encryption !== undefined && props.encryption !== "KMS" && props.encryption !== "S3_MANAGED") {
    problems.push({ path: "encryption", value: props.encryption, allowed: "'KMS' or 'S3_MANAGED'" });
  }
  const encryption = props.encryption ?? (props.accessLogsTarget ? "S3_MANAGED" : "KMS");
  if (encryption === "S3_MANAGED" && props.encryptionKey !== undefined) {
    problems.push({ path: "encryptionKey", value: "a key", allowed: "nothing with encryption 'S3_MANAGED' (the key would be unused)" });
  }
  if (props.accessLogsTarget && props.encryption === "KMS") {
    problems.push({
      path: "encryption",
      value: props.encryption,
      allowed: "'S3_MANAGED' on an accessLogsTarget bucket (S3 server access logging does not support SSE-KMS destinations)",
    });
  }
  if (props.minimumTlsVersion !== undefined && props.minimumTlsVersion !== "1.2" && props.minimumTlsVersion !== "1.3") {
    problems.push({ path: "minimumTlsVersion", value: props.minimumTlsVersion, allowed: "'1.2' or '1.3'" });
  }
  if (props.accessLogsBucket instanceof SecureBucket && !props.accessLogsBucket.accessLogsTarget) {
    problems.push({
      path: "accessLogsBucket",
      value: props.accessLogsBucket.node.path,
      allowed: "a SecureBucket created with accessLogsTarget: true",
    });
  }
  if (props.accessLogsPrefix !== undefined && props.accessLogsBucket === undefined) {
    problems.push({ path: "accessLogsPrefix", value: props.accessLogsPrefix, allowed: "nothing unless accessLogsBucket is given" });
  }
  wholeDays(problems, "abortIncompleteMultipartUploadDays", props.abortIncompleteMultipartUploadDays, 1);
  wholeDays(problems, "noncurrentVersionExpirationDays", props.noncurrentVersionExpirationDays, 1);
  wholeDays(problems, "intelligentTieringTransitionDays", props.intelligentTieringTransitionDays, 0);
  wholeDays(problems, "expirationDays", props.expirationDays, 1);
  if (props.objectLock !== undefined) {
    if (props.objectLock.mode !== "GOVERNANCE" && props.objectLock.mode !== "COMPLIANCE") problems.push({ path: "objectLock.mode", value: props.objectLock.mode, allowed: "'GOVERNANCE' or 'COMPLIANCE'" });
    wholeDays(problems, "objectLock.days", props.objectLock.days, 1);
    if (props.objectLock.days === undefined) problems.push({ path: "objectLock.days", value: undefined, allowed: "a whole number of days, at least 1" });
  }
  const tierDays = props.intelligentTiering === false ? undefined : props.intelligentTieringTransitionDays ?? 30;
  if (props.expirationDays !== undefined && tierDays !== undefined && props.expirationDays <= tierDays) {
    problems.push({
      path: "expirationDays",
      value: props.expirationDays,
      allowed: `more than intelligentTieringTransitionDays (${tierDays}), or intelligentTiering: false`,
    });
  }
  return problems;
}
