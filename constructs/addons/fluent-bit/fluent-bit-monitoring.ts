import { Construct } from "constructs";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { addonAlerts, addonPodMonitor, AddonMonitoringProps } from "../addon-monitoring";
import { fluentBitAlertGroups } from "../../../lib/observability/logs/fluent-bit-alerts";
import { FLUENT_BIT_METRICS_PORT } from "../../../lib/observability/logs/log-pipeline";
import { FLUENT_BIT_DEFAULTS, type FluentBit } from "./fluent-bit";

/** Fluent Bit's Prometheus endpoint on its HTTP server (the `/api/v1` one carries the output retry and drop counters). */
export const FLUENT_BIT_METRICS_PATH = "/api/v1/metrics/prometheus";

/** Props of {@link FluentBitMonitoring}. */
export interface FluentBitMonitoringProps extends AddonMonitoringProps {
  readonly fluentBit: FluentBit;
  /** @default "60s" */
  readonly interval?: string;
}

/**
 * Scrapes every Fluent Bit pod and alerts when logs are dropped (P2) or the outputs keep retrying (P3)
 * (`lib/observability/logs/fluent-bit-alerts.ts`): shipping that fails is otherwise noticed only when someone looks
 * for a log that is not there. A PodMonitor by port number, after the monitoring CRDs exist.
 */
export class FluentBitMonitoring extends Construct {
  public readonly monitor: CustomResource<IPodMonitor>;
  public readonly alerts: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: FluentBitMonitoringProps) {
    super(scope, id);
    requireProps(this, props, { fluentBit: "the FluentBit add-on", installedBy: "the monitoring add-on that installs the PodMonitor CRD" });
    const namespace = props.fluentBit.addon.namespace;
    const release = FLUENT_BIT_DEFAULTS.releaseName;
    this.monitor = addonPodMonitor(this, "PodMonitor", props, {
      name: release,
      namespace,
      // The job is the chart's name label, `fluent-bit` (what the alerts select, with the namespace).
      jobLabel: "app.kubernetes.io/name",
      selector: { matchLabels: { "app.kubernetes.io/name": FLUENT_BIT_DEFAULTS.chart, "app.kubernetes.io/instance": release } },
      podMetricsEndpoints: [{ portNumber: FLUENT_BIT_METRICS_PORT, path: FLUENT_BIT_METRICS_PATH, interval: props.interval ?? "60s", honorLabels: false }],
    });
    this.alerts = addonAlerts(this, props, `${release}-log-shipping`, namespace, fluentBitAlertGroups({ namespace, job: FLUENT_BIT_DEFAULTS.chart }));
  }
}
