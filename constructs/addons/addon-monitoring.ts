import { Construct } from "constructs";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IClusterAccess } from "../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../kubernetes/custom-resource";
import { serviceMonitor, ServiceMonitorOptions } from "../../lib/observability/service-monitor";
import { podMonitor, PodMonitorOptions } from "../../lib/observability/pod-monitor";
import { alertsPrometheusRule, AlertGroup } from "../../lib/observability/platform-alerts";

/**
 * What every add-on's monitoring construct is given: the monitoring add-on whose chart installs the monitoring CRDs,
 * and how to reach the cluster. The props of each such construct extend it with the add-on scraped and its scrape
 * interval (whose default is the construct's own).
 */
export interface AddonMonitoringProps {
  /** The monitoring stack whose chart installs the ServiceMonitor, PodMonitor and PrometheusRule CRDs (in an earlier stack). */
  readonly installedBy: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/*
 * The builders an add-on's monitoring construct calls for its monitors and alerts, so it says only what is its own
 * (endpoints, selectors, rule groups from `lib/`): each object is a CustomResource after the monitoring CRDs, applied
 * through the construct's access, under a construct id that is its Terraform address (ids are API: never change one).
 */

/** A ServiceMonitor as a {@link CustomResource} of `scope`, id `ServiceMonitor`. */
export function addonServiceMonitor(scope: Construct, props: AddonMonitoringProps, options: ServiceMonitorOptions): CustomResource<IServiceMonitor> {
  return new CustomResource<IServiceMonitor>(scope, "ServiceMonitor", { installedBy: props.installedBy, access: props.access, manifest: serviceMonitor(options) });
}

/** A PodMonitor as a {@link CustomResource} of `scope` under the given id (an add-on may scrape more than one kind of pod). */
export function addonPodMonitor(scope: Construct, id: string, props: AddonMonitoringProps, options: PodMonitorOptions): CustomResource<IPodMonitor> {
  return new CustomResource<IPodMonitor>(scope, id, { installedBy: props.installedBy, access: props.access, manifest: podMonitor(options) });
}

/** An add-on's alert groups as one PrometheusRule, a {@link CustomResource} of `scope` with id `PrometheusRule`. */
export function addonAlerts(scope: Construct, props: AddonMonitoringProps, name: string, namespace: string, groups: readonly AlertGroup[]): CustomResource<IPrometheusRule> {
  return new CustomResource<IPrometheusRule>(scope, "PrometheusRule", { installedBy: props.installedBy, access: props.access, manifest: alertsPrometheusRule(name, namespace, groups) });
}

/** What {@link metricsPortEndpoint} returns: one ServiceMonitor endpoint. */
export type MetricsPortEndpoint = NonNullable<ServiceMonitorOptions["endpoints"]>[number];

/**
 * A ServiceMonitor endpoint scraping a named Service port at `/metrics`, with a 10 s timeout and the platform's target
 * labels winning over the page's (`honorLabels: false`).
 */
export function metricsPortEndpoint(port: string, interval: string): MetricsPortEndpoint {
  return { port, path: "/metrics", interval, scrapeTimeout: "10s", honorLabels: false };
}
