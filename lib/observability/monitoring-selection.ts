/**
 * How the platform's Prometheus finds what it loads, in one place for the add-on that configures the selectors and
 * for whatever emits PrometheusRules, ServiceMonitors or dashboards (the SLO rules construct among them).
 */

/** Helm release name of kube-prometheus-stack; the chart names its objects and its `release` label after it. */
export const KUBE_PROMETHEUS_STACK_RELEASE = "kube-prometheus-stack";

/**
 * Service account of the platform's Prometheus: the chart names it `<release>-prometheus` (`prometheus.serviceAccount.name`
 * left empty). Mesh policies allow scraping from this identity.
 */
export const PROMETHEUS_SERVICE_ACCOUNT = `${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus`;

/** Namespace of the monitoring stack and of the platform's own monitoring objects. */
export const MONITORING_NAMESPACE = "monitoring";

/**
 * Namespace of node-exporter alone: it needs the host's network, PID namespace and filesystem (Pod Security
 * `privileged`), which would otherwise force that exception on Prometheus, Alertmanager and Grafana too.
 */
export const NODE_EXPORTER_NAMESPACE = "node-exporter";

/** Labels prometheus-operator puts on every Prometheus server pod; network policies admit scrapes from these. */
export const PROMETHEUS_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "prometheus" };
/** The labels the operator gives the Alertmanager pods it runs (`app.kubernetes.io/name: alertmanager`). */
export const ALERTMANAGER_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "alertmanager" };

/**
 * Labels a PrometheusRule, ServiceMonitor, PodMonitor or Probe must carry for the platform's Prometheus to load it,
 * in any namespace. This is the chart's own convention (`release: <release name>`), kept explicit in the selectors so
 * the chart's default rules and monitors, third-party charts that follow it, and our objects all match.
 */
export function monitoringSelectorLabels(releaseName: string = KUBE_PROMETHEUS_STACK_RELEASE): Readonly<Record<string, string>> {
  return { release: releaseName };
}

/** {@link monitoringSelectorLabels} of the platform's release. */
export const MONITORING_SELECTOR_LABELS: Readonly<Record<string, string>> = monitoringSelectorLabels();

/** The label (and value) that makes Grafana's dashboard sidecar load a ConfigMap. */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;

/**
 * Where prometheus-operator mounts each `alertmanagerSpec.secrets` entry (`<root>/<secret name>/<key>`); its home is
 * the configuration generator, whose `*_file` fields point there.
 */
export { ALERTMANAGER_SECRETS_ROOT } from "./alertmanager/model";

/**
 * The label prometheus-operator sets, on tenants' series and alerts and in their rules' selectors, to the object's
 * namespace (`enforcedNamespaceLabel`). A tenant's rule cannot set it to another value, so Alertmanager routes an alert
 * carrying a team namespace here to that team.
 */
export const ENFORCED_NAMESPACE_LABEL = "namespace";

/** Alertmanager's API port on the chart's Service. */
export const ALERTMANAGER_PORT = 9093;

/**
 * The Service kube-prometheus-stack puts in front of Alertmanager: `<fullname>-alertmanager`, where the chart's
 * fullname is the release name when it contains the chart name (as the platform's does), cut to 26 characters.
 */
export function alertmanagerServiceName(releaseName: string = KUBE_PROMETHEUS_STACK_RELEASE): string {
  return `${releaseName.slice(0, 26).replace(/-+$/, "")}-alertmanager`;
}

/** In-cluster URL of the platform's Alertmanager, for senders outside the monitoring namespace (falcosidekick). */
export const ALERTMANAGER_URL = `http://${alertmanagerServiceName()}.${MONITORING_NAMESPACE}:${ALERTMANAGER_PORT}`;

/** The Prometheus API port on the chart's Service. */
export const PROMETHEUS_PORT = 9090;

/**
 * The Service kube-prometheus-stack puts in front of Prometheus: `<fullname>-prometheus`, the fullname derived as for
 * {@link alertmanagerServiceName}.
 */
export function prometheusServiceName(releaseName: string = KUBE_PROMETHEUS_STACK_RELEASE): string {
  return `${releaseName.slice(0, 26).replace(/-+$/, "")}-prometheus`;
}

/**
 * In-cluster URL of a kube-prometheus-stack release's Prometheus, for clients in other namespaces (chaos probes, canary
 * analysis): `http://<service>.<namespace>.svc:9090`.
 */
export function prometheusUrl(releaseName: string = KUBE_PROMETHEUS_STACK_RELEASE, namespace: string = MONITORING_NAMESPACE): string {
  return `http://${prometheusServiceName(releaseName)}.${namespace}.svc:${PROMETHEUS_PORT}`;
}
