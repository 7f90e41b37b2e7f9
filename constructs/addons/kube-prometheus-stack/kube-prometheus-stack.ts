import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isDnsLabel, isDnsSubdomain } from "../../../lib/kubernetes/names";
import { validateWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { PROMETHEUS_DURATION_RULE, prometheusDurationSeconds } from "../../../lib/kubernetes/durations";
import {
  GRAFANA_DASHBOARD_LABEL, KUBE_PROMETHEUS_STACK_RELEASE, MONITORING_NAMESPACE, prometheusUrl,
} from "../../../lib/observability/monitoring-selection";
import { alertmanagerSecretProblems as configSecretProblems, mountedSecretDirs } from "../../../lib/observability/alertmanager/validate";
import { kubePrometheusStackValues, KubePrometheusStackSizes, type ManagedPrometheusWiring } from "./kube-prometheus-stack-values";
import { MonitoringRbac } from "./monitoring-rbac";
import { chartFullname } from "../../../lib/observability/prometheus-operator-rbac";

/**
 * prometheus-community's kube-prometheus-stack 88.5.3 (prometheus-operator 0.93.1). Its CRDs ship in the chart's
 * `crds/` folder: Helm installs them on first install only, so a chart upgrade that changes them applies them first.
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
 */
export const KUBE_PROMETHEUS_STACK_DEFAULTS: HelmChartDefaults = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "88.5.3",
  namespace: MONITORING_NAMESPACE,
  releaseName: KUBE_PROMETHEUS_STACK_RELEASE,
  crds: {
    "monitoring.coreos.com/v1/PrometheusRule": "monitoring.coreos.com/prometheusrule_v1.json",
    "monitoring.coreos.com/v1/ServiceMonitor": "monitoring.coreos.com/servicemonitor_v1.json",
    "monitoring.coreos.com/v1/PodMonitor": "monitoring.coreos.com/podmonitor_v1.json",
  },
};

/** The port of the chart's Prometheus Service (`prometheus.service.port`, left at the chart's default). */
export const PROMETHEUS_SERVICE_PORT = 9090;

/** Prometheus options. */
export interface PrometheusOptions {
  /** Replicas scraping the same targets; two or more get a PodDisruptionBudget. @default 1 */
  readonly replicas?: number;
  /** How long samples are kept. @default "15d" */
  readonly retention?: string;
  /** Blocks beyond this size are dropped first; below `storageGiB`, leaving the WAL room. @default 8 */
  readonly retentionSizeGiB?: number;
  /** Size of each replica's encrypted gp3 claim. @default 10 */
  readonly storageGiB?: number;
  /** @default "30s" */
  readonly scrapeInterval?: string;
  /** @default "30s" */
  readonly evaluationInterval?: string;
  /** @default { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } } */
  readonly resources?: ContainerResources;
}

/** Alertmanager options. */
export interface AlertmanagerOptions {
  /** Replicas, clustered by gossip; two or more get a PodDisruptionBudget. @default 1 */
  readonly replicas?: number;
  /** How long silences and notification logs are kept. @default "120h" */
  readonly retention?: string;
  /** @default 2 */
  readonly storageGiB?: number;
  /** @default { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } } */
  readonly resources?: ContainerResources;
  /**
   * The Alertmanager configuration (Alertmanager's own snake_case shape, e.g. from the platform's generator). It may
   * read credentials only from files under `/etc/alertmanager/secrets/<one of secretNames>/` (`*_file` fields):
   * inline credentials are refused, so none reaches the synthesized JSON or the state.
   * @default - every alert to a receiver that notifies no one
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Secrets (in the release namespace) mounted for the `*_file` fields. @default [] */
  readonly secretNames?: readonly string[];
  /**
   * SNS topics the configuration publishes to (`sns_configs`, e.g. an `SmsPager`'s): the Alertmanager's service
   * account gets an IRSA role allowed exactly each topic's {@link PublishableTopic.publishStatements} (`sns:Publish` on
   * the topic, `kms:GenerateDataKey`/`kms:Decrypt` on its key), and nothing else.
   * @default [] - no IAM role: the Alertmanager has no AWS credentials
   */
  readonly snsTopics?: readonly PublishableTopic[];
}

/** A topic a role can be allowed to publish to (an `EncryptedTopic`, an `SmsPager`). */
export interface PublishableTopic {
  /** The identity-policy statements a publisher needs, and no more. */
  publishStatements(): DataAwsIamPolicyDocumentStatement[];
}

/** Grafana options. */
export interface GrafanaOptions {
  /** Existing Secret with `admin-user` and `admin-password` (e.g. from an ExternalSecret). @default "grafana-admin" */
  readonly adminSecretName?: string;
  /** @default { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } */
  readonly resources?: ContainerResources;
  /** Dashboards by name → Grafana dashboard JSON, each in a ConfigMap the sidecar loads. @default {} */
  readonly dashboards?: Readonly<Record<string, string>>;
  /**
   * Data sources besides Prometheus and Alertmanager, in Grafana's provisioning shape (the chart's
   * `grafana.additionalDataSources`), e.g. `tempoDataSource()`. The Prometheus data source's uid is
   * `PROMETHEUS_DATASOURCE_UID`, for links to it.
   * @default []
   * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
   */
  readonly additionalDataSources?: readonly Readonly<Record<string, unknown>>[];
}

/** Props of {@link KubePrometheusStack}. */
export interface KubePrometheusStackProps extends HelmAddonProps, HelmReleaseOptions {
  /** StorageClass of the Prometheus and Alertmanager claims: the encrypted gp3 class (`StorageClasses.gp3Name`). */
  readonly storageClassName: string;
  /** @default - see {@link PrometheusOptions} */
  readonly prometheus?: PrometheusOptions;
  /** @default - see {@link AlertmanagerOptions} */
  readonly alertmanager?: AlertmanagerOptions;
  /** @default - see {@link GrafanaOptions} */
  readonly grafana?: GrafanaOptions;
  /** Spread replicated Prometheus and Alertmanager pods across zones (`DoNotSchedule`). @default false */
  readonly spreadAcrossZones?: boolean;
  /**
   * A namespace of node-exporter's own (it must exist): node-exporter needs the host's network, PIDs and filesystem
   * (Pod Security `privileged`), which would otherwise force that exception on the whole monitoring namespace.
   * @default - the release's namespace
   */
  readonly nodeExporterNamespace?: string;
  /**
   * Keep the operator, Prometheus, Alertmanager, Grafana and kube-state-metrics on the system node group, like every
   * other platform controller, so monitoring never competes with (or is evicted by) the workloads it watches.
   * node-exporter, a DaemonSet, runs on every node regardless.
   * @default - the `eks.amazonaws.com/capacityType: ON_DEMAND` label and the `CriticalAddonsOnly` toleration
   */
  readonly systemNodePlacement?: SystemNodePlacement;
  /**
   * Namespaces besides the release's where the operator reconciles PrometheusRules, ServiceMonitors and PodMonitors
   * (the chart's `prometheusOperator.namespaces`). A rule or monitor elsewhere is ignored: list every namespace that
   * ships one. The operator watching the cluster would read every namespace's objects for nothing.
   * @default [] - the release's namespace only
   */
  readonly operatorNamespaces?: readonly string[];
  /**
   * Namespaces whose PrometheusRules and monitors belong to a team: the operator watches them too, and Prometheus
   * confines each of their rules and monitors to its own namespace (`enforcedNamespaceLabel: namespace`), so a team
   * ships its rules in its own namespace without reading any other's series. Every other watched namespace (the
   * release's, `operatorNamespaces`) is the platform's and keeps the cluster-wide view (`excludedFromEnforcement`).
   * @default [] - no tenant namespaces
   */
  readonly tenantNamespaces?: readonly string[];
  /**
   * An Amazon Managed Prometheus workspace (the `ManagedPrometheus` construct): Prometheus remote-writes to it with SigV4
   * through its service account's IRSA role, and Grafana gets it as a SigV4 data source through its own.
   * @default - no remote write; Grafana reads the in-cluster Prometheus only
   */
  readonly managedPrometheus?: ManagedPrometheusWiring;
}

/** Share of the Prometheus volume that retention may fill: the rest holds the WAL and compaction's scratch space. */
export const MAX_RETENTION_SHARE = 0.85;

/** Routes everything to a receiver without integrations: safe until the environment's routing is given. */
export const SILENT_ALERTMANAGER_CONFIG: Readonly<Record<string, unknown>> = {
  route: { receiver: "null", group_by: ["alertname", "namespace"] },
  receivers: [{ name: "null" }],
};

/**
 * kube-prometheus-stack: Prometheus, Alertmanager, Grafana, the operator, node-exporter and kube-state-metrics, with
 * sizes from the environment, encrypted gp3 volumes, disruption budgets and zone spread for replicated components,
 * label selection of rules and monitors across namespaces, receiver credentials as mounted files and Grafana's admin
 * from an existing Secret. Its custom resources (PrometheusRules, ServiceMonitors) belong to a later stack.
 */
export class KubePrometheusStack extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  /**
   * The operator's, Prometheus's and the webhook jobs' RBAC (the chart's is off): no Secret or ConfigMap rights outside
   * the release's namespace.
   */
  public readonly rbac: MonitoringRbac;
  public readonly sizes: KubePrometheusStackSizes;
  public readonly dashboards: Readonly<Record<string, ConfigMapV1>>;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", storageClassName: "the encrypted gp3 StorageClass name" });
    this.sizes = kubePrometheusStackSizes(props);
    throwIfProblems(this.node.path, validateKubePrometheusStackProps(props, this.sizes));

    // The roles exist before the operator starts: it would otherwise fail its first reconciles.
    this.rbac = new MonitoringRbac(this, "Rbac", { fullname: chartFullname(this.sizes.releaseName), namespace: this.sizes.namespace ?? MONITORING_NAMESPACE, access: props.access });
    const topics = props.alertmanager?.snsTopics ?? [];
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: KUBE_PROMETHEUS_STACK_DEFAULTS,
      chartValues: kubePrometheusStackValues(this.sizes),
      // The chart's Alertmanager service account, named, so the role trusts exactly it.
      ...(topics.length > 0
        ? {
            irsa: {
              serviceAccountName: alertmanagerServiceAccountName(this.sizes.releaseName),
              namePath: ["alertmanager", "serviceAccount", "name"],
              annotationsPath: ["alertmanager", "serviceAccount", "annotations"],
              // Statement ids are unique in a policy: numbered when there is more than one topic.
              statements: topics.flatMap((t, i) => t.publishStatements().map((st) => (topics.length > 1 ? { ...st, sid: `${st.sid}${i + 1}` } : st))),
            },
          }
        : {}),
      dependsOn: [...(props.dependsOn ?? []), ...Object.values(this.rbac.clusterRoles), ...Object.values(this.rbac.roles), ...this.rbac.bindings],
    });

    const dashboards: Record<string, ConfigMapV1> = {};
    for (const [name, json] of Object.entries(props.grafana?.dashboards ?? {})) {
      dashboards[name] = new ConfigMapV1(this, `Dashboard-${name}`, {
        provider: props.access?.kubernetesProvider,
        metadata: { name: `dashboard-${name}`, namespace: this.addon.namespace, labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value } },
        data: { [`${name}.json`]: json },
        // The namespace and the sidecar come with the release.
        dependsOn: [this.addon],
      });
    }
    this.dashboards = dashboards;
  }

  /**
   * The in-cluster URL of the Prometheus Service the chart makes (`<release>-prometheus` in the release's namespace, on
   * the chart's port 9090): what chaos probes and canary analyses query.
   */
  public get prometheusUrl(): string {
    return prometheusUrl(this.addon.releaseName, this.addon.namespace);
  }

  /** The release's address, so other resources can wait for the monitoring stack. */
  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  /** The release's address, so other resources can wait for the monitoring stack. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** The Alertmanager's service account: the chart's default name (`<fullname>-alertmanager`), set explicitly for IRSA. */
export function alertmanagerServiceAccountName(releaseName: string): string {
  return `${chartFullname(releaseName)}-alertmanager`;
}

/** Checks {@link KubePrometheusStackProps} as resolved into `sizes` (the release is checked by `HelmAddon`). */
/** What the validator reads: the props without the cluster (configuration is checked before there is one). */
export type KubePrometheusStackValidatable = Omit<KubePrometheusStackProps, "cluster"> & Partial<Pick<KubePrometheusStackProps, "cluster">>;

/** The sizes in use: the props' with every default resolved. */
export function kubePrometheusStackSizes(props: KubePrometheusStackValidatable): KubePrometheusStackSizes {
  const p = props.prometheus ?? {};
  const a = props.alertmanager ?? {};
  const g = props.grafana ?? {};
  return {
    releaseName: KUBE_PROMETHEUS_STACK_DEFAULTS.releaseName,
    namespace: props.namespace ?? KUBE_PROMETHEUS_STACK_DEFAULTS.namespace,
    operatorNamespaces: props.operatorNamespaces ?? [],
    tenantNamespaces: props.tenantNamespaces ?? [],
    storageClassName: props.storageClassName,
    spreadAcrossZones: props.spreadAcrossZones ?? false,
    nodeExporterNamespace: props.nodeExporterNamespace,
    prometheus: {
      replicas: p.replicas ?? 1,
      retention: p.retention ?? "15d",
      retentionSizeGiB: p.retentionSizeGiB ?? 8,
      storageGiB: p.storageGiB ?? 10,
      scrapeInterval: p.scrapeInterval ?? "30s",
      evaluationInterval: p.evaluationInterval ?? "30s",
      resources: p.resources ?? { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
    },
    alertmanager: {
      replicas: a.replicas ?? 1,
      retention: a.retention ?? "120h",
      storageGiB: a.storageGiB ?? 2,
      resources: a.resources ?? { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      config: a.config ?? SILENT_ALERTMANAGER_CONFIG,
      secretNames: a.secretNames ?? [],
    },
    grafana: {
      adminSecretName: g.adminSecretName ?? "grafana-admin",
      resources: g.resources ?? { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      additionalDataSources: g.additionalDataSources ?? [],
    },
    placement: resolvePlacement(props.systemNodePlacement),
    managedPrometheus: props.managedPrometheus,
  };
}

export function validateKubePrometheusStackProps(props: KubePrometheusStackValidatable, sizes: KubePrometheusStackSizes = kubePrometheusStackSizes(props)): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.nodeExporterNamespace !== undefined && !isUnresolved(props.nodeExporterNamespace) && !isDnsLabel(props.nodeExporterNamespace)) {
    problems.push({ path: "nodeExporterNamespace", value: props.nodeExporterNamespace, allowed: "a Kubernetes namespace name (RFC 1123 label)" });
  }
  for (const [i, n] of (props.operatorNamespaces ?? []).entries()) {
    if (!isDnsLabel(n)) problems.push({ path: `operatorNamespaces[${i}]`, value: n, allowed: "a Kubernetes namespace name (RFC 1123 label)" });
  }
  const release = props.namespace ?? KUBE_PROMETHEUS_STACK_DEFAULTS.namespace;
  for (const [i, n] of (props.tenantNamespaces ?? []).entries()) {
    if (!isDnsLabel(n) || n === release) problems.push({ path: `tenantNamespaces[${i}]`, value: n, allowed: `a Kubernetes namespace name (RFC 1123 label) other than the release's (${release})` });
  }
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!isUnresolved(props.storageClassName) && !isDnsSubdomain(props.storageClassName ?? "")) add("storageClassName", props.storageClassName, "a StorageClass name");
  problems.push(...validateWorkloadProfile("prometheus", sizes.prometheus));
  problems.push(...validateWorkloadProfile("alertmanager", sizes.alertmanager));
  problems.push(...validateWorkloadProfile("grafana", sizes.grafana));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  const durations: Array<[string, string]> = [
    ["prometheus.retention", sizes.prometheus.retention],
    ["prometheus.scrapeInterval", sizes.prometheus.scrapeInterval],
    ["prometheus.evaluationInterval", sizes.prometheus.evaluationInterval],
    ["alertmanager.retention", sizes.alertmanager.retention],
  ];
  for (const [path, d] of durations) if (prometheusDurationSeconds(d) === undefined) add(path, d, PROMETHEUS_DURATION_RULE);
  for (const [path, gib] of [["prometheus.storageGiB", sizes.prometheus.storageGiB], ["alertmanager.storageGiB", sizes.alertmanager.storageGiB], ["prometheus.retentionSizeGiB", sizes.prometheus.retentionSizeGiB]] as const) {
    if (!Number.isInteger(gib) || gib < 1) add(path, gib, "a whole number of GiB, at least 1");
  }
  const maxRetention = Math.floor(sizes.prometheus.storageGiB * MAX_RETENTION_SHARE);
  if (sizes.prometheus.retentionSizeGiB > maxRetention) {
    add("prometheus.retentionSizeGiB", sizes.prometheus.retentionSizeGiB, `at most ${maxRetention} (${MAX_RETENTION_SHARE * 100}% of storageGiB ${sizes.prometheus.storageGiB}; the WAL and compaction need the rest)`);
  }
  const scrape = prometheusDurationSeconds(sizes.prometheus.scrapeInterval);
  const evaluation = prometheusDurationSeconds(sizes.prometheus.evaluationInterval);
  if (scrape !== undefined && evaluation !== undefined && evaluation < scrape) {
    add("prometheus.evaluationInterval", sizes.prometheus.evaluationInterval, `at least scrapeInterval (${sizes.prometheus.scrapeInterval}): rules cannot see samples more often than they are scraped`);
  }
  sizes.alertmanager.secretNames.forEach((n, i) => {
    if (!isDnsSubdomain(n)) add(`alertmanager.secretNames[${i}]`, n, "a Secret name");
  });
  if (!isDnsSubdomain(sizes.grafana.adminSecretName)) add("grafana.adminSecretName", sizes.grafana.adminSecretName, "a Secret name");
  problems.push(...alertmanagerSecretProblems(sizes.alertmanager.config, sizes.alertmanager.secretNames));
  for (const name of Object.keys(props.grafana?.dashboards ?? {})) {
    if (!/^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$/.test(name)) add(`grafana.dashboards["${name}"]`, name, "a dashboard name of lowercase letters, digits and '-' (it names a ConfigMap)");
    else {
      try {
        JSON.parse(props.grafana!.dashboards![name]!);
      } catch {
        add(`grafana.dashboards["${name}"]`, "(not JSON)", "Grafana dashboard JSON");
      }
    }
  }
  return problems;
}


/**
 * Inline credentials are refused anywhere in the configuration; every `*_file` must point into a mounted Secret.
 * The rule is the Alertmanager generator's own (lib/observability/alertmanager), so generated and hand-written
 * configurations are held to the same one.
 */
export function alertmanagerSecretProblems(config: Readonly<Record<string, unknown>>, secretNames: readonly string[]): ValidationProblem[] {
  return configSecretProblems(config, mountedSecretDirs(secretNames), { whenNoDirs: "nothing until alertmanager.secretNames mounts a Secret" });
}
