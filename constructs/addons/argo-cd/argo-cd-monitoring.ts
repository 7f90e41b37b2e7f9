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
import { argoCdAlertGroups, ARGOCD_CONTROLLER_METRICS_JOB } from "../../../lib/delivery/argocd-alerts";
import type { ArgoCd } from "./argo-cd";

/** Props of {@link ArgoCdMonitoring}. */
export interface ArgoCdMonitoringProps {
  readonly argoCd: ArgoCd;
  /** The monitoring stack whose chart installs the ServiceMonitor and PrometheusRule CRDs (in an earlier stack). */
  readonly installedBy: ICrdInstaller;
  /** The tiers of a failed sync and of a Degraded Application. */
  readonly tiers: { readonly syncFailed: Priority; readonly degraded: Priority };
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** @default "30s" */
  readonly interval?: string;
}

/**
 * Scrapes the application controller (`argocd_app_info`, `argocd_app_sync_total`) and alerts, in the environment's
 * tiers, on failed syncs, Degraded Applications and a controller that is gone (`lib/delivery/argocd-alerts.ts`).
 * The ServiceMonitor is ours, not the chart's: Argo CD may be installed before the monitoring CRDs exist.
 */
export class ArgoCdMonitoring extends Construct implements ITerraformDependable {
  public readonly monitor: CustomResource<IServiceMonitor>;
  public readonly alerts: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: ArgoCdMonitoringProps) {
    super(scope, id);
    requireProps(this, props, { argoCd: "the ArgoCd add-on", installedBy: "the monitoring add-on that installs the ServiceMonitor CRD", tiers: "the tiers of the alerts" });
    const namespace = props.argoCd.namespace;
    this.monitor = new CustomResource<IServiceMonitor>(this, "ServiceMonitor", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: serviceMonitor({
        name: ARGOCD_CONTROLLER_METRICS_JOB,
        namespace,
        // The chart's metrics Service of the application controller (`controller.metrics.enabled`).
        selector: { matchLabels: { "app.kubernetes.io/name": "argocd-metrics", "app.kubernetes.io/component": "application-controller" } },
        endpoints: [{ port: "http-metrics", path: "/metrics", interval: props.interval ?? "30s", scrapeTimeout: "10s", honorLabels: false }],
      }),
    });
    this.alerts = new CustomResource<IPrometheusRule>(this, "PrometheusRule", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: alertsPrometheusRule("argocd-applications", namespace, argoCdAlertGroups({ namespace, syncFailed: props.tiers.syncFailed, degraded: props.tiers.degraded })),
    });
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
