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
          jobLabel: "envoy-stats",
          podMetricsEndpoints: [
            {
              path: ISTIO_MERGED_METRICS_PATH,
              interval,
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
