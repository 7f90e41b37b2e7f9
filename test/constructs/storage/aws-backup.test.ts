import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsBackup, AwsBackupProps } from "../../../constructs/storage/aws-backup";

const keyAdministration = { adminRoleArns: ["arn:aws:iam::111122223333:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass" };
const EFS = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0";

function synth(props: (stack: TerraformStack) => Partial<AwsBackupProps> = () => ({})) {
  const stack = new TerraformStack(Testing.app(), "storage");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const backup = new AwsBackup(stack, "AwsBackup", { namePrefix: "prod-platform", keyAdministration, cron: "15 */6 * * *", retentionDays: 35, efsFileSystemArn: EFS, ...props(stack) });
  return { backup, tf: JSON.parse(Testing.synth(stack)) };
}
const only = (tf: any, type: string) => Object.values(tf.resource[type] ?? {}) as any[];

describe("AwsBackup", () => {
  test("a vault with its own customer-managed key, and a plan whose rule runs the cron in AWS's form and keeps points the days given", () => {
    const { tf, backup } = synth();
    const [vault] = only(tf, "aws_backup_vault");
    expect(vault).toMatchObject({ name: "prod-platform-vault", kms_key_arn: expect.stringMatching(/aws_kms_key\.AwsBackup_VaultKey/) });
    const [plan] = only(tf, "aws_backup_plan");
    expect(plan.rule[0]).toMatchObject({ schedule: "cron(15 0/6 * * ? *)", schedule_expression_timezone: "Etc/UTC", lifecycle: { delete_after: 35 } });
    expect(plan.rule[0].copy_action).toBeUndefined();
    expect(backup.scheduleExpression).toBe("cron(15 0/6 * * ? *)");
    expect(tf.resource.aws_backup_vault_lock_configuration).toBeUndefined();
  });

  test("selects the EFS file system by ARN and EBS volumes by the backup=true tag, under a role with AWS's backup and restore policies only", () => {
    const { tf } = synth();
    const selections = Object.fromEntries(only(tf, "aws_backup_selection").map((s) => [s.name, s]));
    expect(selections["prod-platform-efs"].resources).toEqual([EFS]);
    expect(selections["prod-platform-tagged-volumes"]).toMatchObject({ resources: [expect.stringMatching(/:ec2:\*:\*:volume\/\*$/)], selection_tag: [{ type: "STRINGEQUALS", key: "backup", value: "true" }] });
    expect(only(tf, "aws_iam_role_policy_attachment").map((a) => a.policy_arn.replace(/^.*:policy\//, "")).sort()).toEqual([
      "service-role/AWSBackupServiceRolePolicyForBackup",
      "service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    const trust = Object.entries(tf.data.aws_iam_policy_document).find(([id]) => id.startsWith("AwsBackup_Trust"))![1] as any;
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["backup.amazonaws.com"] }]);
  });

  test("in prod: a copy to a vault of another region with its own key there, both vaults locked", () => {
    const { tf } = synth((stack) => ({
      offRegionCopy: { provider: new AwsProvider(stack, "aws-eu-central-1", { alias: "eu-central-1", region: "eu-central-1" }), region: "eu-central-1", retentionDays: 35 },
      vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 },
    }));
    const vaults = Object.fromEntries(only(tf, "aws_backup_vault").map((v) => [v.name, v]));
    expect(vaults["prod-platform-vault-copy"]).toMatchObject({ provider: "aws.eu-central-1", kms_key_arn: expect.stringMatching(/aws_kms_key\.AwsBackup_OffRegion_VaultKey/) });
    expect(vaults["prod-platform-vault"].provider).toBeUndefined();
    const copyKey = Object.entries(tf.resource.aws_kms_key).find(([id]) => id.startsWith("AwsBackup_OffRegion"))![1] as any;
    expect(copyKey.provider).toBe("aws.eu-central-1");
    const [plan] = only(tf, "aws_backup_plan");
    expect(plan.rule[0].copy_action).toEqual([{ destination_vault_arn: expect.stringMatching(/aws_backup_vault\.AwsBackup_OffRegion_Vault/), lifecycle: { delete_after: 35 } }]);
    const locks = only(tf, "aws_backup_vault_lock_configuration");
    expect(locks.map((l) => [l.provider ?? "default", l.min_retention_days, l.max_retention_days, l.changeable_for_days]).sort()).toEqual([
      ["aws.eu-central-1", 7, 400, 3],
      ["default", 7, 400, 3],
    ]);
  });

  test("failed jobs go to an encrypted topic AWS Backup may publish to; e-mail subscribers hear of failures only", () => {
    const { tf } = synth(() => ({ notifyEmails: ["platform-prod@example.com"] }));
    const [notifications] = only(tf, "aws_backup_vault_notifications");
    expect(notifications.backup_vault_events).toEqual(["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"]);
    const [topic] = only(tf, "aws_sns_topic");
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key/);
    const [sub] = only(tf, "aws_sns_topic_subscription");
    expect(sub).toMatchObject({ protocol: "email", endpoint: "platform-prod@example.com" });
    expect(JSON.parse(sub.filter_policy)).toEqual({ State: [{ "anything-but": "COMPLETED" }] });
  });

  test.each<[string, Partial<AwsBackupProps>, string]>([
    ["a monthly cron", { cron: "0 2 1 * *" }, "cron"],
    ["cold storage with less than 90 days left", { coldStorageAfterDays: 30, retentionDays: 100 }, "retentionDays"],
    ["a retention outside the lock", { retentionDays: 500, vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 } }, "retentionDays"],
    ["a lock changeable for less than 3 days", { vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 1 } }, "vaultLock.changeableForDays"],
  ])("fails with %s", (_what, props, path) => {
    expect(() => synth(() => props)).toThrow(new RegExp(`${path.replace(/\./g, "\\.")}: got`));
  });
});
