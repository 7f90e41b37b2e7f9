import { Construct } from "constructs";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isLabelValue, isQualifiedName } from "../../../lib/kubernetes/names";
import { PROMETHEUS_DURATION_RULE, prometheusDurationSeconds } from "../../../lib/kubernetes/durations";
import { ISTIO_MERGED_METRICS_PATH, ISTIO_PORTS } from "../../../lib/security/mesh";
import { ISTIO_SYSTEM_NAMESPACE } from "../../../lib/security/namespaces";
import { MONITORING_SELECTOR_LABELS } from "../../../lib/observability/monitoring-selection";
import { serviceMonitor } from "../../../lib/observability/service-monitor";

/**
 * What the sidecar monitor keeps of each pod's merged metrics page, and how much of it. Istio merges the app's own
 * metrics into the page on the agent port, and any pod in any namespace can be injected, so the page is written by
 * whoever runs the pod: only the mesh's own series (`istio_*` from the proxy's telemetry, `envoy_*` from Envoy and
 * the agent) are kept, the `job` is the monitor's (never a pod label), and a page with more samples or labels than a
 * busy gateway produces fails its scrape rather than filling Prometheus. An app's own metrics are scraped by a
 * monitor of its own, where its team answers for them.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitorSpec
 */
export const SIDECAR_SCRAPE = {
  keepMetrics: "istio_.*|envoy_.*",
  /** Samples kept per pod after the filter: a gateway in front of ~50 services with all three request histograms. */
  sampleLimit: 50000,
  /** Labels per sample: Istio's standard metrics carry about 25, the target adds 6. */
  labelLimit: 40,
} as const;

/** Props of {@link MeshMonitors}. */
export interface MeshMonitorsProps {
  /** The release that installs the monitoring CRDs (kube-prometheus-stack), in an earlier stack. */
  readonly installedBy: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** Labels the platform's Prometheus selects monitors by. @default - MONITORING_SELECTOR_LABELS */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default "30s" */
  readonly interval?: string;
}

/**
 * What the platform's Prometheus scrapes of the mesh: every sidecar's merged metrics (Envoy's and the app's, on the
 * agent port, which Envoy does not intercept, so no mTLS or authorization applies) and istiod's control-plane
 * metrics (istiod has no sidecar).
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-2-customized-scraping-configurations
 */
export class MeshMonitors extends Construct {
  public readonly sidecars: CustomResource<IPodMonitor>;
  public readonly istiod: CustomResource<IServiceMonitor>;

  constructor(scope: Construct, id: string, props: MeshMonitorsProps) {
    super(scope, id);
    requireProps(this, props, { installedBy: "the release that installs the monitoring CRDs (kube-prometheus-stack)" });
    throwIfProblems(this.node.path, validateMeshMonitorsProps(props));
    const labels = { ...(props.labels ?? MONITORING_SELECTOR_LABELS) };
    const interval = props.interval ?? "30s";

    this.sidecars = new CustomResource<IPodMonitor>(this, "SidecarMetrics", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: "istio-sidecars", namespace: ISTIO_SYSTEM_NAMESPACE, labels },
        spec: {
          // Injected pods (and gateways) carry this label; nothing else in the cluster does.
          selector: { matchExpressions: [{ key: "security.istio.io/tlsMode", operator: "Exists" }] },
          namespaceSelector: { any: true },
          // No `jobLabel`: the job is `istio-system/istio-sidecars` for every pod, so no pod can name itself another job.
          sampleLimit: SIDECAR_SCRAPE.sampleLimit,
          labelLimit: SIDECAR_SCRAPE.labelLimit,
          podMetricsEndpoints: [
            {
              path: ISTIO_MERGED_METRICS_PATH,
              interval,
              // The page's own `job`, `namespace` or `pod` labels become `exported_*`, never the target's.
              honorLabels: false,
              metricRelabelings: [{ action: "keep", sourceLabels: ["__name__"], regex: SIDECAR_SCRAPE.keepMetrics }],
              relabelings: [
                // One target per pod: the proxy container, on the agent port.
                { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
                { action: "replace", sourceLabels: ["__meta_kubernetes_pod_ip"], regex: "(.+)", replacement: `$1:${ISTIO_PORTS.agent}`, targetLabel: "__address__" },
              ],
            },
          ],
        },
      },
    });

    this.istiod = new CustomResource<IServiceMonitor>(this, "IstiodMetrics", {
      installedBy: props.installedBy,
      access: props.access,
      manifest: serviceMonitor({
        name: "istiod",
        namespace: ISTIO_SYSTEM_NAMESPACE,
        labels,
        selector: { matchLabels: { app: "istiod" } },
        namespaceSelector: { matchNames: [ISTIO_SYSTEM_NAMESPACE] },
        endpoints: [{ port: "http-monitoring", interval }],
      }),
    });
  }
}

/** Checks {@link MeshMonitorsProps} without building anything. */
export function validateMeshMonitorsProps(props: MeshMonitorsProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.labels !== undefined) {
    if (Object.keys(props.labels).length === 0) problems.push({ path: "labels", value: props.labels, allowed: "the labels the Prometheus selects monitors by" });
    for (const [k, v] of Object.entries(props.labels)) {
      if (!isQualifiedName(k) || !isLabelValue(v)) problems.push({ path: `labels["${k}"]`, value: v, allowed: "a label key and value" });
    }
  }
  if (props.interval !== undefined && prometheusDurationSeconds(props.interval) === undefined) {
    problems.push({ path: "interval", value: props.interval, allowed: PROMETHEUS_DURATION_RULE });
  }
  return problems;
}
