/**
 * Velero's alerts in the P0–P4 tiers, from the server's own metrics: a backup of a schedule that failed (or only
 * partly succeeded), a schedule whose last successful backup is older than the environment's RPO, and a server that is
 * gone. The RPO alert is the objective itself: it fires exactly when restoring now would lose more than the RPO allows.
 * Framework-free: the add-on wraps these groups in a PrometheusRule.
 */
import type { AlertGroup, AlertRule } from "../observability/platform-alerts";
import { LABEL_PRIORITY, type Priority } from "../observability/priorities";
import { LABEL_ALERTMANAGER_SEVERITY } from "../slo/conventions";
import { severityOf } from "../delivery/argocd-alerts";
import { fmtHours, veleroScheduleName } from "./backup-plan";

/** The Prometheus job of the Velero server's metrics (its Service's name). */
export const VELERO_METRICS_JOB = "velero";

/** What the alerts watch and their tiers. */
export interface VeleroAlertSource {
  readonly namespace: string;
  /** @default VELERO_METRICS_JOB */
  readonly job?: string;
  /** The configured schedule names (`backup.velero.schedules`). */
  readonly schedules: readonly string[];
  /** The environment's RPO. */
  readonly rpoHours: number;
  readonly failed: Priority;
  readonly rpoMissed: Priority;
}

function rule(alert: string, expr: string, forDuration: string, priority: Priority, summary: string, description: string): AlertRule {
  return { alert, expr, for: forDuration, labels: { [LABEL_PRIORITY]: priority, [LABEL_ALERTMANAGER_SEVERITY]: severityOf(priority) }, annotations: { summary, description } };
}

/** The Velero alert groups; every selector is pinned to the server's job and namespace, so no other pod can forge them. */
export function veleroAlertGroups(source: VeleroAlertSource): AlertGroup[] {
  const from = `job="${source.job ?? VELERO_METRICS_JOB}", namespace="${source.namespace}"`;
  const schedules = source.schedules.map(veleroScheduleName).join("|");
  const rpoSeconds = Math.round(source.rpoHours * 3600);
  return [
    {
      name: "velero.backups",
      rules: [
        rule(
          "VeleroBackupFailed",
          `sum by (schedule) (increase(velero_backup_failure_total{${from}, schedule=~"${schedules}"}[1h]) + increase(velero_backup_partial_failure_total{${from}, schedule=~"${schedules}"}[1h])) > 0`,
          "0m",
          source.failed,
          "A backup of Velero schedule {{ $labels.schedule }} failed",
          "A scheduled backup ended Failed or PartiallyFailed in the last hour: `velero backup describe --details` on the newest backup of the schedule names what was not backed up.",
        ),
        rule(
          "VeleroBackupOlderThanRpo",
          `time() - max by (schedule) (velero_backup_last_successful_timestamp{${from}, schedule=~"${schedules}"}) > ${rpoSeconds}`,
          // The timestamp is written when a backup completes: a schedule run exactly once per RPO would otherwise fire for
          // the minutes each backup takes.
          "10m",
          source.rpoMissed,
          `Velero schedule {{ $labels.schedule }} has no successful backup within the RPO (${fmtHours(source.rpoHours)})`,
          "Restoring now would lose more than the environment's recovery point objective allows: check the schedule's recent backups (`velero backup get`), the server's log and the backup location's status.",
        ),
        rule(
          "VeleroScheduleNeverSucceeded",
          source.schedules
            .map((s) => `absent(velero_backup_last_successful_timestamp{${from}, schedule="${veleroScheduleName(s)}"})`)
            .join(" or "),
          `${Math.ceil(source.rpoHours * 60)}m`,
          source.rpoMissed,
          "A Velero schedule has had no successful backup for longer than the RPO",
          "The server has reported no successful backup of the schedule since it started, for longer than the recovery point objective: check the schedule exists (`velero schedule get`) and its backups.",
        ),
        rule(
          "VeleroServerAbsent",
          `absent(up{${from}} == 1)`,
          "15m",
          "P2",
          "No Velero server is being scraped",
          "Without the server no backup is taken and the backup alerts go silent: check the velero Deployment in its namespace and its ServiceMonitor.",
        ),
      ],
    },
  ];
}
