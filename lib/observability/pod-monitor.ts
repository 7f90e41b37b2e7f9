/**
 * The PodMonitor body, built in one place for every add-on that has the platform's Prometheus scrape pods directly
 * (no metrics Service): the kind, the labels its selectors match and the spec fields in one order.
 */
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { MONITORING_SELECTOR_LABELS } from "./monitoring-selection";

type PodMonitorSpec = IPodMonitor["spec"];

/** What a PodMonitor scrapes and where it lives. */
export interface PodMonitorOptions {
  readonly name: string;
  readonly namespace: string;
  /** The pods to scrape. */
  readonly selector: PodMonitorSpec["selector"];
  /** Label of the pod whose value becomes the `job` label. @default - the monitor's `<namespace>/<name>` */
  readonly jobLabel?: string;
  /** Ports (by name or number) to scrape and how. */
  readonly podMetricsEndpoints: NonNullable<PodMonitorSpec["podMetricsEndpoints"]>;
}

/**
 * A `monitoring.coreos.com/v1` PodMonitor that the platform's Prometheus loads: carrying {@link MONITORING_SELECTOR_LABELS}.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
export function podMonitor(o: PodMonitorOptions): IPodMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: o.name, namespace: o.namespace, labels: { ...MONITORING_SELECTOR_LABELS } },
    spec: {
      ...(o.jobLabel !== undefined ? { jobLabel: o.jobLabel } : {}),
      selector: o.selector,
      podMetricsEndpoints: [...o.podMetricsEndpoints],
    },
  };
}
