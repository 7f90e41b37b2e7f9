import { z } from "zod";
import { ResourcesSchema } from "./platform-schema";
import { isDnsLabel } from "../kubernetes/names";
import { PRIORITIES } from "../observability/priorities";
import { BACKUP_CRON_RULE, parseBackupCron } from "../backup/cron-interval";
import { OptOutSchema } from "./security/opt-out";

/**
 * `backup`: disaster recovery of an environment. What is backed up (the cluster's objects and volumes by Velero, the
 * EFS file system and tagged EBS volumes by AWS Backup, the backups bucket replicated), how often, how long it is kept,
 * and the recovery objectives the schedules are checked against (`lib/backup/backup-plan.ts`). Optional: an environment
 * without it runs no Velero and no AWS Backup plan, which only an unprotected environment may do.
 */

const cron = z.string().refine((s) => parseBackupCron(s) !== undefined, { message: BACKUP_CRON_RULE });
const days = z.number().int().min(1);
const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "an AWS region name such as eu-central-1" });
const hours = z.number().positive();

/** One Velero schedule: a Backup of the cluster's objects (and EBS snapshots of its volumes) on a cron. */
export const VeleroScheduleSchema = z.strictObject({
  /** When it runs (UTC). */
  cron,
  /** Days a backup is kept (its TTL); Velero deletes it, with its snapshots, after that. */
  retentionDays: days,
  /** Namespaces it covers. @default ["*"]: every namespace */
  includedNamespaces: z.array(z.string().refine((n) => n === "*" || isDnsLabel(n), { message: "a namespace name or *" })).min(1).optional(),
  /** Namespaces it leaves out. @default [] */
  excludedNamespaces: z.array(z.string().refine(isDnsLabel, { message: "a namespace name" })).optional(),
  /** Take EBS snapshots of the persistent volumes it finds. @default true */
  snapshotVolumes: z.boolean().optional(),
});

export const BackupConfigSchema = z.strictObject({
  /** Recovery point objective: at most this many hours of data may be lost. Every schedule runs at least this often. */
  rpoHours: hours,
  /** Recovery time objective: the restore drill's target for having the environment's data back. */
  rtoHours: hours,
  /** Velero: the cluster's objects and volume snapshots, in the storage layer's backups bucket. */
  velero: z.strictObject({
    /** Schedules by name (a DNS label: the Schedule is `velero-<name>`). */
    schedules: z.record(z.string().refine(isDnsLabel, { message: "a schedule name (RFC 1123 label)" }), VeleroScheduleSchema).refine((s) => Object.keys(s).length > 0, { message: "at least one schedule" }),
    /** The server's container. @default { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } */
    resources: ResourcesSchema.optional(),
    /** Tiers of a failed backup and of a schedule with no successful backup within the RPO. @default { failed: "P3", rpoMissed: "P2" } */
    alerts: z.strictObject({ failed: z.enum(PRIORITIES), rpoMissed: z.enum(PRIORITIES) }).optional(),
  }),
  /** AWS Backup: the EFS file system and EBS volumes tagged `backup=true`, in a vault with its own key. */
  awsBackup: z.strictObject({
    /** When the plan's rule runs (UTC). */
    cron,
    /** Days a recovery point is kept (`delete_after`). */
    retentionDays: days,
    /** Days before a recovery point moves to cold storage (EFS only; AWS keeps it there at least 90 days). @default - never */
    coldStorageAfterDays: days.optional(),
    /** A copy of every recovery point in a vault of another region, kept `retentionDays`. @default - no copy */
    offRegionCopy: z.strictObject({ region, retentionDays: days }).optional(),
    /**
     * Vault lock (WORM): recovery points cannot be deleted before `minRetentionDays` nor kept past `maxRetentionDays`;
     * after `changeableForDays` the lock itself is immutable (compliance mode). @default - no lock
     */
    vaultLock: z.strictObject({ minRetentionDays: days, maxRetentionDays: days, changeableForDays: z.number().int().min(3) }).optional(),
    /** Addresses told of failed backup, copy and restore jobs (through an encrypted SNS topic). @default [] */
    notifyEmails: z.array(z.email()).optional(),
  }),
  /** The backups bucket (Velero's). @default - versioned and encrypted only, as every platform bucket */
  bucket: z
    .strictObject({
      /**
       * S3 Object Lock: every object version kept at least `days` in `mode` (GOVERNANCE: only a principal with
       * `s3:BypassGovernanceRetention` may shorten it; COMPLIANCE: no one). Set at bucket creation only.
       */
      objectLock: z.strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days }).optional(),
      /** Replicate every object to a bucket in this region, encrypted with a key of its own. @default - no replica */
      replicaRegion: region.optional(),
    })
    .optional(),
  /**
   * A protected environment (`protection.preventDestroy`) keeps its recovery points and its backups bucket in a second
   * region too; this named opt-out, with its reason on record, lets one keep them in its own region only.
   * @default - no opt-out
   */
  offRegionOptOut: OptOutSchema.optional(),
});

/** `backup` as written in an environment. */
export type BackupConfig = z.infer<typeof BackupConfigSchema>;
export type VeleroScheduleConfig = z.infer<typeof VeleroScheduleSchema>;
