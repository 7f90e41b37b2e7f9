import { ITerraformDependable, TerraformProvider } from "cdktf";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { KmsKey } from "../common/kms-key";
import type { SecureBucket } from "./secure-bucket";

/** A customer-managed KMS key, as far as a bucket needs it. {@link KmsKey} satisfies it. */
export interface IEncryptionKey {
  readonly keyArn: string;
}

/** A bucket that receives S3 server access logs but is not a {@link SecureBucket} of this app. */
export interface IAccessLogsBucket {
  /** Name (Terraform `id`) of the target bucket; its policy must already admit `logging.s3.amazonaws.com`. */
  readonly bucketId: string;
  /**
   * The resource that admits log delivery into the target bucket (its `aws_s3_bucket_policy`), when it is
   * managed in the same stack: the logging configuration is applied after it.
   * @default - the policy is assumed to be in place already
   */
  readonly bucketPolicy?: ITerraformDependable;
}

/** Default retention of S3 Object Lock. */
export interface BucketObjectLock {
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  /** Days each object version is kept (1 or more). */
  readonly days: number;
}

/** Default encryption of a {@link SecureBucket}. */
export type BucketEncryption = "KMS" | "S3_MANAGED";

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /**
   * Exact, globally unique bucket name. Mutually exclusive with `bucketPrefix`.
   * @default - Terraform generates a unique name (from `bucketPrefix` when given)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName?: string;
  /**
   * Prefix of a name Terraform makes unique (at most 37 characters).
   * @default - Terraform's own `terraform-` prefix
   */
  readonly bucketPrefix?: string;
  /**
   * Default encryption. `S3_MANAGED` (SSE-S3) is the named opt-out for buckets whose writers cannot use
   * KMS, such as S3 server access logging, which AWS documents as unsupported with SSE-KMS destinations.
   * @default - "KMS", or "S3_MANAGED" when `accessLogsTarget` is true
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  readonly encryption?: BucketEncryption;
  /**
   * Customer-managed key for SSE-KMS; not allowed with `S3_MANAGED` encryption.
   * @default - a dedicated {@link KmsKey} (id `Key`) with yearly rotation
   */
  readonly encryptionKey?: IEncryptionKey;
  /**
   * This bucket receives S3 server access logs: its policy lets `logging.s3.amazonaws.com` of this account
   * write into it, it does not log to itself (logging a log bucket into itself would loop), and its default
   * encryption is SSE-S3 (log delivery does not support SSE-KMS; CKV_AWS_145 must be skipped for it).
   * @default false
   */
  readonly accessLogsTarget?: boolean;
  /**
   * Where S3 server access logs of this bucket go. A {@link SecureBucket} must have `accessLogsTarget: true`
   * and is told to admit this bucket as a log source.
   * @default - no server access logging
   */
  readonly accessLogsBucket?: SecureBucket | IAccessLogsBucket;
  /**
   * Key prefix of this bucket's logs in the target bucket.
   * @default - `<this bucket's name>/`
   */
  readonly accessLogsPrefix?: string;
  /**
   * Deny requests negotiated below `minimumTlsVersion` (`s3:TlsVersion`), on top of the unconditional
   * denial of plain HTTP.
   * @default true
   */
  readonly enforceMinimumTlsVersion?: boolean;
  /**
   * Lowest TLS version accepted when `enforceMinimumTlsVersion` is on.
   * @default "1.2"
   */
  readonly minimumTlsVersion?: "1.2" | "1.3";
  /**
   * Days after which incomplete multipart uploads are aborted (their parts cost storage but are invisible).
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Days after which a replaced or deleted object version is removed for good.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Move current objects to INTELLIGENT_TIERING. Objects below 128 KB never move (S3's own minimum).
   * @default true
   */
  readonly intelligentTiering?: boolean;
  /**
   * Days after creation before the move to INTELLIGENT_TIERING; 0 moves objects at once. 30 avoids paying the
   * per-object monitoring fee for short-lived objects.
   * @default 30
   */
  readonly intelligentTieringTransitionDays?: number;
  /**
   * Days after which current objects expire (become noncurrent, then follow `noncurrentVersionExpirationDays`).
   * @default - current objects never expire
   */
  readonly expirationDays?: number;
  /**
   * Send all object events to Amazon EventBridge (satisfies CKV2_AWS_62). A bucket has one notification
   * configuration, so consumers then subscribe with EventBridge rules.
   * @default false
   */
  readonly eventBridgeNotifications?: boolean;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Terraform `prevent_destroy` on the bucket, its policy, its public access block (and on the key this
   * construct creates).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * S3 Object Lock: every object version is kept at least `days` in `mode` (`GOVERNANCE`: only a principal allowed
   * `s3:BypassGovernanceRetention` may shorten or remove it; `COMPLIANCE`: no one, not even the account root). Object
   * Lock can only be turned on when the bucket is created: adding it to an existing bucket replaces the bucket.
   * @default - no Object Lock
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   */
  readonly objectLock?: BucketObjectLock;
  /**
   * The AWS provider the bucket, its key and every part are created with (an aliased provider of another region, for
   * a replica).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Extra bucket policy statements, appended after the defaults (a bucket has exactly one policy).
   * @default - none
   */
  readonly extraPolicyStatements?: readonly DataAwsIamPolicyDocumentStatement[];
}
