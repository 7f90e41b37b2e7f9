import type { ContainerResources, Toleration } from "../addon-types";
import { deepMerge } from "../../common/deep-merge";
import { ChartWorkloadKeys, ENABLED_FLAG_BUDGET, ValuePath, workloadValues } from "../private/workload-values";
import { resolveNodePlacement, resolveWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { PROMETHEUS_DATASOURCE_UID } from "../../../lib/observability/tracing/grafana-datasources";
import { ENFORCED_NAMESPACE_LABEL, GRAFANA_DASHBOARD_LABEL, MONITORING_NAMESPACE, monitoringSelectorLabels } from "../../../lib/observability/monitoring-selection";
import { kubeStateMetricsNodeLabels } from "../../../lib/observability/capacity-alerts";
import { hardenedContainerSecurityContext as container, hardenedPodSecurityContext as podContext, RunAsIds } from "../../../lib/kubernetes/security-context";
import { ampRemoteWrite } from "../../../lib/observability/managed-prometheus/remote-write";
import { chartFullname } from "../../../lib/observability/prometheus-operator-rbac";

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
 * Ceilings on every scrape, whatever a ServiceMonitor or PodMonitor asks for: a target that returns more samples or
 * labels than this fails its scrape (`up == 0`, its samples dropped) instead of growing Prometheus until it is OOM-killed.
 * Any namespace can expose a scraped endpoint, so a limit only the monitor's author sets protects nothing. The sample
 * ceiling leaves room for kube-state-metrics and a busy node's cAdvisor; a monitor may set a lower limit of its own.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusSpec
 */
export const PROMETHEUS_ENFORCED_SCRAPE_LIMITS = {
  enforcedSampleLimit: 200000,
  enforcedLabelLimit: 64,
  enforcedBodySizeLimit: "64MB",
} as const;

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

/**
 * kube-state-metrics' collectors: the sub-chart's default list (kube-state-metrics 8.4.0) without `secrets`. That
 * collector needs list and watch on every Secret in the cluster, so a node running kube-state-metrics would yield
 * them all; no platform alert or dashboard reads `kube_secret_*`.
 */
export const KUBE_STATE_METRICS_COLLECTORS = [
  "certificatesigningrequests", "configmaps", "cronjobs", "daemonsets", "deployments", "endpointslices", "horizontalpodautoscalers",
  "ingresses", "jobs", "leases", "limitranges", "mutatingwebhookconfigurations", "namespaces", "networkpolicies", "nodes",
  "persistentvolumeclaims", "persistentvolumes", "poddisruptionbudgets", "pods", "replicasets", "replicationcontrollers",
  "resourcequotas", "services", "statefulsets", "storageclasses", "validatingwebhookconfigurations", "volumeattachments",
] as const;

/** The label prometheus-operator sets, on tenants' series and alerts and in their rules' selectors, to the object's namespace. */
export { ENFORCED_NAMESPACE_LABEL };

/** The kinds `excludedFromEnforcement` names (the operator's `ObjectReference.resource`). */
const ENFORCED_RESOURCES = ["prometheusrules", "servicemonitors", "podmonitors", "probes"] as const;

/**
 * Who sees what: every rule and monitor of a tenant namespace is confined to its namespace (the operator adds
 * `namespace="<its namespace>"` to each vector selector of its rules, to the series they record and the alerts they
 * fire, and to what its monitors scrape), so a team's PrometheusRule cannot read another team's series and its
 * ServiceMonitor cannot pass its samples off as another namespace's. The platform's own namespaces (the release's and
 * the other watched ones that are not tenants: the SLO rules in monitoring, cert-manager's and the mesh's rules and
 * monitors, the chart's kube-state-metrics and kubelet monitors whose `namespace` label is the observed object's) are
 * excluded by namespace, so they keep the cluster-wide view.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusSpec
 */
export function namespaceEnforcement(s: Pick<KubePrometheusStackSizes, "namespace" | "operatorNamespaces" | "tenantNamespaces">): Record<string, unknown> {
  const tenants = new Set(s.tenantNamespaces ?? []);
  const platform = [...new Set([s.namespace ?? MONITORING_NAMESPACE, ...(s.operatorNamespaces ?? [])])].filter((n) => !tenants.has(n));
  return {
    enforcedNamespaceLabel: ENFORCED_NAMESPACE_LABEL,
    excludedFromEnforcement: platform.flatMap((namespace) => ENFORCED_RESOURCES.map((resource) => ({ group: "monitoring.coreos.com", resource, namespace }))),
  };
}

/** The annotation that names a service account's IRSA role. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** The external label that names a Prometheus replica for Amazon Managed Prometheus's high-availability deduplication. */
export const AMP_REPLICA_LABEL = "__replica__";
/** The external label that names the cluster a sample comes from (AMP deduplicates replicas within one cluster). */
export const AMP_CLUSTER_LABEL = "cluster";

/** The service accounts of the chart's Prometheus and Grafana (the chart's own names, set explicitly for their IRSA roles). */
export function monitoringServiceAccounts(releaseName: string): { readonly prometheus: string; readonly grafana: string } {
  return { prometheus: `${chartFullname(releaseName)}-prometheus`, grafana: `${releaseName}-grafana` };
}

/**
 * An Amazon Managed Prometheus workspace the chart's Prometheus writes to and Grafana reads from (the
 * `ManagedPrometheus` construct's endpoints and roles).
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-remote-write-EKS.html
 */
export interface ManagedPrometheusWiring {
  /** The workspace's remote-write URL. */
  readonly remoteWriteUrl: string;
  /** The workspace's query endpoint (`prometheus_endpoint`): Grafana's data source. */
  readonly queryUrl: string;
  /** The workspace's region, for SigV4. */
  readonly region: string;
  /** IRSA role of Prometheus's service account (`aps:RemoteWrite` on the workspace). */
  readonly prometheusRoleArn: string;
  /** IRSA role of Grafana's service account (the workspace's query actions). */
  readonly grafanaRoleArn: string;
  /** The `cluster` external label: AMP deduplicates the replicas of one cluster by it and `__replica__`. */
  readonly clusterLabel: string;
  /**
   * Series not remote-written: those the workspace records itself (the SLO recording rules).
   * @default []
   */
  readonly dropSeries?: readonly string[];
}

/** The name of Grafana's SigV4 data source of the workspace. */
export const AMP_DATA_SOURCE_NAME = "Amazon Managed Prometheus";

/**
 * What the chart takes to write to and read from a workspace: Prometheus's remote write (SigV4 through its IRSA role,
 * AMP's queue settings, replicas labelled for AMP's deduplication) and Grafana's SigV4 auth with its own IRSA role (the
 * data source itself is {@link ampDataSource}, joined with the others).
 */
export function managedPrometheusValues(w: ManagedPrometheusWiring, releaseName: string): Record<string, unknown> {
  const accounts = monitoringServiceAccounts(releaseName);
  return {
    prometheus: {
      serviceAccount: { create: true, name: accounts.prometheus, annotations: { [IRSA_ROLE_ANNOTATION]: w.prometheusRoleArn } },
      prometheusSpec: {
        remoteWrite: [ampRemoteWrite({ url: w.remoteWriteUrl, region: w.region, dropSeries: w.dropSeries })],
        // Both replicas write the same series: AMP keeps one replica's per cluster, and fails over to the other.
        externalLabels: { [AMP_CLUSTER_LABEL]: w.clusterLabel },
        replicaExternalLabelName: AMP_REPLICA_LABEL,
      },
    },
    grafana: {
      serviceAccount: { create: true, name: accounts.grafana, annotations: { [IRSA_ROLE_ANNOTATION]: w.grafanaRoleArn } },
      "grafana.ini": { auth: { sigv4_auth_enabled: true } },
    },
  };
}

/** The workspace as Grafana's SigV4 data source (the pod's IRSA role through the AWS SDK's default chain). */
export function ampDataSource(w: ManagedPrometheusWiring): Record<string, unknown> {
  return {
    name: AMP_DATA_SOURCE_NAME,
    uid: "amazon-managed-prometheus",
    type: "prometheus",
    access: "proxy",
    url: w.queryUrl,
    isDefault: false,
    editable: false,
    // No key in the data source: the web identity of Grafana's service account.
    jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: w.region, httpMethod: "POST" },
  };
}

/** Resolved sizes the values are built from (see `KubePrometheusStack` for defaults and meaning). */
export interface KubePrometheusStackSizes {
  readonly releaseName: string;
  /** The release's namespace, where Grafana's dashboards live. @default "monitoring" */
  readonly namespace?: string;
  /**
   * Namespaces besides the release's where the operator reconciles rules and monitors.
   * @default [] - the release's namespace only
   */
  readonly operatorNamespaces?: readonly string[];
  /**
   * Namespaces whose rules and monitors belong to a tenant (a team): Prometheus pins each of their selectors and
   * series to the object's own namespace.
   * @default [] - every watched namespace is the platform's
   */
  readonly tenantNamespaces?: readonly string[];
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
  readonly grafana: {
    readonly adminSecretName: string;
    readonly resources: ContainerResources;
    /** @default [] */
    readonly additionalDataSources?: readonly Readonly<Record<string, unknown>>[];
  };
  /**
   * Where the operator, Prometheus, Alertmanager, Grafana and kube-state-metrics run (node-exporter, a DaemonSet, runs on
   * every node).
   * @default - the system node group
   */
  readonly placement?: { readonly nodeLabels: Readonly<Record<string, string>>; readonly tolerations: readonly Toleration[] };
  /** @default - no remote write, no workspace data source */
  readonly managedPrometheus?: ManagedPrometheusWiring;
}

function volumeClaim(storageClassName: string, gib: number) {
  return { volumeClaimTemplate: { spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } };
}

/** The keys of a component whose settings sit together under `root` (`securityContext` is the pod's). */
function componentKeys(root: ValuePath, podContext = "securityContext"): ChartWorkloadKeys {
  return {
    resources: [...root, "resources"],
    podSecurityContext: { path: [...root, podContext] },
    containerSecurityContext: { path: [...root, "containerSecurityContext"] },
    affinity: { path: [...root, "affinity"] },
    tolerations: [...root, "tolerations"],
  };
}

/**
 * Prometheus or Alertmanager: replicas, resources, pod context, placement and zone spread in the custom resource's spec
 * (the operator writes the containers' contexts itself), the disruption budget next to it.
 */
function operatedKeys(component: "prometheus" | "alertmanager"): ChartWorkloadKeys {
  const spec = [component, `${component}Spec`];
  return {
    replicas: [...spec, "replicas"],
    resources: [...spec, "resources"],
    podDisruptionBudget: { path: [component, "podDisruptionBudget"], render: ENABLED_FLAG_BUDGET },
    topologySpreadConstraints: { path: [...spec, "topologySpreadConstraints"], matchLabels: { "app.kubernetes.io/name": component } },
    podSecurityContext: { path: [...spec, "securityContext"] },
    affinity: { path: [...spec, "affinity"] },
    tolerations: [...spec, "tolerations"],
  };
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
  const placement = s.placement ?? resolveNodePlacement(undefined);
  const namespace = s.namespace ?? MONITORING_NAMESPACE;
  const profile = (w: WorkloadProfile) => resolveWorkloadProfile({ spreadAcrossZones: s.spreadAcrossZones, placement, ...w });
  // Sizes, placement on the system nodes and the hardened contexts, at each component's keys.
  const workloads = deepMerge(
    workloadValues(profile({ resources: r.operator, runAs: IDS.operator }), componentKeys(["prometheusOperator"])),
    workloadValues(profile({ replicas: p.replicas, resources: p.resources, runAs: IDS.prometheus }), operatedKeys("prometheus")),
    workloadValues(profile({ replicas: a.replicas, resources: a.resources, runAs: IDS.prometheus }), operatedKeys("alertmanager")),
    workloadValues(profile({ resources: s.grafana.resources, runAs: IDS.grafana }), componentKeys(["grafana"])),
    workloadValues(profile({ resources: r.kubeStateMetrics }), {
      ...componentKeys(["kube-state-metrics"]),
      podSecurityContext: { path: ["kube-state-metrics", "securityContext"], extra: { enabled: true } },
    }),
  );
  const amp = s.managedPrometheus === undefined ? {} : managedPrometheusValues(s.managedPrometheus, s.releaseName);
  const dataSources = [...(s.managedPrometheus === undefined ? [] : [ampDataSource(s.managedPrometheus)]), ...(s.grafana.additionalDataSources ?? [])];
  return deepMerge(workloads, amp, {
    // Every pod non-root with the runtime's seccomp profile, every container read-only with no capabilities and no
    // escalation (`lib/kubernetes/security-context.ts`). The operator sets the Prometheus and Alertmanager containers'
    // own contexts itself (read-only, no escalation, ALL dropped); their pods get the hardened pod context here.
    // The chart's RBAC is off: its operator ClusterRole has `*` on every Secret and ConfigMap, and no value of 88.5.3
    // narrows it. The construct builds the same roles with those rights in the release's namespace only (MonitoringRbac).
    global: { rbac: { create: false } },
    prometheusOperator: {
      // Prometheus, Alertmanager (and their AlertmanagerConfigs) and Thanos Ruler objects live in the release's
      // namespace only: the operator's Secret and ConfigMap informers follow these, so it needs those rights there alone.
      prometheusInstanceNamespaces: [namespace],
      alertmanagerInstanceNamespaces: [namespace],
      alertmanagerConfigNamespaces: [namespace],
      thanosRulerInstanceNamespaces: [namespace],
      // Watches only these namespaces for rules and monitors (its --namespaces flag and its webhook's namespace
      // selector), not the cluster.
      namespaces: { releaseNamespace: true, additional: [...new Set([...(s.operatorNamespaces ?? []), ...(s.tenantNamespaces ?? [])])].filter((n) => n !== namespace) },
      // The config reloader runs beside every Prometheus and Alertmanager: probed and sized like the rest.
      prometheusConfigReloader: { enableProbe: true, resources: r.configReloader },
      admissionWebhooks: {
        patch: { securityContext: podContext(IDS.webhookPatch), resources: r.webhookPatch },
        createSecretJob: { securityContext: container(IDS.webhookPatch) },
        patchWebhookJob: { securityContext: container(IDS.webhookPatch) },
      },
    },
    // Needs the host's network and PID namespaces (an exemption named in config), never privilege or a writable root.
    "prometheus-node-exporter": {
      securityContext: podContext(),
      containerSecurityContext: container(),
      resources: r.nodeExporter,
      ...(s.nodeExporterNamespace !== undefined ? { namespaceOverride: s.nodeExporterNamespace } : {}),
    },
    prometheus: {
      prometheusSpec: {
        retention: p.retention,
        // Prometheus counts this in bytes of blocks; the claim is larger so the WAL always has room.
        retentionSize: `${p.retentionSizeGiB}GB`,
        scrapeInterval: p.scrapeInterval,
        evaluationInterval: p.evaluationInterval,
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
        // The chart adds this next to the profile's node affinity.
        podAntiAffinity: "soft",
        ...PROMETHEUS_ENFORCED_SCRAPE_LIMITS,
        ...namespaceEnforcement(s),
      },
    },
    alertmanager: {
      config: a.config,
      alertmanagerSpec: {
        retention: a.retention,
        storage: volumeClaim(s.storageClassName, a.storageGiB),
        // Mounted at /etc/alertmanager/secrets/<name>/; the configuration reads credentials from there (`*_file`).
        secrets: [...a.secretNames],
        podAntiAffinity: "soft",
      },
    },
    // Without the Secrets collector: its ClusterRole would read every Secret (KUBE_STATE_METRICS_COLLECTORS). The node
    // labels naming a node's pool on `kube_node_labels`, which the capacity forecasts join requests on.
    "kube-state-metrics": { collectors: [...KUBE_STATE_METRICS_COLLECTORS], metricLabelsAllowlist: [kubeStateMetricsNodeLabels()] },
    grafana: {
      // Dashboards are code (ConfigMaps): nothing to persist, and no admin password in values or state.
      admin: { existingSecret: s.grafana.adminSecretName, userKey: "admin-user", passwordKey: "admin-password" },
      // A Role in the release's namespace instead of a ClusterRole reading every ConfigMap and Secret in the cluster.
      rbac: { namespaced: true },
      sidecar: {
        // The generated dashboards are ConfigMaps in the release's namespace: the sidecar reads ConfigMaps there only.
        dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: [namespace], resource: "configmap" },
        // The uid other data sources link to (Tempo's trace → metrics and service graph), pinned rather than the chart's.
        datasources: { uid: PROMETHEUS_DATASOURCE_UID },
        securityContext: container(IDS.grafana),
        resources: r.grafanaSidecar,
      },
      // `helm test` pods pull an image from outside the allowed registries and are never run by this platform.
      testFramework: { enabled: false },
      // One list (Helm replaces arrays, so the workspace's and the caller's data sources are joined here, never merged).
      ...(dataSources.length > 0 ? { additionalDataSources: dataSources } : {}),
    },
  });
}