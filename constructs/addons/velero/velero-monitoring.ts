import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { addonAlerts, addonServiceMonitor, AddonMonitoringProps, metricsPortEndpoint } from "../addon-monitoring";
import type { Priority } from "../../../lib/observability/priorities";
import { veleroAlertGroups, VELERO_METRICS_JOB } from "../../../lib/backup/velero-alerts";
import type { Velero } from "./velero";

/** Props of {@link VeleroMonitoring}. */
export interface VeleroMonitoringProps extends AddonMonitoringProps {
  readonly velero: Velero;
  /** The environment's recovery point objective, which the staleness alert holds each schedule to. */
  readonly rpoHours: number;
  /** @default { failed: "P3", rpoMissed: "P2" } */
  readonly tiers?: { readonly failed: Priority; readonly rpoMissed: Priority };
  /** @default "30s" */
  readonly interval?: string;
}

/**
 * Scrapes the Velero server and alerts, in the environment's tiers, on failed backups, schedules with no successful
 * backup within the RPO and a server that is gone (`lib/backup/velero-alerts.ts`). Ours, not the chart's: Velero is
 * installed (platform layer) before the monitoring CRDs exist.
 */
export class VeleroMonitoring extends Construct implements ITerraformDependable {
  public readonly monitor: CustomResource<IServiceMonitor>;
  public readonly alerts: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: VeleroMonitoringProps) {
    super(scope, id);
    requireProps(this, props, { velero: "the Velero add-on", installedBy: "the monitoring add-on that installs the ServiceMonitor CRD", rpoHours: "the environment's RPO in hours" });
    const namespace = props.velero.addon.namespace;
    const tiers = props.tiers ?? { failed: "P3", rpoMissed: "P2" };
    this.monitor = addonServiceMonitor(this, props, {
      name: VELERO_METRICS_JOB,
      namespace,
      // The chart's metrics Service (`metrics.enabled`), named after the release.
      selector: { matchLabels: { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": props.velero.addon.releaseName } },
      endpoints: [metricsPortEndpoint("http-monitoring", props.interval ?? "30s")],
    });
    const groups = veleroAlertGroups({ namespace, schedules: Object.keys(props.velero.schedules), rpoHours: props.rpoHours, failed: tiers.failed, rpoMissed: tiers.rpoMissed });
    this.alerts = addonAlerts(this, props, "velero-backups", namespace, groups);
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
