import type { ContainerResources } from "../addon-types";
import { GRAFANA_DASHBOARD_LABEL, monitoringSelectorLabels } from "../../../lib/observability/monitoring-selection";
import { hardenedContainerSecurityContext as container, hardenedPodSecurityContext as podContext, RunAsIds } from "../../../lib/kubernetes/security-context";

/**
 * Requests and memory limits of the components the environment does not size: small and steady. No CPU limits: CPU
 * is compressible, and throttling a scrape target or the operator only makes it late.
 */
export const KUBE_PROMETHEUS_STACK_COMPONENT_RESOURCES = {
  operator: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  configReloader: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  webhookPatch: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  kubeStateMetrics: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  nodeExporter: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  grafanaSidecar: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } },
} as const satisfies Record<string, ContainerResources>;

/**
 * The user each image is built for, as the chart's own defaults set it: Prometheus and Alertmanager write their
 * volumes as 1000:2000, Grafana's image runs as 472; the operator and the exporters as nobody.
 */
const IDS: Readonly<Record<"prometheus" | "grafana" | "operator" | "webhookPatch", RunAsIds>> = {
  prometheus: { user: 1000, group: 2000 },
  grafana: { user: 472, group: 472 },
  operator: {},
  webhookPatch: { user: 2000, group: 2000 },
};

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
  const r = KUBE_PROMETHEUS_STACK_COMPONENT_RESOURCES;
  return {
    // Every pod non-root with the runtime's seccomp profile, every container read-only with no capabilities and no
    // escalation (`lib/kubernetes/security-context.ts`). The operator sets the Prometheus and Alertmanager containers'
    // own contexts itself (read-only, no escalation, ALL dropped); their pods get the hardened pod context here.
    prometheusOperator: {
      securityContext: podContext(IDS.operator),
      containerSecurityContext: container(IDS.operator),
      resources: r.operator,
      // The config reloader runs beside every Prometheus and Alertmanager: probed and sized like the rest.
      prometheusConfigReloader: { enableProbe: true, resources: r.configReloader },
      admissionWebhooks: {
        patch: { securityContext: podContext(IDS.webhookPatch), resources: r.webhookPatch },
        createSecretJob: { securityContext: container(IDS.webhookPatch) },
        patchWebhookJob: { securityContext: container(IDS.webhookPatch) },
      },
    },
    "kube-state-metrics": { securityContext: { enabled: true, ...podContext() }, containerSecurityContext: container(), resources: r.kubeStateMetrics },
    // Needs the host's network and PID namespaces (an exemption named in config), never privilege or a writable root.
    "prometheus-node-exporter": {
      securityContext: podContext(),
      containerSecurityContext: container(),
      resources: r.nodeExporter,
      ...(s.nodeExporterNamespace !== undefined ? { namespaceOverride: s.nodeExporterNamespace } : {}),
    },
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
        securityContext: podContext(IDS.prometheus),
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
        securityContext: podContext(IDS.prometheus),
      },
    },
    grafana: {
      // Dashboards are code (ConfigMaps): nothing to persist, and no admin password in values or state.
      admin: { existingSecret: s.grafana.adminSecretName, userKey: "admin-user", passwordKey: "admin-password" },
      resources: s.grafana.resources,
      securityContext: podContext(IDS.grafana),
      containerSecurityContext: container(IDS.grafana),
      sidecar: {
        dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: "ALL" },
        securityContext: container(IDS.grafana),
        resources: r.grafanaSidecar,
      },
      // `helm test` pods pull an image from outside the allowed registries and are never run by this platform.
      testFramework: { enabled: false },
    },
  };
}
