import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecureBucket, SecureBucketProps, validateSecureBucketProps } from "../../../constructs/storage";

interface Statement {
  sid: string;
  effect: string;
  actions: string[];
  principals: Array<{ type: string; identifiers: string[] }>;
  condition?: Array<{ test: string; variable: string; values: string[] }>;
}
interface Rule {
  id: string;
  status: string;
  transition?: Array<{ days: number; storage_class: string }>;
  expiration?: Array<{ days?: number; expired_object_delete_marker?: boolean }>;
  noncurrent_version_expiration?: Array<{ noncurrent_days: number }>;
  abort_incomplete_multipart_upload?: Array<{ days_after_initiation: number }>;
}

function newStack() {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

function synth(props: SecureBucketProps = {}) {
  const stack = newStack();
  const bucket = new SecureBucket(stack, "Data", props);
  const json = Testing.synth(stack);
  return { bucket, json, parsed: JSON.parse(json) };
}

/** Resources of one Terraform type whose logical id starts with a construct id. */
function resourcesOf<T>(parsed: any, type: string, idPrefix = ""): T[] {
  return Object.entries(parsed.resource?.[type] ?? {})
    .filter(([name]) => name.startsWith(idPrefix))
    .map(([, value]) => value as T);
}

function policyStatements(parsed: any, idPrefix = "Data_"): Statement[] {
  const doc = Object.entries(parsed.data.aws_iam_policy_document).find(([name]) => name.startsWith(`${idPrefix}PolicyDocument`));
  return (doc?.[1] as { statement: Statement[] }).statement;
}

function lifecycleRules(parsed: any, idPrefix = "Data_"): Rule[] {
  return resourcesOf<{ rule: Rule[] }>(parsed, "aws_s3_bucket_lifecycle_configuration", idPrefix)[0].rule;
}

function rule(parsed: any, id: string, idPrefix = "Data_"): Rule | undefined {
  return lifecycleRules(parsed, idPrefix).find((r) => r.id === id);
}

describe("SecureBucket defaults", () => {
  test("turns versioning on", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
  });

  test("encrypts with SSE-KMS under a key of its own, with an S3 bucket key", () => {
    const { json, bucket } = synth();
    expect(json).toHaveResource(KmsKeyResource);
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Data_Key_\w+\.arn\}$/) },
          bucket_key_enabled: true,
        },
      ],
    });
    expect(bucket.encryption).toBe("KMS");
    expect(bucket.createdKey).toBeDefined();
  });

  test("blocks every kind of public access", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs with BucketOwnerEnforced", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("denies plain HTTP and TLS below 1.2 to everyone", () => {
    const { parsed, bucket } = synth();
    const statements = policyStatements(parsed);
    expect(statements.map((s) => s.sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
    expect(statements[0]).toMatchObject({
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(statements[1].condition).toEqual([{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }]);
    expect(bucket.minimumTlsVersion).toBe("1.2");
  });

  test("applies the bucket policy after the public access block", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(S3BucketPolicy, {
      depends_on: [expect.stringMatching(/^aws_s3_bucket_public_access_block\.Data_PublicAccessBlock_/)],
    });
  });

  test("applies the lifecycle after versioning is on", () => {
    expect(synth().json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      depends_on: [expect.stringMatching(/^aws_s3_bucket_versioning\.Data_Versioning_/)],
    });
  });

  test("aborts multipart uploads after 7 days, expires old versions after 90 and tiers after 30", () => {
    const { parsed, bucket } = synth();
    expect(rule(parsed, "abort-incomplete-multipart-uploads")?.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(rule(parsed, "expire-noncurrent-versions")?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(rule(parsed, "transition-to-intelligent-tiering")?.transition).toEqual([{ days: 30, storage_class: "INTELLIGENT_TIERING" }]);
    expect(rule(parsed, "remove-expired-delete-markers")?.expiration).toEqual([{ expired_object_delete_marker: true }]);
    expect(rule(parsed, "expire-current-versions")).toBeUndefined();
    expect(lifecycleRules(parsed).every((r) => r.status === "Enabled")).toBe(true);
    expect([bucket.abortIncompleteMultipartUploadDays, bucket.noncurrentVersionExpirationDays, bucket.intelligentTieringTransitionDays]).toEqual([
      7, 90, 30,
    ]);
  });

  test("keeps objects on destroy, allows destroy, logs nowhere and sends no notifications", () => {
    const { json, parsed, bucket } = synth();
    expect(json).toHaveResourceWithProperties(S3Bucket, { force_destroy: false });
    expect(resourcesOf<{ lifecycle?: unknown }>(parsed, "aws_s3_bucket")[0].lifecycle).toBeUndefined();
    expect(json).not.toHaveResource(S3BucketLoggingA);
    expect(json).not.toHaveResource(S3BucketNotification);
    expect([bucket.forceDestroy, bucket.preventDestroy, bucket.accessLogsTarget]).toEqual([false, false, false]);
    // Account and partition lookups exist only for the log delivery statement (the key has its own).
    expect(Object.keys(parsed.data.aws_caller_identity).filter((k) => k.startsWith("Data_Account"))).toEqual([]);
  });
});

describe("SecureBucket options", () => {
  test("uses a key passed in instead of creating one", () => {
    const { json, bucket } = synth({ encryptionKey: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/abc" } });
    expect(json).not.toHaveResource(KmsKeyResource);
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: expect.objectContaining({ kms_master_key_id: "arn:aws:kms:eu-west-1:111122223333:key/abc" }) })],
    });
    expect(bucket.createdKey).toBeUndefined();
  });

  test("uses SSE-S3 without any key when asked", () => {
    const { json, bucket } = synth({ encryption: "S3_MANAGED" });
    expect(json).not.toHaveResource(KmsKeyResource);
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(bucket.encryptionKeyArn).toBeUndefined();
  });

  test("names the bucket exactly or by prefix", () => {
    expect(synth({ bucketName: "team-data-1" }).json).toHaveResourceWithProperties(S3Bucket, { bucket: "team-data-1" });
    expect(synth({ bucketPrefix: "team-data-" }).json).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "team-data-" });
  });

  test("requires TLS 1.3 when asked, or drops the TLS version rule", () => {
    expect(policyStatements(synth({ minimumTlsVersion: "1.3" }).parsed)[1].condition?.[0].values).toEqual(["1.3"]);
    expect(policyStatements(synth({ enforceMinimumTlsVersion: false }).parsed).map((s) => s.sid)).toEqual(["DenyInsecureTransport"]);
  });

  test("appends extra policy statements after the defaults", () => {
    const { parsed } = synth({ extraPolicyStatements: [{ sid: "ReadForAuditors", effect: "Allow", actions: ["s3:GetObject"], resources: ["*"] }] });
    expect(policyStatements(parsed).map((s) => s.sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "ReadForAuditors"]);
  });

  test("takes every lifecycle period from props", () => {
    const { parsed } = synth({
      abortIncompleteMultipartUploadDays: 2,
      noncurrentVersionExpirationDays: 14,
      intelligentTieringTransitionDays: 0,
      expirationDays: 400,
    });
    expect(rule(parsed, "abort-incomplete-multipart-uploads")?.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
    expect(rule(parsed, "expire-noncurrent-versions")?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 14 }]);
    expect(rule(parsed, "transition-to-intelligent-tiering")?.transition).toEqual([{ days: 0, storage_class: "INTELLIGENT_TIERING" }]);
    expect(rule(parsed, "expire-current-versions")?.expiration).toEqual([{ days: 400 }]);
  });

  test("skips the INTELLIGENT_TIERING transition when tiering is off", () => {
    const { parsed, bucket } = synth({ intelligentTiering: false });
    expect(rule(parsed, "transition-to-intelligent-tiering")).toBeUndefined();
    expect(bucket.intelligentTieringTransitionDays).toBeUndefined();
  });

  test("sends events to EventBridge when asked", () => {
    expect(synth({ eventBridgeNotifications: true }).json).toHaveResourceWithProperties(S3BucketNotification, { eventbridge: true });
  });

  test("sets force_destroy and prevent_destroy on the bucket and its key when asked", () => {
    const { json, parsed } = synth({ forceDestroy: true, preventDestroy: true });
    expect(json).toHaveResourceWithProperties(S3Bucket, { force_destroy: true, lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(KmsKeyResource, { lifecycle: { prevent_destroy: true } });
    expect(resourcesOf(parsed, "aws_s3_bucket")).toHaveLength(1);
  });

  test("protects the bucket policy and the public access block with prevent_destroy too", () => {
    // Destroying either alone would drop the TLS-only guard or let the bucket be made public.
    const { parsed } = synth({ preventDestroy: true });
    for (const type of ["aws_s3_bucket_policy", "aws_s3_bucket_public_access_block"]) {
      expect(resourcesOf(parsed, type).map((r: any) => r.lifecycle)).toEqual([{ prevent_destroy: true }]);
    }
    const unprotected = synth({}).parsed;
    expect(resourcesOf(unprotected, "aws_s3_bucket_policy").map((r: any) => r.lifecycle)).toEqual([undefined]);
  });
});

describe("SecureBucket access logging", () => {
  function withLogBucket(dataProps: Partial<SecureBucketProps> = {}) {
    const stack = newStack();
    const logs = new SecureBucket(stack, "Logs", { accessLogsTarget: true });
    const data = new SecureBucket(stack, "Data", { accessLogsBucket: logs, ...dataProps });
    const json = Testing.synth(stack);
    return { logs, data, json, parsed: JSON.parse(json) };
  }

  test("logs into the target bucket under the bucket's name, partitioned by event time", () => {
    const { json } = withLogBucket();
    expect(json).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: "${aws_s3_bucket.Data_Bucket_80AFC3B6.id}",
      target_bucket: "${aws_s3_bucket.Logs_Bucket_8640D480.id}",
      target_prefix: "${aws_s3_bucket.Data_Bucket_80AFC3B6.id}/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
    });
  });

  test("starts logging only after the target bucket's policy admits the log service", () => {
    const { parsed, logs } = withLogBucket();
    const logging = resourcesOf<{ depends_on?: string[] }>(parsed, "aws_s3_bucket_logging", "Data_")[0];
    expect(logging.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.Logs_Policy_\w+$/)]);
    expect(logs.bucketPolicy).toBeDefined();
  });

  test("uses a custom log prefix when given", () => {
    expect(withLogBucket({ accessLogsPrefix: "data/" }).json).toHaveResourceWithProperties(S3BucketLoggingA, { target_prefix: "data/" });
  });

  test("lets the log service of this account write logs of the registered source buckets only", () => {
    const { parsed } = withLogBucket();
    const delivery = policyStatements(parsed, "Logs_").find((s) => s.sid === "S3ServerAccessLogDelivery");
    expect(delivery).toMatchObject({
      effect: "Allow",
      actions: ["s3:PutObject"],
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
    });
    expect(delivery?.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.Logs_Account_71B3A011.account_id}"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: ["${aws_s3_bucket.Data_Bucket_80AFC3B6.arn}"] },
    ]);
  });

  test("admits any bucket of this account until a source registers", () => {
    const { parsed } = synth({ accessLogsTarget: true });
    const delivery = policyStatements(parsed).find((s) => s.sid === "S3ServerAccessLogDelivery");
    expect(delivery?.condition?.[1].values).toEqual([expect.stringMatching(/^arn:\$\{data\.aws_partition\.Data_Partition_\w+\.partition\}:s3:::\*$/)]);
  });

  test("the log bucket uses SSE-S3 and does not log to itself", () => {
    const { logs, parsed } = withLogBucket();
    expect(logs.encryption).toBe("S3_MANAGED");
    expect(resourcesOf(parsed, "aws_s3_bucket_server_side_encryption_configuration", "Logs_")[0]).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(resourcesOf(parsed, "aws_s3_bucket_logging", "Logs_")).toHaveLength(0);
    expect(resourcesOf(parsed, "aws_kms_key", "Logs_")).toHaveLength(0);
  });

  test("logs into a bucket of another stack given by name", () => {
    const { json, parsed } = synth({ accessLogsBucket: { bucketId: "central-access-logs" } });
    expect(json).toHaveResourceWithProperties(S3BucketLoggingA, { target_bucket: "central-access-logs" });
    expect(policyStatements(parsed).map((s) => s.sid)).not.toContain("S3ServerAccessLogDelivery");
    expect(resourcesOf<{ depends_on?: string[] }>(parsed, "aws_s3_bucket_logging", "Data_")[0].depends_on).toBeUndefined();
  });

  test("waits for the given policy of a bucket of another construct", () => {
    const stack = newStack();
    const target = new SecureBucket(stack, "Central", { accessLogsTarget: true });
    new SecureBucket(stack, "Data", { accessLogsBucket: { bucketId: "central-access-logs", bucketPolicy: target.bucketPolicy } });
    const parsed = JSON.parse(Testing.synth(stack));
    expect(resourcesOf<{ depends_on?: string[] }>(parsed, "aws_s3_bucket_logging", "Data_")[0].depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_policy\.Central_Policy_\w+$/),
    ]);
  });

  test("allowAccessLogsFrom fails on a bucket that is not a log target", () => {
    const stack = newStack();
    const plain = new SecureBucket(stack, "Plain");
    expect(() => plain.allowAccessLogsFrom("arn:aws:s3:::x")).toThrow(/accessLogsTarget: got false/);
  });
});

describe("validateSecureBucketProps", () => {
  const paths = (props: SecureBucketProps) => validateSecureBucketProps(props).map((p) => p.path);

  test("accepts the defaults", () => {
    expect(validateSecureBucketProps({})).toEqual([]);
  });

  test("fails when the bucket name is shorter than 3 or longer than 63 characters", () => {
    expect(paths({ bucketName: "ab" })).toContain("bucketName");
    expect(paths({ bucketName: "a".repeat(64) })).toContain("bucketName");
    expect(paths({ bucketName: "a".repeat(63) })).toEqual([]);
  });

  test("fails when the bucket name has uppercase letters or underscores", () => {
    expect(() => synth({ bucketName: "My_Bucket" })).toThrow(/bucketName: got "My_Bucket"; allowed: lowercase letters/);
  });

  test("fails when the bucket name has two adjacent periods", () => {
    expect(validateSecureBucketProps({ bucketName: "my..bucket" })).toEqual([expect.objectContaining({ allowed: "no two adjacent periods" })]);
  });

  test("fails when the bucket name looks like an IP address", () => {
    expect(validateSecureBucketProps({ bucketName: "192.168.5.4" })).toEqual([
      expect.objectContaining({ allowed: "a name that is not formatted as an IP address" }),
    ]);
  });

  test("fails when the bucket name uses a reserved prefix or suffix", () => {
    expect(paths({ bucketName: "xn--bucket" })).toEqual(["bucketName"]);
    expect(paths({ bucketName: "bucket-s3alias" })).toEqual(["bucketName"]);
  });

  test("fails when both a name and a prefix are given", () => {
    expect(paths({ bucketName: "abc", bucketPrefix: "abc-" })).toEqual(["bucketPrefix"]);
  });

  test("fails when the prefix is longer than 37 characters or not lowercase", () => {
    expect(paths({ bucketPrefix: "a".repeat(38) })).toEqual(["bucketPrefix"]);
    expect(paths({ bucketPrefix: "Data-" })).toEqual(["bucketPrefix"]);
  });

  test("fails when a lifecycle period is below one day or fractional", () => {
    expect(paths({ abortIncompleteMultipartUploadDays: 0 })).toEqual(["abortIncompleteMultipartUploadDays"]);
    expect(paths({ noncurrentVersionExpirationDays: 0 })).toEqual(["noncurrentVersionExpirationDays"]);
    expect(paths({ expirationDays: 1.5, intelligentTiering: false })).toEqual(["expirationDays"]);
  });

  test("fails when the tiering transition is negative", () => {
    expect(() => synth({ intelligentTieringTransitionDays: -1 })).toThrow(
      /intelligentTieringTransitionDays: got -1; allowed: a whole number of days, at least 0/,
    );
  });

  test("fails when objects would expire before they reach INTELLIGENT_TIERING", () => {
    expect(paths({ expirationDays: 30 })).toEqual(["expirationDays"]);
    expect(paths({ expirationDays: 30, intelligentTiering: false })).toEqual([]);
  });

  test("fails when a log target is asked to use SSE-KMS", () => {
    expect(paths({ accessLogsTarget: true, encryption: "KMS" })).toEqual(["encryption"]);
  });

  test("fails when a key is given with SSE-S3 encryption", () => {
    expect(paths({ encryption: "S3_MANAGED", encryptionKey: { keyArn: "arn" } })).toEqual(["encryptionKey"]);
    expect(paths({ accessLogsTarget: true, encryptionKey: { keyArn: "arn" } })).toEqual(["encryptionKey"]);
  });

  test("fails when the encryption or TLS version is not a known value", () => {
    expect(paths({ encryption: "DSSE" as never })).toEqual(["encryption"]);
    expect(paths({ minimumTlsVersion: "1.1" as never })).toEqual(["minimumTlsVersion"]);
  });

  test("fails when the log bucket is a SecureBucket that does not accept logs", () => {
    const stack = newStack();
    const notTarget = new SecureBucket(stack, "NotLogs");
    expect(() => new SecureBucket(stack, "Data", { accessLogsBucket: notTarget })).toThrow(
      /accessLogsBucket: got "test\/NotLogs"; allowed: a SecureBucket created with accessLogsTarget: true/,
    );
  });

  test("fails when a log prefix is given without a log bucket", () => {
    expect(paths({ accessLogsPrefix: "x/" })).toEqual(["accessLogsPrefix"]);
  });
});
