/**
 * The ServiceMonitor body, built in one place for every add-on that has the platform's Prometheus scrape a Service:
 * the kind, the labels its selectors match and the spec fields in one order, so each caller says only what differs.
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { MONITORING_SELECTOR_LABELS } from "./monitoring-selection";

type ServiceMonitorSpec = IServiceMonitor["spec"];

/** What a ServiceMonitor scrapes and where it lives. */
export interface ServiceMonitorOptions {
  readonly name: string;
  readonly namespace: string;
  /**
   * Labels the platform's Prometheus selects monitors by.
   * @default MONITORING_SELECTOR_LABELS
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Services to scrape. */
  readonly selector: ServiceMonitorSpec["selector"];
  /** @default - the ServiceMonitor's own namespace */
  readonly namespaceSelector?: ServiceMonitorSpec["namespaceSelector"];
  /** Label of the Service whose value becomes the `job` label. @default - the Service's name */
  readonly jobLabel?: string;
  /** Ports (or target ports) to scrape and how. */
  readonly endpoints: NonNullable<ServiceMonitorSpec["endpoints"]>;
}

/**
 * A `monitoring.coreos.com/v1` ServiceMonitor that the platform's Prometheus loads: carrying
 * {@link MONITORING_SELECTOR_LABELS} unless told otherwise.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export function serviceMonitor(o: ServiceMonitorOptions): IServiceMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: o.name, namespace: o.namespace, labels: { ...(o.labels ?? MONITORING_SELECTOR_LABELS) } },
    spec: {
      ...(o.jobLabel !== undefined ? { jobLabel: o.jobLabel } : {}),
      selector: o.selector,
      ...(o.namespaceSelector !== undefined ? { namespaceSelector: o.namespaceSelector } : {}),
      endpoints: [...o.endpoints],
    },
  };
}
