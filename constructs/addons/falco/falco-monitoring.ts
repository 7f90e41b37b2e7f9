import { Construct } from "constructs";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { MONITORING_SELECTOR_LABELS } from "../../../lib/observability/monitoring-selection";
import { falcoAlertGroups } from "../../../lib/security/falco/falco-alerts";
import { alertsPrometheusRule } from "../../../lib/observability/platform-alerts";
import { FALCO_DEFAULTS, type Falco } from "./falco";

/** Ports the platform scrapes: Falco's web server (its `/metrics` once `metrics.enabled`) and falcosidekick's API. */
export const FALCO_METRICS_PORTS = { falco: 8765, falcosidekick: 2801 } as const;

/** Props of {@link FalcoMonitoring}. */
export interface FalcoMonitoringProps {
  readonly falco: Falco;
  /** The monitoring stack whose chart installs the PodMonitor and PrometheusRule CRDs (in an earlier stack). */
  readonly installedBy: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
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
      new CustomResource<IPodMonitor>(this, key, {
        installedBy: props.installedBy,
        access: props.access,
        manifest: {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name, namespace, labels: { ...MONITORING_SELECTOR_LABELS } },
          spec: {
            // The job is the chart's name label: `falco`, `falcosidekick` (what the alerts select, with the namespace).
            jobLabel: "app.kubernetes.io/name",
            selector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": release } },
            podMetricsEndpoints: [{ portNumber: port, path: "/metrics", interval: props.interval ?? "60s", honorLabels: false }],
          },
        },
      });
    this.monitors = [
      monitor("FalcoPodMonitor", "falco", FALCO_METRICS_PORTS.falco),
      ...(forwarding ? [monitor("FalcosidekickPodMonitor", "falcosidekick", FALCO_METRICS_PORTS.falcosidekick)] : []),
    ];
    // Without falcosidekick there are no deliveries to fail.
    const groups = falcoAlertGroups({ namespace, daemonSet: release }).map((g) => ({ ...g, rules: g.rules.filter((r) => forwarding || r.alert !== "FalcosidekickOutputErrors") }));
    this.alerts = new CustomResource<IPrometheusRule>(this, "PrometheusRule", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: alertsPrometheusRule(`${release}-runtime-detection`, namespace, groups),
    });
  }
}
