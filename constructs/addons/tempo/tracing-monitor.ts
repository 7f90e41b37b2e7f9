import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { addonServiceMonitor, AddonMonitoringProps, metricsPortEndpoint } from "../addon-monitoring";

/** Props of {@link TracingMonitor}. */
export interface TracingMonitorProps extends AddonMonitoringProps {
  /** The ServiceMonitor's name (the scrape job). */
  readonly name: string;
  /** The namespace of the Service scraped. */
  readonly namespace: string;
  /** Labels of the Service scraped. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** Names of the Service's ports to scrape, each at `/metrics`. */
  readonly ports: readonly string[];
  /** @default "30s" */
  readonly interval?: string;
}

/**
 * The ServiceMonitor of a tracing component (Tempo, the OpenTelemetry Collector), ours rather than the chart's: the
 * release is installed in the same stack as the monitoring chart, before its CRDs are certain to exist, so the monitor
 * goes to `observability-resources` and is checked against the CRD's schema at synth.
 */
export class TracingMonitor extends Construct implements ITerraformDependable {
  public readonly monitor: CustomResource<IServiceMonitor>;

  constructor(scope: Construct, id: string, props: TracingMonitorProps) {
    super(scope, id);
    requireProps(this, props, { name: "the scrape job's name", namespace: "the Service's namespace", serviceLabels: "the Service's labels", ports: "the metrics ports' names", installedBy: "the monitoring add-on that installs the ServiceMonitor CRD" });
    const interval = props.interval ?? "30s";
    this.monitor = addonServiceMonitor(this, props, {
      name: props.name,
      namespace: props.namespace,
      selector: { matchLabels: { ...props.serviceLabels } },
      endpoints: props.ports.map((port) => metricsPortEndpoint(port, interval)),
    });
  }

  public get fqn(): string {
    return this.monitor.fqn;
  }
}
