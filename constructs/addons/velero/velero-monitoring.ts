import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { serviceMonitor } from "../../../lib/observability/service-monitor";
import { alertsPrometheusRule } from "../../../lib/observability/platform-alerts";
import type { Priority } from "../../../lib/observability/priorities";
import { veleroAlertGroups, VELERO_METRICS_JOB } from "../../../lib/backup/velero-alerts";
import type { Velero } from "./velero";

/** Props of {@link VeleroMonitoring}. */
export interface VeleroMonitoringProps {
  readonly velero: Velero;
  /** The monitoring stack whose chart installs the ServiceMonitor and PrometheusRule CRDs (in an earlier stack). */
  readonly installedBy: ICrdInstaller;
  /** The environment's recovery point objective, which the staleness alert holds each schedule to. */
  readonly rpoHours: number;
  /** @default { failed: "P3", rpoMissed: "P2" } */
  readonly tiers?: { readonly failed: Priority; readonly rpoMissed: Priority };
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
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
    this.monitor = new CustomResource<IServiceMonitor>(this, "ServiceMonitor", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: serviceMonitor({
        name: VELERO_METRICS_JOB,
        namespace,
        // The chart's metrics Service (`metrics.enabled`), named after the release.
        selector: { matchLabels: { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": props.velero.addon.releaseName } },
        endpoints: [{ port: "http-monitoring", path: "/metrics", interval: props.interval ?? "30s", scrapeTimeout: "10s", honorLabels: false }],
      }),
    });
    this.alerts = new CustomResource<IPrometheusRule>(this, "PrometheusRule", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: alertsPrometheusRule(
        "velero-backups",
        namespace,
        veleroAlertGroups({ namespace, schedules: Object.keys(props.velero.schedules), rpoHours: props.rpoHours, failed: tiers.failed, rpoMissed: tiers.rpoMissed }),
      ),
    });
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
