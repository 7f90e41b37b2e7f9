import type { ValidationProblem } from "../problems";
import type { EnvironmentConfig } from "../config/environment-schema";
import type { BackupConfig } from "../config/backup-schema";
import { backupIntervalHours, longestGapMinutes, parseBackupCron } from "./cron-interval";

/**
 * The rules that make an environment's stated recovery objectives true of its schedules: every schedule runs at least
 * once per RPO (else the newest backup can be older than the RPO allows), every backup is kept at least as long as the
 * RPO window (else there are moments with nothing to restore), AWS Backup's own limits (cold storage, vault lock) hold,
 * and a protected environment (`protection.preventDestroy`) keeps a copy outside its region: backups and their replica
 * in another region, so losing the region loses neither.
 */
export function backupProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  const b = c.backup;
  if (!b) {
    if (c.protection.preventDestroy) {
      add("backup", undefined, "a backup section (velero.schedules, awsBackup with offRegionCopy, bucket.replicaRegion, rpoHours, rtoHours) where protection.preventDestroy is true: a protected environment states its RPO and RTO and keeps a copy in another region");
    }
    return problems;
  }
  const rpo = b.rpoHours;
  const intervalRule = (interval: number) => `a schedule that runs at least every ${fmtHours(rpo)} (backup.rpoHours); this one leaves up to ${fmtHours(interval)} between runs`;
  const retentionRule = (what: string) => `at least ${Math.ceil(rpo / 24)} day(s): ${what} kept shorter than the RPO window (${fmtHours(rpo)}) leaves moments with no backup to restore`;
  // The schedules together: a weekly schedule kept long beside a six-hourly one is how retention tiers are built.
  const veleroGap = unionIntervalHours(Object.values(b.velero.schedules).map((s) => s.cron));
  if (veleroGap !== undefined && veleroGap > rpo) {
    add("backup.velero.schedules", Object.fromEntries(Object.entries(b.velero.schedules).map(([n, s]) => [n, s.cron])), `schedules that together run at least every ${fmtHours(rpo)} (backup.rpoHours); these leave up to ${fmtHours(veleroGap)} between backups`);
  }
  for (const [name, s] of Object.entries(b.velero.schedules)) {
    if (s.retentionDays * 24 < rpo) add(`backup.velero.schedules.${name}.retentionDays`, s.retentionDays, retentionRule("a backup"));
  }
  const a = b.awsBackup;
  const interval = backupIntervalHours(a.cron);
  if (interval !== undefined && interval > rpo) add("backup.awsBackup.cron", a.cron, intervalRule(interval));
  if (a.retentionDays * 24 < rpo) add("backup.awsBackup.retentionDays", a.retentionDays, retentionRule("a recovery point"));
  if (a.offRegionCopy && a.offRegionCopy.retentionDays * 24 < rpo) add("backup.awsBackup.offRegionCopy.retentionDays", a.offRegionCopy.retentionDays, retentionRule("a copy"));
  if (a.coldStorageAfterDays !== undefined && a.retentionDays < a.coldStorageAfterDays + 90) {
    add("backup.awsBackup.retentionDays", a.retentionDays, `at least coldStorageAfterDays + 90 (${a.coldStorageAfterDays + 90}): AWS Backup keeps a recovery point in cold storage 90 days at least`);
  }
  if (a.offRegionCopy?.region === c.region) add("backup.awsBackup.offRegionCopy.region", a.offRegionCopy.region, `a region other than the environment's own (${c.region})`);
  if (b.bucket?.replicaRegion === c.region) add("backup.bucket.replicaRegion", b.bucket.replicaRegion, `a region other than the environment's own (${c.region})`);
  const lock = a.vaultLock;
  if (lock) {
    if (lock.minRetentionDays > lock.maxRetentionDays) add("backup.awsBackup.vaultLock.minRetentionDays", lock.minRetentionDays, `at most maxRetentionDays (${lock.maxRetentionDays})`);
    if (a.retentionDays < lock.minRetentionDays || a.retentionDays > lock.maxRetentionDays) {
      add("backup.awsBackup.retentionDays", a.retentionDays, `between vaultLock.minRetentionDays and maxRetentionDays (${lock.minRetentionDays}–${lock.maxRetentionDays}): the locked vault refuses recovery points outside that range`);
    }
    const copy = a.offRegionCopy?.retentionDays;
    if (copy !== undefined && (copy < lock.minRetentionDays || copy > lock.maxRetentionDays)) {
      add("backup.awsBackup.offRegionCopy.retentionDays", copy, `between vaultLock.minRetentionDays and maxRetentionDays (${lock.minRetentionDays}–${lock.maxRetentionDays}): the copy's vault is locked alike`);
    }
  }
  if (c.protection.preventDestroy && !b.offRegionOptOut) {
    const unless = "(or backup.offRegionOptOut with its reason)";
    if (!a.offRegionCopy) add("backup.awsBackup.offRegionCopy", undefined, `{ region, retentionDays } where protection.preventDestroy is true ${unless}: a protected environment keeps a copy of its recovery points in another region`);
    if (!b.bucket?.replicaRegion) add("backup.bucket.replicaRegion", undefined, `a region other than the environment's own where protection.preventDestroy is true ${unless}: the backups bucket is replicated out of the region`);
  }
  return problems;
}

/**
 * The tag AWS Backup selects EBS volumes by: the platform's gp3 StorageClass puts it on every volume it provisions
 * where the environment has an AWS Backup plan.
 */
export const AWS_BACKUP_VOLUME_TAG = { key: "backup", value: "true" } as const;

/** Hours as a person reads them: `6h`, `1.5h`, `3d`. */
export function fmtHours(h: number): string {
  return h >= 24 && h % 24 === 0 ? `${h / 24}d` : `${Number(h.toFixed(2))}h`;
}

/** A Velero TTL (a Go duration) for whole days. */
export function veleroTtl(days: number): string {
  return `${days * 24}h0m0s`;
}

/** Velero's one backup storage location (and volume snapshot location). */
export const VELERO_LOCATION = "default";

/** The key prefix of Velero's objects in the backups bucket. */
export const VELERO_BUCKET_PREFIX = "velero";

/** The Velero Schedule name the chart renders for a configured schedule (`<release>-<name>`). */
export function veleroScheduleName(name: string): string {
  return `velero-${name}`;
}

/** Whether the environment keeps anything off its region. */
export function offRegion(b: BackupConfig): { copyRegion?: string; replicaRegion?: string } {
  return { copyRegion: b.awsBackup.offRegionCopy?.region, replicaRegion: b.bucket?.replicaRegion };
}

/** The longest gap between runs of any of the schedules, in hours (undefined when one is not a backup schedule). */
export function unionIntervalHours(crons: readonly string[]): number | undefined {
  const parsed = crons.map(parseBackupCron);
  if (parsed.length === 0 || parsed.some((p) => p === undefined)) return undefined;
  const runs = [...new Set(parsed.flatMap((p) => p!.runs))].sort((x, y) => x - y);
  return longestGapMinutes({ minute: "", hour: "", weekday: "", runs }) / 60;
}
