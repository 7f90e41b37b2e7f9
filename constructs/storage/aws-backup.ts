import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupVaultNotifications } from "@cdktf/provider-aws/lib/backup-vault-notifications";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { EncryptedTopic } from "../common/encrypted-topic";
import { KmsKey, KmsKeyAdministration } from "../common/kms-key";
import { placeOnProvider } from "../common/provider-placement";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../common/validation";
import { awsCronExpression, BACKUP_CRON_RULE } from "../../lib/backup/cron-interval";
import { AWS_BACKUP_VOLUME_TAG } from "../../lib/backup/backup-plan";

/** Vault lock (WORM) of {@link AwsBackupProps.vaultLock}. */
export interface BackupVaultLock {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Days before the lock becomes immutable (compliance mode); at least 3. */
  readonly changeableForDays: number;
}

/** Props of {@link AwsBackup}. */
export interface AwsBackupProps {
  /** Lowercase prefix of the vault, plan, role and topic names, e.g. `prod-platform`. */
  readonly namePrefix: string;
  /** Who administers the vault keys (never using them) and the break-glass role. */
  readonly keyAdministration: KmsKeyAdministration;
  /** When the rule runs: a five-field cron in UTC with day of month and month `*`. */
  readonly cron: string;
  /** Days a recovery point is kept. */
  readonly retentionDays: number;
  /** Days before a recovery point moves to cold storage (where the resource supports it). @default - never */
  readonly coldStorageAfterDays?: number;
  /** The EFS file system backed up, by ARN. @default - none */
  readonly efsFileSystemArn?: string;
  /**
   * Back up the EBS volumes carrying `backup=true` (the tag the platform's gp3 StorageClass writes).
   * @default true
   */
  readonly taggedVolumes?: boolean;
  /** A copy of each recovery point in a vault of another region (an aliased provider of it). @default - no copy */
  readonly offRegionCopy?: { readonly provider: TerraformProvider; readonly region: string; readonly retentionDays: number };
  /** Vault lock on the vault (and the copy's vault). @default - no lock */
  readonly vaultLock?: BackupVaultLock;
  /** Addresses told of failed backup, copy and restore jobs. @default [] */
  readonly notifyEmails?: readonly string[];
  /** Terraform `prevent_destroy` on the vaults and their keys. @default false */
  readonly preventDestroy?: boolean;
}

/** The AWS managed policies of a backup service role (what AWS Backup's default role has). */
export const AWS_BACKUP_MANAGED_POLICIES = ["service-role/AWSBackupServiceRolePolicyForBackup", "service-role/AWSBackupServiceRolePolicyForRestores"] as const;

/** The vault events that can carry a failure (the subscription's filter keeps the failed ones). */
export const BACKUP_FAILURE_EVENTS = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"] as const;

/**
 * AWS Backup for what Velero does not hold: the EFS file system and EBS volumes by tag. A vault encrypted with its own
 * customer-managed key, optionally locked (WORM); a plan whose one rule runs on the configured cron, keeps recovery
 * points `retentionDays` (cold storage where allowed), and copies each into a vault of another region with its own key
 * there; a service role with AWS's managed backup and restore policies only; and the vault's failed jobs to an
 * encrypted SNS topic, whose e-mail subscriptions filter out the jobs that succeeded.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export class AwsBackup extends Construct {
  public readonly vault: BackupVault;
  public readonly vaultKey: KmsKey;
  public readonly plan: BackupPlan;
  public readonly role: IamRole;
  public readonly topic: EncryptedTopic;
  /** The copy's vault in the other region, when `offRegionCopy` is given. */
  public readonly copyVault?: BackupVault;
  /** The rule's schedule as AWS Backup takes it, `cron(…)`. */
  public readonly scheduleExpression: string;

  constructor(scope: Construct, id: string, props: AwsBackupProps) {
    super(scope, id);
    requireProps(this, props, { namePrefix: "the prefix of the vault's name", keyAdministration: "{ adminRoleArns, breakGlassRoleArn }", cron: "the rule's schedule", retentionDays: "days a recovery point is kept" });
    throwIfProblems(this.node.path, validateAwsBackupProps(props));
    this.scheduleExpression = awsCronExpression(props.cron)!;
    const protect = props.preventDestroy ? { preventDestroy: true } : undefined;

    this.vaultKey = new KmsKey(this, "VaultKey", {
      description: `AWS Backup vault of ${props.namePrefix}`,
      alias: `${props.namePrefix}/backup-vault`,
      administration: props.keyAdministration,
      viaServices: ["backup"],
      preventDestroy: props.preventDestroy,
    });
    this.vault = new BackupVault(this, "Vault", { name: `${props.namePrefix}-vault`, kmsKeyArn: this.vaultKey.keyArn, lifecycle: protect });
    if (props.vaultLock) this.lock("VaultLock", this.vault, props.vaultLock);

    if (props.offRegionCopy) {
      const copy = new Construct(this, "OffRegion");
      const key = new KmsKey(copy, "VaultKey", {
        description: `AWS Backup copy vault of ${props.namePrefix} in ${props.offRegionCopy.region}`,
        alias: `${props.namePrefix}/backup-vault-copy`,
        administration: props.keyAdministration,
        viaServices: ["backup"],
        preventDestroy: props.preventDestroy,
      });
      this.copyVault = new BackupVault(copy, "Vault", { name: `${props.namePrefix}-vault-copy`, kmsKeyArn: key.keyArn, lifecycle: protect });
      if (props.vaultLock) this.lock("VaultLock", this.copyVault, props.vaultLock, copy);
      placeOnProvider(copy, props.offRegionCopy.provider);
    }

    const partition = new DataAwsPartition(this, "Partition");
    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "Role", { name: `${props.namePrefix}-backup`, assumeRolePolicy: trust.json, description: `AWS Backup service role of ${props.namePrefix}` });
    const attachments = AWS_BACKUP_MANAGED_POLICIES.map(
      (p) => new IamRolePolicyAttachment(this, `ManagedPolicy-${p.slice(p.indexOf("/") + 1)}`, { role: this.role.name, policyArn: `arn:${partition.partition}:iam::aws:policy/${p}` }),
    );

    this.plan = new BackupPlan(this, "Plan", {
      name: `${props.namePrefix}-backup`,
      rule: [
        {
          ruleName: "scheduled",
          targetVaultName: this.vault.name,
          schedule: this.scheduleExpression,
          scheduleExpressionTimezone: "Etc/UTC",
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.retentionDays, coldStorageAfter: props.coldStorageAfterDays },
          copyAction: this.copyVault
            ? [{ destinationVaultArn: this.copyVault.arn, lifecycle: { deleteAfter: props.offRegionCopy!.retentionDays } }]
            : undefined,
        },
      ],
    });
    const selection = { iamRoleArn: this.role.arn, planId: this.plan.id, dependsOn: attachments };
    if (props.efsFileSystemArn) new BackupSelection(this, "Efs", { ...selection, name: `${props.namePrefix}-efs`, resources: [props.efsFileSystemArn] });
    if (props.taggedVolumes ?? true) {
      new BackupSelection(this, "TaggedVolumes", {
        ...selection,
        name: `${props.namePrefix}-tagged-volumes`,
        // Volumes only (a plan sees its own account and region), of those only the tagged ones.
        resources: [`arn:${partition.partition}:ec2:*:*:volume/*`],
        selectionTag: [{ type: "STRINGEQUALS", key: AWS_BACKUP_VOLUME_TAG.key, value: AWS_BACKUP_VOLUME_TAG.value }],
      });
    }

    // The topic's key is made here, not by the topic, so it carries the storage layer's prevent_destroy like every key
    // of the layer; AWS Backup encrypts what it publishes with it, for this account only.
    const account = new DataAwsCallerIdentity(this, "Account");
    const topicKey = new KmsKey(this, "NotificationsKey", {
      description: `Failed AWS Backup jobs of ${props.namePrefix}`,
      administration: props.keyAdministration,
      // Subscribers read through SNS; nobody decrypts the key directly.
      viaServices: ["sns"],
      preventDestroy: props.preventDestroy,
      extraStatements: [
        {
          sid: "PublishBackupAmazonawsCom",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }],
        },
      ],
    });
    this.topic = new EncryptedTopic(this, "Notifications", {
      name: `${props.namePrefix}-backup-events`,
      description: `Failed AWS Backup jobs of ${props.namePrefix}`,
      kmsKeyArn: topicKey.keyArn,
      servicePublishers: [{ service: "backup.amazonaws.com" }],
    });
    new BackupVaultNotifications(this, "VaultNotifications", { backupVaultName: this.vault.name, snsTopicArn: this.topic.topicArn, backupVaultEvents: [...BACKUP_FAILURE_EVENTS] });
    for (const [i, email] of (props.notifyEmails ?? []).entries()) {
      new SnsTopicSubscription(this, `Notify${i}`, {
        topicArn: this.topic.topicArn,
        protocol: "email",
        endpoint: email,
        // AWS Backup's documented filter: every job state but COMPLETED, so a subscriber hears of failures only.
        filterPolicy: JSON.stringify({ State: [{ "anything-but": "COMPLETED" }] }),
      });
    }
  }

  private lock(id: string, vault: BackupVault, lock: BackupVaultLock, scope: Construct = this): void {
    new BackupVaultLockConfiguration(scope, id, {
      backupVaultName: vault.name,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      changeableForDays: lock.changeableForDays,
    });
  }
}

/** Checks {@link AwsBackupProps} without building anything. */
export function validateAwsBackupProps(props: AwsBackupProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isUnresolved(props.cron) && awsCronExpression(props.cron ?? "") === undefined) problems.push({ path: "cron", value: props.cron, allowed: `${BACKUP_CRON_RULE}, without steps over weekdays` });
  if (!isUnresolved(props.namePrefix) && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(props.namePrefix ?? "")) problems.push({ path: "namePrefix", value: props.namePrefix, allowed: "1 to 40 lowercase letters, digits or '-'" });
  const days = (path: string, v: number | undefined, min = 1) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) problems.push({ path, value: v, allowed: `a whole number of days, at least ${min}` });
  };
  days("retentionDays", props.retentionDays);
  days("coldStorageAfterDays", props.coldStorageAfterDays);
  days("offRegionCopy.retentionDays", props.offRegionCopy?.retentionDays);
  if (props.coldStorageAfterDays !== undefined && props.retentionDays < props.coldStorageAfterDays + 90) {
    problems.push({ path: "retentionDays", value: props.retentionDays, allowed: `at least coldStorageAfterDays + 90 (${props.coldStorageAfterDays + 90})` });
  }
  const lock = props.vaultLock;
  if (lock) {
    days("vaultLock.changeableForDays", lock.changeableForDays, 3);
    for (const [path, v] of [["retentionDays", props.retentionDays], ["offRegionCopy.retentionDays", props.offRegionCopy?.retentionDays]] as const) {
      if (v !== undefined && (v < lock.minRetentionDays || v > lock.maxRetentionDays)) problems.push({ path, value: v, allowed: `between vaultLock.minRetentionDays and maxRetentionDays (${lock.minRetentionDays}–${lock.maxRetentionDays})` });
    }
  }
  return problems;
}
