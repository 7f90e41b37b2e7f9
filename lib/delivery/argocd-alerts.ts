/**
 * Argo CD's alerts in the P0–P4 tiers, from the application controller's own metrics: an Application whose sync
 * failed, one whose health is Degraded, and an application controller that is gone. Rules on metrics rather than
 * argocd-notifications webhooks, because a rule keeps firing while the condition lasts and resolves when it clears
 * (a webhook is sent once and lost if Alertmanager is restarting), it is silenced, inhibited and routed like every
 * other alert, it is proved here with promtool, and it needs no second controller with egress to Alertmanager.
 * Framework-free: the observability layer wraps these groups in a PrometheusRule.
 */
import type { AlertGroup, AlertRule } from "../observability/platform-alerts";
import { LABEL_PRIORITY, type Priority } from "../observability/priorities";
import { LABEL_ALERTMANAGER_SEVERITY } from "../slo/conventions";
import { ARGOCD_NAMESPACE } from "./argocd-projects";

/** The label that names the owning team: an Application's project is its team's (one AppProject per team). */
export const LABEL_TEAM = "team";

/** The Prometheus job of the application controller's metrics (the Service's name, as the ServiceMonitor takes it). */
export const ARGOCD_CONTROLLER_METRICS_JOB = "argocd-application-controller-metrics";

/** Where Argo CD's series come from, and the tiers (`delivery.argocd.alerts`). */
export interface ArgoCdAlertSource {
  /** @default ARGOCD_NAMESPACE */
  readonly namespace?: string;
  /** @default ARGOCD_CONTROLLER_METRICS_JOB */
  readonly job?: string;
  /** A failed sync. */
  readonly syncFailed: Priority;
  /** A Degraded Application. */
  readonly degraded: Priority;
}

/** The conventional `severity` of a tier, for receivers that route on it. */
export function severityOf(priority: Priority): "critical" | "warning" | "info" {
  return priority === "P0" || priority === "P1" ? "critical" : priority === "P2" ? "warning" : "info";
}

function rule(alert: string, expr: string, forDuration: string, priority: Priority, summary: string, description: string): AlertRule {
  return {
    alert,
    expr,
    for: forDuration,
    labels: { [LABEL_PRIORITY]: priority, [LABEL_ALERTMANAGER_SEVERITY]: severityOf(priority) },
    annotations: { summary, description },
  };
}

/** `team` from the Application's `project` label (the AppProject per team is named after the team). */
function withTeam(expr: string): string {
  return `label_replace(${expr}, "${LABEL_TEAM}", "$1", "project", "(.+)")`;
}

/** The Argo CD alert groups. Every selector is pinned to the controller's job and namespace, so no team pod can forge them. */
export function argoCdAlertGroups(source: ArgoCdAlertSource): AlertGroup[] {
  const from = `job="${source.job ?? ARGOCD_CONTROLLER_METRICS_JOB}", namespace="${source.namespace ?? ARGOCD_NAMESPACE}"`;
  return [
    {
      name: "argocd.applications",
      rules: [
        rule(
          "ArgoCdSyncFailed",
          // A sync that ended Failed or Error in the last 15 minutes; one that succeeded since does not clear it early,
          // which keeps a flapping sync visible.
          withTeam(`sum by (name, project, dest_namespace) (increase(argocd_app_sync_total{${from}, phase=~"Failed|Error"}[15m])) > 0`),
          "0m",
          source.syncFailed,
          "Argo CD could not sync {{ $labels.name }} (project {{ $labels.project }})",
          "The last sync of the Application failed: what is in Git is not what runs. Open the Application in Argo CD for the failing resource and the error.",
        ),
        rule(
          "ArgoCdApplicationDegraded",
          withTeam(`max by (name, project, dest_namespace) (argocd_app_info{${from}, health_status="Degraded"}) == 1`),
          "10m",
          source.degraded,
          "{{ $labels.name }} (project {{ $labels.project }}) has been Degraded for 10 minutes",
          "A resource of the Application is failing (a Deployment that does not become available, a crashing pod, a failed Job): check its health in Argo CD.",
        ),
        rule(
          "ArgoCdControllerAbsent",
          `absent(up{${from}} == 1)`,
          "10m",
          "P2",
          "No Argo CD application controller is being scraped",
          "Without the controller nothing syncs or heals, and the Argo CD alerts go silent: check the argocd-application-controller StatefulSet and its ServiceMonitor.",
        ),
      ],
    },
  ];
}
