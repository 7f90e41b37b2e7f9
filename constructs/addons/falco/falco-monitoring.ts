import { Construct } from "constructs";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { falcoAlertGroups } from "../../../lib/security/falco/falco-alerts";
import { addonAlerts, addonPodMonitor, AddonMonitoringProps } from "../addon-monitoring";
import { FALCO_DEFAULTS, type Falco } from "./falco";

/** Ports the platform scrapes: Falco's web server (its `/metrics` once `metrics.enabled`) and falcosidekick's API. */
export const FALCO_METRICS_PORTS = { falco: 8765, falcosidekick: 2801 } as const;

/** Props of {@link FalcoMonitoring}. */
export interface FalcoMonitoringProps extends AddonMonitoringProps {
  readonly falco: Falco;
  /** @default "60s" */
  readonly interval?: string;
}

/**
 * Scrapes Falco and falcosidekick and pages when runtime detection stops working (`lib/security/falco/falco-alerts.ts`):
 * a node without an available Falco pod, or falcosidekick failing to deliver detections. Both fail silently otherwise.
 * PodMonitors by port number, not the charts' ServiceMonitors: Falco is installed before kube-prometheus-stack, so the
 * CRD does not exist when its chart is applied.
 */
export class FalcoMonitoring extends Construct {
  public readonly monitors: readonly CustomResource<IPodMonitor>[];
  public readonly alerts: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: FalcoMonitoringProps) {
    super(scope, id);
    requireProps(this, props, { falco: "the Falco add-on", installedBy: "the monitoring add-on that installs the PodMonitor CRD" });
    const namespace = props.falco.addon.namespace;
    const release = FALCO_DEFAULTS.releaseName;
    const forwarding = props.falco.settings.forwarding !== undefined;
    const monitor = (key: string, name: string, port: number) =>
      addonPodMonitor(this, key, props, {
        name,
        namespace,
        // The job is the chart's name label: `falco`, `falcosidekick` (what the alerts select, with the namespace).
        jobLabel: "app.kubernetes.io/name",
        selector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": release } },
        podMetricsEndpoints: [{ portNumber: port, path: "/metrics", interval: props.interval ?? "60s", honorLabels: false }],
      });
    this.monitors = [
      monitor("FalcoPodMonitor", "falco", FALCO_METRICS_PORTS.falco),
      ...(forwarding ? [monitor("FalcosidekickPodMonitor", "falcosidekick", FALCO_METRICS_PORTS.falcosidekick)] : []),
    ];
    // Without falcosidekick there are no deliveries to fail.
    const groups = falcoAlertGroups({ namespace, daemonSet: release }).map((g) => ({ ...g, rules: g.rules.filter((r) => forwarding || r.alert !== "FalcosidekickOutputErrors") }));
    this.alerts = addonAlerts(this, props, `${release}-runtime-detection`, namespace, groups);
  }
}
