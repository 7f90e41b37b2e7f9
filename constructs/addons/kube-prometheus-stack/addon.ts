import { atConfigPath, type AddonContext, type AddonDescriptor, type AddonWorkload } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { externalSecretsAddon } from "../external-secrets/addon";
import { storageClassesAddon } from "../storage-classes/addon";
import { DEFAULT_GP3_STORAGE_CLASS } from "../storage-classes/storage-classes";
import { SecretsManagerStore, SyncedSecret } from "../external-secrets/secrets-manager-secrets";
import { KUBE_PROMETHEUS_STACK_RELEASE, MONITORING_NAMESPACE, NODE_EXPORTER_NAMESPACE } from "../../../lib/observability/monitoring-selection";
import { OBSERVABILITY_SECRETS } from "../../../lib/observability/secrets";
import { DEFAULT_CAPACITY_THRESHOLDS } from "../../../lib/observability/capacity-alerts";
import { CapacityForecasts } from "./capacity-forecasts";
import { tempoDataSource } from "../../../lib/observability/tracing/grafana-datasources";
import { SmsPager } from "../../observability/sms-pager";
import { AMP_SERVICE_PRINCIPAL } from "../../../lib/observability/managed-prometheus/limits";
import { p0SmsTopicName } from "../../../lib/observability/alertmanager/sms";
import { KubePrometheusStack, KUBE_PROMETHEUS_STACK_DEFAULTS, validateKubePrometheusStackProps, type KubePrometheusStackProps } from "./kube-prometheus-stack";
import { monitoringServiceAccounts, type ManagedPrometheusWiring } from "./kube-prometheus-stack-values";
import { ManagedPrometheus } from "../../observability/managed-prometheus";
import { ampRuleNamespaces, recordedSeries } from "../../../lib/observability/managed-prometheus";
import { toRuleGroups } from "../../../lib/slo/emit";

/** The Secrets the monitoring stack reads, synced from Secrets Manager before it starts. */
export interface MonitoringSecrets {
  readonly secretStore: SecretsManagerStore;
  readonly alertmanagerReceivers: SyncedSecret;
  readonly grafanaAdmin: SyncedSecret;
}

const KPS = KUBE_PROMETHEUS_STACK_RELEASE;
const OPERATOR_SETS = { setBy: "prometheus-operator writes the Prometheus and Alertmanager containers' contexts (read-only, no escalation, ALL dropped)" };
const image = (repository: string) => `${repository}:v1.0.0`;

const WORKLOADS: readonly AddonWorkload[] = [
  {
    kind: "Deployment", name: `${KPS}-operator`, namespace: MONITORING_NAMESPACE, podSecurityContext: ["prometheusOperator", "securityContext"],
    containers: [{ name: "kube-prometheus-stack", image: image("quay.io/prometheus-operator/prometheus-operator"), securityContext: ["prometheusOperator", "containerSecurityContext"], resources: ["prometheusOperator", "resources"] }],
  },
  ...(["createSecretJob", "patchWebhookJob"] as const).map((job): AddonWorkload => ({
    kind: "Job", name: `${KPS}-admission-${job === "createSecretJob" ? "create" : "patch"}`, namespace: MONITORING_NAMESPACE,
    podSecurityContext: ["prometheusOperator", "admissionWebhooks", "patch", "securityContext"],
    containers: [{ name: job, image: image("ghcr.io/jkroepke/kube-webhook-certgen"), securityContext: ["prometheusOperator", "admissionWebhooks", job, "securityContext"], resources: ["prometheusOperator", "admissionWebhooks", "patch", "resources"] }],
    chartPodFields: { restartPolicy: "OnFailure" },
  })),
  ...(["prometheus", "alertmanager"] as const).map((component): AddonWorkload => {
    const spec = component === "prometheus" ? ["prometheus", "prometheusSpec"] : ["alertmanager", "alertmanagerSpec"];
    return {
      kind: "StatefulSet", name: `${component}-${KPS}-${component}`, namespace: MONITORING_NAMESPACE, podSecurityContext: [...spec, "securityContext"],
      containers: [
        { name: component, image: image(`quay.io/prometheus/${component}`), securityContext: OPERATOR_SETS, resources: [...spec, "resources"] },
        { name: "config-reloader", image: image("quay.io/prometheus-operator/prometheus-config-reloader"), securityContext: OPERATOR_SETS, resources: ["prometheusOperator", "prometheusConfigReloader", "resources"] },
      ],
    };
  }),
  {
    kind: "Deployment", name: `${KPS}-grafana`, namespace: MONITORING_NAMESPACE, podSecurityContext: ["grafana", "securityContext"],
    containers: [
      { name: "grafana", image: image("docker.io/grafana/grafana"), securityContext: ["grafana", "containerSecurityContext"], resources: ["grafana", "resources"] },
      { name: "grafana-sc-dashboard", image: image("quay.io/kiwigrid/k8s-sidecar"), securityContext: ["grafana", "sidecar", "securityContext"], resources: ["grafana", "sidecar", "resources"] },
    ],
  },
  {
    kind: "Deployment", name: `${KPS}-kube-state-metrics`, namespace: MONITORING_NAMESPACE, podSecurityContext: ["kube-state-metrics", "securityContext"],
    containers: [{ name: "kube-state-metrics", image: image("registry.k8s.io/kube-state-metrics/kube-state-metrics"), securityContext: ["kube-state-metrics", "containerSecurityContext"], resources: ["kube-state-metrics", "resources"] }],
  },
  {
    kind: "DaemonSet", name: `${KPS}-prometheus-node-exporter`, namespace: NODE_EXPORTER_NAMESPACE, podSecurityContext: ["prometheus-node-exporter", "securityContext"],
    containers: [{ name: "node-exporter", image: image("quay.io/prometheus/node-exporter"), securityContext: ["prometheus-node-exporter", "containerSecurityContext"], resources: ["prometheus-node-exporter", "resources"] }],
    // The chart's DaemonSet shares the node's network and PID namespaces (its exemption says why).
    chartPodFields: { hostNetwork: true, hostPID: true },
  },
];

/**
 * kube-prometheus-stack (`observability`): Prometheus, Alertmanager with the generated routing, Grafana with the
 * generated dashboards. Its namespace is made in `platform-resources`, where the receivers' and Grafana's Secrets are
 * synced before it starts; node-exporter has a privileged namespace of its own so `monitoring` stays restricted.
 */
export const kubePrometheusStackAddon: AddonDescriptor<KubePrometheusStack> = {
  name: "kube-prometheus-stack",
  layer: "observability",
  summary: "Prometheus, Alertmanager (P0–P4 routing), Grafana (SLO dashboards), node-exporter, kube-state-metrics",
  configPath: "observability",
  namespaces: [
    { name: MONITORING_NAMESPACE, createdIn: "platform-resources" },
    { name: NODE_EXPORTER_NAMESPACE, createdIn: "security" },
  ],
  crds: KUBE_PROMETHEUS_STACK_DEFAULTS.crds,
  images: [
    "quay.io/prometheus/prometheus",
    "quay.io/prometheus/alertmanager",
    "quay.io/prometheus/node-exporter",
    "quay.io/prometheus-operator/prometheus-operator",
    "quay.io/prometheus-operator/prometheus-config-reloader",
    "quay.io/prometheus-operator/admission-webhook",
    "ghcr.io/jkroepke/kube-webhook-certgen",
    "registry.k8s.io/kube-state-metrics/kube-state-metrics",
    "docker.io/grafana/grafana",
    "quay.io/kiwigrid/k8s-sidecar",
  ],
  registries: ["registry.k8s.io/kube-state-metrics", "quay.io/prometheus", "quay.io/prometheus-operator"],
  // A personal namespace (ghcr.io/jkroepke), a company's whole Docker Hub organisation (docker.io/grafana) and another
  // company's namespace (quay.io/kiwigrid) would admit everything published there: the one repository each.
  repositories: ["ghcr.io/jkroepke/kube-webhook-certgen", "docker.io/grafana/grafana", "quay.io/kiwigrid/k8s-sidecar"],
  admission: {
    exemptWorkloads: [
      {
        namespace: NODE_EXPORTER_NAMESPACE,
        kind: "DaemonSet",
        name: `${KPS}-prometheus-node-exporter`,
        policies: ["hostNamespaces"],
        reason: "node-exporter reports the node's own network and process statistics, which it can only read from the host's network and PID namespaces",
      },
      {
        namespace: NODE_EXPORTER_NAMESPACE,
        kind: "DaemonSet",
        name: `${KPS}-prometheus-node-exporter`,
        policies: ["hostPathVolumes"],
        reason: "node-exporter reads the node's filesystem, memory and device statistics from its /proc, /sys and root filesystem, mounted read-only from host paths",
      },
      {
        namespace: MONITORING_NAMESPACE,
        kind: "Deployment",
        name: `${KPS}-grafana`,
        policies: ["probes"],
        reason: "Grafana's dashboard sidecar (k8s-sidecar) has no probes in the pinned chart's defaults; Grafana's own container has both",
      },
    ],
  },
  workloads: WORKLOADS,
  enabled: () => true,
  requires: [externalSecretsAddon, storageClassesAddon],
  // The section is the construct's props by the same names, checked by its validator at the section's path (the
  // StorageClass is the platform's own gp3 class, as the storage-classes add-on names it).
  validate: (config) =>
    atConfigPath("observability", validateKubePrometheusStackProps({ ...observabilityProps(config), storageClassName: DEFAULT_GP3_STORAGE_CLASS, nodeExporterNamespace: NODE_EXPORTER_NAMESPACE })),
  build: (ctx) => {
    const o = ctx.config.observability;
    const workspace = o.managedPrometheus?.enabled === true ? managedPrometheus(ctx) : undefined;
    const amp = workspace?.wiring;
    const smsPagers = buildSmsPagers(ctx, workspace?.workspace);
    return new KubePrometheusStack(ctx.scope, "KubePrometheusStack", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The namespace belongs to the platform-resources layer (its Secrets are there before this release).
      createNamespace: false,
      storageClassName: ctx.require(storageClassesAddon).gp3Name,
      spreadAcrossZones: o.spreadAcrossZones,
      // Its own privileged namespace (made by the security layer's baseline), so `monitoring` stays restricted.
      nodeExporterNamespace: NODE_EXPORTER_NAMESPACE,
      // On the system nodes like every other controller (node-exporter still runs on every node).
      systemNodePlacement: ctx.placement,
      // Where rules and monitors are shipped: the namespaces of the add-ons that contribute monitoring objects (the
      // mesh's, cert-manager's, beside what they watch; the SLO rules are in monitoring), with the platform's view of
      // the cluster, and every configured team namespace as a tenant, so a team's PrometheusRule loads from its own
      // namespace and sees only that namespace's series. Not the cluster.
      operatorNamespaces: monitoredAddonNamespaces(ctx),
      tenantNamespaces: ctx.config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces)),
      prometheus: o.prometheus,
      alertmanager: { ...o.alertmanager, config: ctx.artifacts.alertmanagerConfig, secretNames: [OBSERVABILITY_SECRETS.alertmanagerReceivers.secretName], snsTopics: smsPagers },
      grafana: {
        ...o.grafana,
        adminSecretName: OBSERVABILITY_SECRETS.grafanaAdmin.secretName,
        dashboards: ctx.artifacts.dashboards,
        // Tempo, where the environment traces, linked to this Prometheus (span metrics, service graph).
        additionalDataSources: o.tracing?.enabled ? [tempoDataSource()] : [],
      },
      managedPrometheus: amp,
    });
  },
  resources: [
    {
      // Before the monitoring stack: Grafana and Alertmanager start only once these Secrets exist.
      layer: "platform-resources",
      build: (ctx): MonitoringSecrets => {
        const monitoringNamespace = ctx.namespace(MONITORING_NAMESPACE);
        const secretStore = new SecretsManagerStore(ctx.scope, "SecretStore", {
          externalSecrets: ctx.require(externalSecretsAddon),
          namespaces: [MONITORING_NAMESPACE],
          region: ctx.config.region,
          access: ctx.access,
        });
        const prefix = ctx.config.platform.externalSecrets.secretsManagerPrefix;
        const synced = (id: string, secret: { readonly secretName: string; readonly remotePath: string }) =>
          new SyncedSecret(ctx.scope, id, { store: secretStore, namespace: MONITORING_NAMESPACE, secretName: secret.secretName, remoteKey: `${prefix}/${secret.remotePath}`, dependsOn: [monitoringNamespace] });
        return {
          secretStore,
          alertmanagerReceivers: synced("AlertmanagerReceivers", OBSERVABILITY_SECRETS.alertmanagerReceivers),
          grafanaAdmin: synced("GrafanaAdmin", OBSERVABILITY_SECRETS.grafanaAdmin),
        };
      },
    },
    {
      // The P4 capacity forecasts, beside Prometheus, once the chart has installed the PrometheusRule CRD.
      layer: "observability-resources",
      build: (ctx, stack) =>
        new CapacityForecasts(ctx.scope, "CapacityForecasts", {
          installedBy: stack,
          access: ctx.access,
          namespace: stack.addon.namespace,
          releaseName: stack.addon.releaseName,
          thresholds: ctx.config.observability.capacity ?? DEFAULT_CAPACITY_THRESHOLDS,
        }),
    },
  ],
};

/**
 * The environment's Amazon Managed Prometheus workspace (`observability.managedPrometheus`), beside the release that
 * writes to it: the SLO rules (with the P0s and the escalation) as its rule namespaces, the environment's routing as
 * its alert manager, and the roles of the chart's Prometheus and Grafana service accounts.
 */
function managedPrometheus(ctx: AddonContext): { workspace: ManagedPrometheus; wiring: ManagedPrometheusWiring } {
  const c = ctx.config;
  const accounts = monitoringServiceAccounts(KPS);
  const slos = ctx.artifacts.slos;
  const workspace = new ManagedPrometheus(ctx.scope, "ManagedPrometheus", {
    alias: c.cluster.name,
    region: c.region,
    cluster: ctx.cluster,
    prometheusServiceAccount: { namespace: MONITORING_NAMESPACE, name: accounts.prometheus },
    grafanaServiceAccount: { namespace: MONITORING_NAMESPACE, name: accounts.grafana },
    logRetentionDays: c.observability.managedPrometheus!.logRetentionDays,
    ruleNamespaces: slos === undefined ? [] : ampRuleNamespaces(slos),
    // Validation requires alerting with the workspace on (lib/config/validate-managed-prometheus.ts).
    alerting: c.alerting === undefined ? undefined : { routing: c.alerting, options: ctx.artifacts.alertmanagerBuildOptions },
    preventDestroy: c.protection.preventDestroy,
  });
  const wiring = {
    remoteWriteUrl: workspace.remoteWriteUrl,
    queryUrl: workspace.prometheusEndpoint,
    region: c.region,
    prometheusRoleArn: workspace.prometheusRole.roleArn,
    grafanaRoleArn: workspace.grafanaRole!.roleArn,
    clusterLabel: c.cluster.name,
    dropSeries: slos === undefined ? [] : recordedSeries(toRuleGroups(slos)),
  };
  return { workspace, wiring };
}

/**
 * The environment's SMS pagers: the platform's (`alerting.sms`) and each team's (`alerting.teams.<team>.sms`), each an
 * encrypted topic named as the Alertmanager configuration expects ({@link p0SmsTopicName}).
 */
function buildSmsPagers(ctx: AddonContext, workspace?: ManagedPrometheus): SmsPager[] {
  const a = ctx.config.alerting;
  const env = ctx.config.name;
  // With a workspace, its alert manager pages the SLO P0s by SMS too (it evaluates them): AMP may publish for it alone.
  const preventDestroy = ctx.config.protection.preventDestroy;
  const servicePublishers = workspace === undefined ? undefined : [{ service: AMP_SERVICE_PRINCIPAL, sourceArns: [workspace.workspaceArn] }];
  const pagers: SmsPager[] = [];
  if (a?.sms !== undefined) {
    pagers.push(new SmsPager(ctx.scope, "P0Sms", { topicName: p0SmsTopicName(env), description: `P0 pages and escalations of ${env} by SMS`, phoneNumbers: a.sms.phoneNumbers, servicePublishers, preventDestroy }));
  }
  for (const [team, t] of Object.entries(a?.teams ?? {}).sort(([x], [y]) => x.localeCompare(y))) {
    if (t.sms === undefined) continue;
    pagers.push(new SmsPager(ctx.scope, `P0Sms-${team}`, { topicName: p0SmsTopicName(env, team), description: `P0 pages of team ${team} in ${env} by SMS`, phoneNumbers: t.sms.phoneNumbers, servicePublishers, preventDestroy }));
  }
  // AMP checks that it may publish to every topic of its definition when the definition is applied.
  const definition = workspace?.alertManagerDefinition;
  if (definition !== undefined && pagers.length > 0) definition.dependsOn = [...(definition.dependsOn ?? []), ...pagers.map((p) => `${p.topic.policy.terraformResourceType}.${p.topic.policy.friendlyUniqueId}`)];
  return pagers;
}

/** The namespaces of the enabled add-ons that contribute custom resources to `observability-resources`. */
function monitoredAddonNamespaces(ctx: AddonContext): string[] {
  const contributing = ctx.enabled.filter((a) => a !== kubePrometheusStackAddon && (a.resources ?? []).some((r) => r.layer === "observability-resources" && r.monitors !== false));
  return [...new Set(contributing.flatMap((a) => a.namespaces.map((n) => n.name)))];
}

/** The `KubePrometheusStack` sizes of `observability`: the same names. */
function observabilityProps(config: EnvironmentConfig): Pick<KubePrometheusStackProps, "prometheus" | "alertmanager" | "grafana" | "spreadAcrossZones"> {
  const o = config.observability;
  return { prometheus: o.prometheus, alertmanager: o.alertmanager, grafana: o.grafana, spreadAcrossZones: o.spreadAcrossZones };
}
