import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { addonAlerts, addonServiceMonitor, AddonMonitoringProps, metricsPortEndpoint } from "../addon-monitoring";
import type { Priority } from "../../../lib/observability/priorities";
import { argoCdAlertGroups, ARGOCD_CONTROLLER_METRICS_JOB } from "../../../lib/delivery/argocd-alerts";
import type { ArgoCd } from "./argo-cd";

/** Props of {@link ArgoCdMonitoring}. */
export interface ArgoCdMonitoringProps extends AddonMonitoringProps {
  readonly argoCd: ArgoCd;
  /** The tiers of a failed sync and of a Degraded Application. */
  readonly tiers: { readonly syncFailed: Priority; readonly degraded: Priority };
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
    this.monitor = addonServiceMonitor(this, props, {
      name: ARGOCD_CONTROLLER_METRICS_JOB,
      namespace,
      // The chart's metrics Service of the application controller (`controller.metrics.enabled`).
      selector: { matchLabels: { "app.kubernetes.io/name": "argocd-metrics", "app.kubernetes.io/component": "application-controller" } },
      endpoints: [metricsPortEndpoint("http-metrics", props.interval ?? "30s")],
    });
    this.alerts = addonAlerts(this, props, "argocd-applications", namespace, argoCdAlertGroups({ namespace, syncFailed: props.tiers.syncFailed, degraded: props.tiers.degraded }));
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
