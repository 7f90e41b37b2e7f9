import type { ContainerResources } from "../addon-types";
import { GRAFANA_DASHBOARD_LABEL, monitoringSelectorLabels } from "../../../lib/observability/monitoring-selection";

/** Resolved sizes the values are built from (see `KubePrometheusStack` for defaults and meaning). */
export interface KubePrometheusStackSizes {
  readonly releaseName: string;
  readonly storageClassName: string;
  readonly spreadAcrossZones: boolean;
  /** @default - node-exporter stays in the release's namespace */
  readonly nodeExporterNamespace?: string;
  readonly prometheus: {
    readonly replicas: number;
    readonly retention: string;
    readonly retentionSizeGiB: number;
    readonly storageGiB: number;
    readonly scrapeInterval: string;
    readonly evaluationInterval: string;
    readonly resources: ContainerResources;
  };
  readonly alertmanager: {
    readonly replicas: number;
    readonly retention: string;
    readonly storageGiB: number;
    readonly resources: ContainerResources;
    readonly config: Readonly<Record<string, unknown>>;
    readonly secretNames: readonly string[];
  };
  readonly grafana: { readonly adminSecretName: string; readonly resources: ContainerResources };
}

function volumeClaim(storageClassName: string, gib: number) {
  return { volumeClaimTemplate: { spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } };
}

/** Zone spread for operator-managed pods; DoNotSchedule, so a zone never holds every replica. */
function zoneSpread(spread: boolean, appName: string) {
  return spread
    ? [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": appName } } }]
    : [];
}

/** One disruption budget per replicated component; none for a single replica (it would block every drain). */
function disruptionBudget(replicas: number) {
  return replicas >= 2 ? { enabled: true, minAvailable: 1 } : { enabled: false };
}

/**
 * The chart values: Prometheus and Alertmanager sized from the environment, on encrypted gp3 claims, selecting
 * rules and monitors with the platform's labels in every namespace; Grafana with admin credentials from an existing
 * Secret and dashboards from labelled ConfigMaps.
 */
export function kubePrometheusStackValues(s: KubePrometheusStackSizes): Record<string, unknown> {
  const select = { matchLabels: { ...monitoringSelectorLabels(s.releaseName) } };
  const p = s.prometheus;
  const a = s.alertmanager;
  return {
    prometheus: {
      podDisruptionBudget: disruptionBudget(p.replicas),
      prometheusSpec: {
        replicas: p.replicas,
        retention: p.retention,
        // Prometheus counts this in bytes of blocks; the claim is larger so the WAL always has room.
        retentionSize: `${p.retentionSizeGiB}GB`,
        scrapeInterval: p.scrapeInterval,
        evaluationInterval: p.evaluationInterval,
        resources: p.resources,
        storageSpec: volumeClaim(s.storageClassName, p.storageGiB),
        // Explicit selectors (the chart's own `release` convention) in every namespace: what loads is visible here.
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: select,
        ruleNamespaceSelector: {},
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: select,
        serviceMonitorNamespaceSelector: {},
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: select,
        podMonitorNamespaceSelector: {},
        probeSelectorNilUsesHelmValues: false,
        probeSelector: select,
        probeNamespaceSelector: {},
        podAntiAffinity: "soft",
        topologySpreadConstraints: zoneSpread(s.spreadAcrossZones && p.replicas > 1, "prometheus"),
      },
    },
    alertmanager: {
      podDisruptionBudget: disruptionBudget(a.replicas),
      config: a.config,
      alertmanagerSpec: {
        replicas: a.replicas,
        retention: a.retention,
        resources: a.resources,
        storage: volumeClaim(s.storageClassName, a.storageGiB),
        // Mounted at /etc/alertmanager/secrets/<name>/; the configuration reads credentials from there (`*_file`).
        secrets: [...a.secretNames],
        podAntiAffinity: "soft",
        topologySpreadConstraints: zoneSpread(s.spreadAcrossZones && a.replicas > 1, "alertmanager"),
      },
    },
    ...(s.nodeExporterNamespace !== undefined ? { "prometheus-node-exporter": { namespaceOverride: s.nodeExporterNamespace } } : {}),
    grafana: {
      // Dashboards are code (ConfigMaps): nothing to persist, and no admin password in values or state.
      admin: { existingSecret: s.grafana.adminSecretName, userKey: "admin-user", passwordKey: "admin-password" },
      resources: s.grafana.resources,
      sidecar: {
        dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: "ALL" },
      },
    },
  };
}
