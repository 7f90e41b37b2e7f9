import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { certificateAlertGroups } from "../../../lib/security/certificate-alerts";
import { addonAlerts, addonServiceMonitor, AddonMonitoringProps } from "../addon-monitoring";
import { CERT_MANAGER_COMPONENTS, componentSelector } from "./cert-manager-values";
import type { CertManager } from "./cert-manager";

/** Props of {@link CertManagerMonitoring}. */
export interface CertManagerMonitoringProps extends AddonMonitoringProps {
  readonly certManager: CertManager;
  /** @default "60s" */
  readonly interval?: string;
}

/**
 * Scrapes cert-manager's controller, webhook and CA injector (`certmanager_certificate_expiration_timestamp_seconds`,
 * ACME client errors, webhook latency) and alerts on certificates that are not renewed, not ready or about to expire,
 * and on a controller that is gone (`lib/security/certificate-alerts.ts`). The ServiceMonitor replaces the chart's own,
 * which cannot be used: the chart is installed before kube-prometheus-stack, so the CRD does not exist yet then.
 */
export class CertManagerMonitoring extends Construct implements ITerraformDependable {
  public readonly monitor: CustomResource<IServiceMonitor>;
  public readonly alerts: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: CertManagerMonitoringProps) {
    super(scope, id);
    requireProps(this, props, { certManager: "the CertManager add-on", installedBy: "the monitoring add-on that installs the ServiceMonitor CRD" });
    const release = props.certManager.addon.releaseName;
    const selectors = CERT_MANAGER_COMPONENTS.map((c) => componentSelector(c, release));
    this.monitor = addonServiceMonitor(this, props, {
      name: release,
      namespace: props.certManager.namespace,
      jobLabel: "app.kubernetes.io/name",
      selector: {
        matchExpressions: [
          { key: "app.kubernetes.io/name", operator: "In", values: selectors.map((s) => s["app.kubernetes.io/name"]!) },
          { key: "app.kubernetes.io/instance", operator: "In", values: [release] },
          { key: "app.kubernetes.io/component", operator: "In", values: [...CERT_MANAGER_COMPONENTS] },
        ],
      },
      // The container port's name: the webhook Service names its metrics port differently from the others.
      endpoints: [{ targetPort: "http-metrics", path: "/metrics", interval: props.interval ?? "60s", scrapeTimeout: "30s", honorLabels: false }],
    });
    this.alerts = addonAlerts(this, props, `${release}-certificates`, props.certManager.namespace, certificateAlertGroups({ namespace: props.certManager.namespace, job: release }));
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
