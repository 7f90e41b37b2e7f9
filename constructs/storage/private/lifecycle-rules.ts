import { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";

/** Resolved lifecycle periods of a SecureBucket, in days. */
export interface LifecyclePeriods {
  readonly abortIncompleteMultipartUploadDays: number;
  readonly noncurrentVersionExpirationDays: number;
  /** Days before objects move to Intelligent-Tiering. @default - no tiering */
  readonly intelligentTieringTransitionDays?: number;
  /** Days before current objects expire. @default - they never expire */
  readonly expirationDays?: number;
}

/** Lifecycle rules of a SecureBucket; rule ids are stable because S3 shows and reports them. */
export function lifecycleRules(periods: LifecyclePeriods): S3BucketLifecycleConfigurationRule[] {
  // An empty prefix filter applies a rule to every object (provider 6 warns when no filter is given).
  const everyObject = [{ prefix: "" }];
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: everyObject,
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: periods.abortIncompleteMultipartUploadDays }],
    },
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: everyObject,
      noncurrentVersionExpiration: [{ noncurrentDays: periods.noncurrentVersionExpirationDays }],
    },
    {
      // A delete marker with no versions behind it only slows down listings.
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: everyObject,
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
  ];
  if (periods.intelligentTieringTransitionDays !== undefined) {
    rules.push({
      id: "transition-to-intelligent-tiering",
      status: "Enabled",
      filter: everyObject,
      transition: [{ days: periods.intelligentTieringTransitionDays, storageClass: "INTELLIGENT_TIERING" }],
    });
  }
  if (periods.expirationDays !== undefined) {
    rules.push({ id: "expire-current-versions", status: "Enabled", filter: everyObject, expiration: [{ days: periods.expirationDays }] });
  }
  return rules;
}
