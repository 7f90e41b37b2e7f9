import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { ICluster } from "../../../constructs/cluster/cluster-types";
import { INetwork } from "../../../constructs/network/network-types";
import { Storage, StorageProps, validateStorageProps } from "../../../constructs/storage";
import { fakeCluster, fakeNetwork } from "../../support/fakes";

const network: INetwork = fakeNetwork({
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  intraSubnetIds: [],
});

const cluster: ICluster = fakeCluster({ clusterSecurityGroupId: "sg-cluster" });

type Props = Partial<StorageProps>;

const KEY_ADMIN = "arn:aws:iam::111122223333:role/kms-admin";
const DEPLOY = "arn:aws:iam::111122223333:role/deploy";
const BREAK_GLASS = "arn:aws:iam::111122223333:role/break-glass";
const keyAdministration = { adminRoleArns: [KEY_ADMIN, DEPLOY], breakGlassRoleArn: BREAK_GLASS };

function synth(extra: Props = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const storage = new Storage(stack, "Storage", { network, cluster, namePrefix: "dev-platform", keyAdministration, ...extra });
  const json = Testing.synth(stack);
  return { storage, json, parsed: JSON.parse(json) };
}

/** Logical ids of one resource type, with the cdktf hash suffix removed. */
function ids(parsed: any, type: string): string[] {
  return Object.keys(parsed.resource?.[type] ?? {})
    .map((k) => k.replace(/_[0-9A-F]{8}$/, ""))
    .sort();
}

function byId<T>(parsed: any, type: string, idPrefix: string): T {
  const entry = Object.entries(parsed.resource[type]).find(([k]) => k.startsWith(idPrefix));
  if (!entry) throw new Error(`no ${type} ${idPrefix}`);
  return entry[1] as T;
}

function rules(parsed: any, bucket: string): Array<{ id: string; [k: string]: unknown }> {
  return byId<{ rule: Array<{ id: string }> }>(parsed, "aws_s3_bucket_lifecycle_configuration", `Storage_${bucket}_`).rule;
}

describe("Storage defaults", () => {
  test("creates a log, a backups and an artifacts bucket with stable construct ids and prefixed names", () => {
    const { parsed, json } = synth();
    expect(ids(parsed, "aws_s3_bucket")).toEqual(["Storage_ArtifactsBucket", "Storage_BackupsBucket", "Storage_LogsBucket"]);
    for (const prefix of ["dev-platform-logs-", "dev-platform-backups-", "dev-platform-artifacts-"]) {
      expect(json).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: prefix, force_destroy: false });
    }
  });

  test("creates one customer key per purpose with aliases, none for the log bucket", () => {
    const { parsed, json } = synth();
    expect(ids(parsed, "aws_kms_key")).toEqual(["Storage_ArtifactsKey", "Storage_BackupsKey", "Storage_EfsKey"]);
    for (const alias of ["alias/dev-platform/backups", "alias/dev-platform/artifacts", "alias/dev-platform/efs"]) {
      expect(json).toHaveResourceWithProperties(KmsAlias, { name: alias });
    }
  });

  test("encrypts backups and artifacts with their own keys and the log bucket with SSE-S3", () => {
    const { parsed } = synth();
    const sse = (bucket: string) =>
      byId<{ rule: Array<{ apply_server_side_encryption_by_default: Record<string, string> }> }>(
        parsed,
        "aws_s3_bucket_server_side_encryption_configuration",
        `Storage_${bucket}_`,
      ).rule[0].apply_server_side_encryption_by_default;
    expect(sse("BackupsBucket").kms_master_key_id).toMatch(/^\$\{aws_kms_key\.Storage_BackupsKey_\w+\.arn\}$/);
    expect(sse("ArtifactsBucket").kms_master_key_id).toMatch(/^\$\{aws_kms_key\.Storage_ArtifactsKey_\w+\.arn\}$/);
    expect(sse("LogsBucket")).toEqual({ sse_algorithm: "AES256" });
  });

  test("logs backups and artifacts into the log bucket, and the log bucket nowhere", () => {
    const { parsed } = synth();
    expect(ids(parsed, "aws_s3_bucket_logging")).toEqual(["Storage_ArtifactsBucket_AccessLogs", "Storage_BackupsBucket_AccessLogs"]);
    for (const bucket of ["ArtifactsBucket", "BackupsBucket"]) {
      expect(byId<{ target_bucket: string }>(parsed, "aws_s3_bucket_logging", `Storage_${bucket}_`).target_bucket).toMatch(
        /^\$\{aws_s3_bucket\.Storage_LogsBucket_\w+\.id\}$/,
      );
    }
  });

  test("applies backups and artifacts logging after the log bucket's policy admits the log service", () => {
    const { parsed } = synth();
    for (const bucket of ["ArtifactsBucket", "BackupsBucket"]) {
      expect(byId<{ depends_on?: string[] }>(parsed, "aws_s3_bucket_logging", `Storage_${bucket}_`).depends_on).toEqual([
        expect.stringMatching(/^aws_s3_bucket_policy\.Storage_LogsBucket_Policy_\w+$/),
      ]);
    }
  });

  test("admits exactly the backups and artifacts buckets as log sources", () => {
    const { parsed } = synth();
    const doc = Object.entries(parsed.data.aws_iam_policy_document).find(([k]) => k.startsWith("Storage_LogsBucket_PolicyDocument"))?.[1] as {
      statement: Array<{ sid: string; condition: Array<{ variable: string; values: string[] }> }>;
    };
    const sourceArns = doc.statement.find((s) => s.sid === "S3ServerAccessLogDelivery")?.condition.find((c) => c.variable === "aws:SourceArn")?.values;
    expect(sourceArns).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.Storage_BackupsBucket_\w+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.Storage_ArtifactsBucket_\w+\.arn\}$/),
    ]);
  });

  test("keeps access logs 365 days without tiering, versions 90 days, tiers data after 30 days", () => {
    const { parsed, storage } = synth();
    expect(rules(parsed, "LogsBucket").find((r) => r.id === "expire-current-versions")?.expiration).toEqual([{ days: 365 }]);
    expect(rules(parsed, "LogsBucket").map((r) => r.id)).not.toContain("transition-to-intelligent-tiering");
    for (const bucket of ["LogsBucket", "BackupsBucket", "ArtifactsBucket"]) {
      expect(rules(parsed, bucket).find((r) => r.id === "expire-noncurrent-versions")?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    }
    for (const bucket of ["BackupsBucket", "ArtifactsBucket"]) {
      expect(rules(parsed, bucket).find((r) => r.id === "transition-to-intelligent-tiering")?.transition).toEqual([
        { days: 30, storage_class: "INTELLIGENT_TIERING" },
      ]);
      expect(rules(parsed, bucket).map((r) => r.id)).not.toContain("expire-current-versions");
    }
    expect([storage.accessLogRetentionDays, storage.noncurrentVersionExpirationDays, storage.intelligentTieringTransitionDays]).toEqual([365, 90, 30]);
  });

  test("builds EFS with its own key and exposes it", () => {
    const { json, storage } = synth();
    expect(json).toHaveResourceWithProperties(EfsFileSystem, { kms_key_id: expect.stringMatching(/Storage_EfsKey_\w+\.arn/) });
    expect(storage.efs?.fileSystemId).toBeDefined();
    expect(storage.efs?.createdKey).toBeUndefined();
  });

  test("does not prevent destroy anywhere", () => {
    const { json, storage } = synth();
    expect(json).not.toMatch(/prevent_destroy/);
    expect(storage.preventDestroy).toBe(false);
  });
});

describe("Storage options", () => {
  test("prevents destroying every key, bucket and the file system when asked", () => {
    const { parsed } = synth({ preventDestroy: true });
    const protectedIds = (type: string) =>
      Object.entries(parsed.resource[type] as Record<string, { lifecycle?: { prevent_destroy?: boolean } }>)
        .filter(([, r]) => r.lifecycle?.prevent_destroy === true)
        .map(([k]) => k.replace(/_[0-9A-F]{8}$/, ""))
        .sort();
    expect(protectedIds("aws_kms_key")).toEqual(ids(parsed, "aws_kms_key"));
    expect(protectedIds("aws_s3_bucket")).toEqual(ids(parsed, "aws_s3_bucket"));
    expect(protectedIds("aws_efs_file_system")).toEqual(["Storage_Efs_FileSystem"]);
    expect(ids(parsed, "aws_kms_key")).toHaveLength(3);
  });

  test("lets destroy empty the buckets when asked", () => {
    const { parsed } = synth({ forceDestroy: true });
    expect(Object.values(parsed.resource.aws_s3_bucket).map((b) => (b as { force_destroy: boolean }).force_destroy)).toEqual([true, true, true]);
  });

  test("takes retention and lifecycle periods from props", () => {
    const { parsed } = synth({
      accessLogRetentionDays: 30,
      noncurrentVersionExpirationDays: 7,
      intelligentTieringTransitionDays: 0,
      artifactsExpirationDays: 180,
    });
    expect(rules(parsed, "LogsBucket").find((r) => r.id === "expire-current-versions")?.expiration).toEqual([{ days: 30 }]);
    expect(rules(parsed, "BackupsBucket").find((r) => r.id === "expire-noncurrent-versions")?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 7 }]);
    expect(rules(parsed, "BackupsBucket").find((r) => r.id === "transition-to-intelligent-tiering")?.transition).toEqual([
      { days: 0, storage_class: "INTELLIGENT_TIERING" },
    ]);
    expect(rules(parsed, "ArtifactsBucket").find((r) => r.id === "expire-current-versions")?.expiration).toEqual([{ days: 180 }]);
    expect(rules(parsed, "BackupsBucket").map((r) => r.id)).not.toContain("expire-current-versions");
  });

  test("skips EFS and its key with efs: false", () => {
    const { json, parsed, storage } = synth({ efs: false });
    expect(json).not.toHaveResource(EfsFileSystem);
    expect(ids(parsed, "aws_kms_key")).toEqual(["Storage_ArtifactsKey", "Storage_BackupsKey"]);
    expect(storage.efs).toBeUndefined();
  });

  test("passes EFS options through", () => {
    const { storage } = synth({ efs: { posixUid: 2000, posixGid: 2000, transitionToIa: "AFTER_90_DAYS" } });
    expect([storage.efs?.posixUid, storage.efs?.transitionToIa]).toEqual([2000, "AFTER_90_DAYS"]);
  });
});

describe("Storage key policies (separation of duties, FSBP KMS.3)", () => {
  const { parsed } = synth();
  const docs = parsed.data.aws_iam_policy_document as Record<string, { statement: Array<Record<string, any>> }>;
  const policyOf = (key: string) => Object.entries(docs).find(([id]) => id.startsWith(`Storage_${key}_Policy_`))![1].statement;

  test.each([
    ["BackupsKey", "s3"],
    ["ArtifactsKey", "s3"],
    ["EfsKey", "elasticfilesystem"],
  ])("%s: admins without use, use only through %s of this account, deletion and policy changes only by break-glass", (key, service) => {
    const statements = policyOf(key);
    // No account-root kms:* any more: an IAM administrator can neither decrypt outside the service nor delete.
    expect(statements.flatMap((s) => s.actions)).not.toContain("kms:*");
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    const admin = bySid.KeyAdministrationWithoutUse;
    expect(admin.principals[0].identifiers).toEqual([KEY_ADMIN, DEPLOY, BREAK_GLASS]);
    for (const forbidden of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
      expect(admin.actions).not.toContain(forbidden);
    }
    const use = bySid.UseOnlyThroughOwningServicesOfThisAccount;
    expect(use.actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey"]));
    const vars = Object.fromEntries(use.condition.map((c: any) => [c.variable, c.values]));
    expect(vars["kms:ViaService"]).toEqual([expect.stringMatching(new RegExp(`^${service}\\.\\$\\{data\\.aws_region\\.`))]);
    expect(vars["kms:CallerAccount"]).toEqual([expect.stringMatching(/^\$\{data\.aws_caller_identity\./)]);
    expect(bySid.BreakGlassDeletesDisablesAndChangesPolicy.principals[0].identifiers).toEqual([BREAK_GLASS]);
    const deny = bySid.DenyDeletionAndPolicyChangesButBreakGlass;
    expect(deny.effect).toBe("Deny");
    expect(deny.actions).toEqual(expect.arrayContaining(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]));
    expect(deny.condition).toEqual([{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [BREAK_GLASS] }]);
  });

  test("no principal but break-glass is allowed to delete, disable or re-policy a storage key", () => {
    for (const key of ["BackupsKey", "ArtifactsKey", "EfsKey"]) {
      const allows = policyOf(key).filter((s) => s.effect !== "Deny");
      const holders = allows.filter((s) => s.actions.some((a: string) => ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"].includes(a)));
      expect(holders.flatMap((s) => s.principals[0].identifiers)).toEqual([BREAK_GLASS]);
    }
  });

  test("fails when the key administration names no role, or break-glass administers too", () => {
    expect(() => synth({ keyAdministration: { adminRoleArns: [], breakGlassRoleArn: BREAK_GLASS } })).toThrow(/administration\.adminRoleArns: got \[\]; allowed: at least one role/);
    expect(() => synth({ keyAdministration: { adminRoleArns: [BREAK_GLASS], breakGlassRoleArn: BREAK_GLASS } })).toThrow(/administration\.breakGlassRoleArn: got ".*"; allowed: a role that is not also a key administrator/);
  });
});

describe("validateStorageProps", () => {
  const paths = (extra: Props) => validateStorageProps({ network, cluster, namePrefix: "dev", keyAdministration, ...extra }).map((p) => p.path);

  test("accepts the defaults", () => {
    expect(paths({})).toEqual([]);
  });

  test("fails when the name prefix is not lowercase letters, digits and dashes", () => {
    expect(() => synth({ namePrefix: "Dev_Platform" })).toThrow(/namePrefix: got "Dev_Platform"; allowed: 1 to 26 lowercase letters/);
  });

  test("fails when the name prefix would make a bucket prefix longer than 37 characters", () => {
    expect(paths({ namePrefix: "a".repeat(27) })).toEqual(["namePrefix"]);
    expect(paths({ namePrefix: "a".repeat(26) })).toEqual([]);
  });

  test("fails when a retention period is below one day", () => {
    expect(paths({ accessLogRetentionDays: 0 })).toEqual(["accessLogRetentionDays"]);
    expect(paths({ noncurrentVersionExpirationDays: 0.5 })).toEqual(["noncurrentVersionExpirationDays"]);
  });

  test("fails when the tiering transition is negative", () => {
    expect(paths({ intelligentTieringTransitionDays: -1 })).toEqual(["intelligentTieringTransitionDays"]);
  });

  test("fails when artifacts would expire before they are tiered", () => {
    expect(paths({ artifactsExpirationDays: 30 })).toEqual(["artifactsExpirationDays"]);
  });

  test("fails when an EFS option is invalid, naming it under efs.", () => {
    expect(() => synth({ efs: { posixUid: 0 } })).toThrow(/Storage: efs.posixUid: got 0/);
  });

  test("fails when EFS is wanted but the network has no private subnet", () => {
    expect(paths({ network: { ...network, privateSubnetIds: [] } })).toEqual(["network.privateSubnetIds"]);
    expect(paths({ network: { ...network, privateSubnetIds: [] }, efs: false })).toEqual([]);
  });
});

describe("Storage traces bucket", () => {
  test("none unless asked for", () => {
    const { storage, parsed } = synth();
    expect(storage.tracesBucket).toBeUndefined();
    expect(ids(parsed, "aws_s3_bucket")).not.toContain("Storage_TracesBucket");
  });

  test("a bucket of its own key that expires objects a day after the trace retention and keeps deleted blocks one day", () => {
    const { storage, parsed, json } = synth({ traces: { retentionDays: 14 } });
    expect(ids(parsed, "aws_s3_bucket")).toContain("Storage_TracesBucket");
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "dev-platform-traces-" });
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: "alias/dev-platform/traces" });
    expect(storage.tracesBucket!.encryptionKeyArn).toBe(storage.tracesKey!.keyArn);
    expect(storage.tracesKey!.keyArn).not.toBe(storage.backupsKey.keyArn);
    expect(rules(parsed, "TracesBucket").find((r) => r.id === "expire-current-versions")?.expiration).toEqual([{ days: 15 }]);
    expect(rules(parsed, "TracesBucket").find((r) => r.id === "expire-noncurrent-versions")?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 1 }]);
    // Objects that live days are never tiered (the monitoring fee would be all there is).
    expect(rules(parsed, "TracesBucket").map((r) => r.id)).not.toContain("transition-to-intelligent-tiering");
    // Its access logs go to the logs bucket like every other bucket's.
    expect(ids(parsed, "aws_s3_bucket_logging")).toContain("Storage_TracesBucket_AccessLogs");
  });

  test("fails when the retention is not whole days", () => {
    expect(validateStorageProps({ network, cluster, keyAdministration, traces: { retentionDays: 0 } }).map((p) => p.path)).toEqual(["traces.retentionDays"]);
  });
});
