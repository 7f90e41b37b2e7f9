import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Storage, StorageProps } from "../../../constructs/storage";
import { fakeCluster, fakeNetwork } from "../../support/fakes";

const network = fakeNetwork({ availabilityZones: ["eu-west-1a", "eu-west-1b"], publicSubnetIds: ["a", "b"], privateSubnetIds: ["c", "d"], intraSubnetIds: [] });
const keyAdministration = { adminRoleArns: ["arn:aws:iam::111122223333:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass" };

function synth(extra: (stack: TerraformStack) => Partial<StorageProps> = () => ({})) {
  const stack = new TerraformStack(Testing.app(), "storage");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new Storage(stack, "Storage", { network, cluster: fakeCluster(), namePrefix: "prod-platform", keyAdministration, efs: false, ...extra(stack) });
  return JSON.parse(Testing.synth(stack));
}
/** Resources of a type whose logical id (the construct path joined by `_`) contains `path`. */
const byPath = (tf: any, type: string, path: string) => Object.entries(tf.resource?.[type] ?? {}).filter(([id]) => id.includes(path.replace(/\//g, "_"))).map(([, r]) => r) as any[];

describe("the backups bucket's protection", () => {
  test("Object Lock is set when the bucket is created, with the default retention given", () => {
    const tf = synth(() => ({ backupsObjectLock: { mode: "GOVERNANCE", days: 14 } }));
    expect(byPath(tf, "aws_s3_bucket", "Storage/BackupsBucket")[0].object_lock_enabled).toBe(true);
    expect(byPath(tf, "aws_s3_bucket_object_lock_configuration", "BackupsBucket")[0].rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 14 } });
    // The other buckets stay as they were.
    expect(byPath(tf, "aws_s3_bucket", "Storage/ArtifactsBucket")[0].object_lock_enabled).toBeUndefined();
  });

  test("without the options nothing changes: no lock, no replica, no second provider", () => {
    const tf = synth();
    expect(tf.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
    expect(tf.resource.aws_s3_bucket_replication_configuration).toBeUndefined();
    expect(Object.keys(tf.provider.aws)).toHaveLength(1);
  });

  describe("a replica in another region", () => {
    const tf = synth((stack) => ({
      backupsObjectLock: { mode: "COMPLIANCE", days: 7 },
      backupsReplica: { provider: new AwsProvider(stack, "aws-eu-central-1", { alias: "eu-central-1", region: "eu-central-1" }), region: "eu-central-1" },
    }));
    const replica = "aws.eu-central-1";

    test("its bucket, key and every part are created in the replica's region", () => {
      // IAM is global and the replication rule belongs to the source: everything else of the replica is regional.
      const parts = Object.entries(tf.resource).flatMap(([type, rs]) =>
        Object.entries(rs as object).filter(([id]) => id.includes("BackupsReplica_") && !/^aws_iam_|replication_configuration/.test(type)).map(([id, r]: [string, any]) => [`${type}.${id}`, r.provider]),
      );
      expect(parts.length).toBeGreaterThan(8);
      expect(parts.filter(([, p]) => p !== replica)).toEqual([]);
      const regionData = Object.entries(tf.data.aws_region).filter(([id]) => id.includes("BackupsReplica_Key")).map(([, d]) => d) as any[];
      expect(regionData.map((d) => d.provider)).toEqual([replica]);
    });

    test("with its own key and the source's Object Lock", () => {
      const bucket = byPath(tf, "aws_s3_bucket", "BackupsReplica/Bucket")[0];
      expect(bucket.object_lock_enabled).toBe(true);
      expect(bucket.bucket_prefix).toBe("prod-platform-replica-");
      const sse = byPath(tf, "aws_s3_bucket_server_side_encryption_configuration", "BackupsReplica")[0];
      expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\.Storage_BackupsReplica_Key/);
      expect(byPath(tf, "aws_s3_bucket_object_lock_configuration", "BackupsReplica")[0].rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 7 } });
    });

    test("the rule replicates every SSE-KMS object and delete marker, re-encrypted with the replica's key, after both sides are versioned", () => {
      const rule = byPath(tf, "aws_s3_bucket_replication_configuration", "BackupsReplica")[0];
      expect(rule.provider).toBeUndefined();
      expect(rule.bucket).toMatch(/aws_s3_bucket\.Storage_BackupsBucket/);
      expect(rule.rule[0]).toMatchObject({
        status: "Enabled",
        delete_marker_replication: { status: "Enabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: { encryption_configuration: { replica_kms_key_id: expect.stringMatching(/aws_kms_key\.Storage_BackupsReplica_Key/) } },
      });
      expect(rule.depends_on.join(" ")).toMatch(/BackupsBucket_Versioning.*BackupsReplica_Bucket_Versioning/);
    });

    test("its role reads only the source, writes only the replica, each key only through S3 in its own region", () => {
      const doc = Object.entries(tf.data.aws_iam_policy_document).find(([id]) => /BackupsReplica_PolicyDocument/.test(id))![1] as any;
      const bySid = Object.fromEntries(doc.statement.map((s: any) => [s.sid, s]));
      expect(bySid.WriteReplica.resources[0]).toMatch(/Storage_BackupsReplica_Bucket_[0-9A-F]{8}\.arn}\/\*$/);
      expect(bySid.ReadSourceVersions.resources[0]).toMatch(/Storage_BackupsBucket_[0-9A-F]{8}\.arn}\/\*$/);
      expect(bySid.EncryptReplicaThroughS3.condition[0].values).toEqual(["s3.eu-central-1.amazonaws.com"]);
      expect(bySid.DecryptSourceThroughS3.resources[0]).toMatch(/Storage_BackupsKey/);
    });
  });
});
