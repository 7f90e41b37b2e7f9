import { Construct } from "constructs";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { alertsPrometheusRule } from "../../../lib/observability/platform-alerts";
import { capacityAlertGroups, DEFAULT_CAPACITY_THRESHOLDS, type CapacityThresholds } from "../../../lib/observability/capacity-alerts";
import { KUBE_PROMETHEUS_STACK_RELEASE, MONITORING_NAMESPACE } from "../../../lib/observability/monitoring-selection";

/** Props of {@link CapacityForecasts}. */
export interface CapacityForecastsProps {
  /** The monitoring stack whose chart installs the PrometheusRule CRD (in an earlier stack). */
  readonly installedBy: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** @default DEFAULT_CAPACITY_THRESHOLDS */
  readonly thresholds?: CapacityThresholds;
  /** The namespace of the monitoring stack, where its Prometheus sees every series. @default MONITORING_NAMESPACE */
  readonly namespace?: string;
  /** The monitoring stack's release name; its Prometheus scrapes itself as `<release>-prometheus`. @default KUBE_PROMETHEUS_STACK_RELEASE */
  readonly releaseName?: string;
}

/**
 * The P4 capacity forecasts (`lib/observability/capacity-alerts.ts`) as one PrometheusRule beside Prometheus: volumes
 * and node filesystems filling, Prometheus's blocks reaching their size retention, node pools' requests against
 * their allocatable, and every SLO's error budget running out before its period ends. They route to the weekly
 * digest.
 */
export class CapacityForecasts extends Construct {
  /** The thresholds in use. */
  public readonly thresholds: CapacityThresholds;
  public readonly rule: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: CapacityForecastsProps) {
    super(scope, id);
    requireProps(this, props, { installedBy: "the monitoring add-on that installs the PrometheusRule CRD" });
    this.thresholds = props.thresholds ?? DEFAULT_CAPACITY_THRESHOLDS;
    const release = props.releaseName ?? KUBE_PROMETHEUS_STACK_RELEASE;
    this.rule = new CustomResource<IPrometheusRule>(this, "PrometheusRule", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: alertsPrometheusRule("platform-capacity", props.namespace ?? MONITORING_NAMESPACE, capacityAlertGroups(this.thresholds, { prometheusJob: `${release}-prometheus` })),
    });
  }
}
