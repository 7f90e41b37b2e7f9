import { LABEL_PRIORITY } from "../../observability/priorities";
import type { AlertGroup } from "../../observability/platform-alerts";
import { FALCO_NAMESPACE } from "../namespaces";

/**
 * Alerts on runtime detection itself. A Falco pod missing from a node leaves that node unwatched, and a falcosidekick
 * that cannot deliver to Alertmanager drops detections: both fail silently (no detection looks like no attack), so
 * both page (P1). Framework-free: the falco add-on wraps these groups in a PrometheusRule.
 */

/** Where the series come from; every selector is pinned to it so another namespace's look-alike cannot fire or hide them. */
export interface FalcoAlertSource {
  /** @default FALCO_NAMESPACE */
  readonly namespace?: string;
  /** Falco's DaemonSet (the release name). @default "falco" */
  readonly daemonSet?: string;
  /** falcosidekick's job (its PodMonitor takes it from `app.kubernetes.io/name`). @default "falcosidekick" */
  readonly sidekickJob?: string;
  /** The job of kube-state-metrics, which reports the DaemonSet's status. @default "kube-state-metrics" */
  readonly kubeStateMetricsJob?: string;
}

/** The Falco alert groups. */
export function falcoAlertGroups(source: FalcoAlertSource = {}): AlertGroup[] {
  const namespace = source.namespace ?? FALCO_NAMESPACE;
  const ds = `job="${source.kubeStateMetricsJob ?? "kube-state-metrics"}", namespace="${namespace}", daemonset="${source.daemonSet ?? "falco"}"`;
  const sidekick = `job="${source.sidekickJob ?? "falcosidekick"}", namespace="${namespace}"`;
  return [
    {
      name: "falco.runtime-detection",
      rules: [
        {
          alert: "FalcoDaemonSetNotFullyAvailable",
          expr: `kube_daemonset_status_desired_number_scheduled{${ds}} - kube_daemonset_status_number_available{${ds}} > 0`,
          for: "15m",
          labels: { [LABEL_PRIORITY]: "P1" },
          annotations: {
            summary: "{{ $value }} node(s) have no available Falco pod",
            description: "Those nodes are not watched for runtime threats: check the falco DaemonSet's pods (eBPF probe load, falcoctl artifact download, resources).",
          },
        },
        {
          alert: "FalcosidekickOutputErrors",
          expr: `sum by (destination) (increase(falcosidekick_outputs{${sidekick}, status="error"}[10m])) > 0`,
          for: "5m",
          labels: { [LABEL_PRIORITY]: "P1" },
          annotations: {
            summary: "falcosidekick fails to deliver Falco detections to {{ $labels.destination }}",
            description: "Detections that fail to deliver are dropped: check falcosidekick's logs and the destination (Alertmanager's Service and the falco → monitoring network allow).",
          },
        },
      ],
    },
  ];
}
