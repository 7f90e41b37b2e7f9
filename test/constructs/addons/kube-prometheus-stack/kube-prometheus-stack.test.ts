import * as fs from "node:fs";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { KUBE_PROMETHEUS_STACK_DEFAULTS, KubePrometheusStack, KubePrometheusStackProps } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { MONITORING_SELECTOR_LABELS } from "../../../../lib/observability/monitoring-selection";
import { PROMETHEUS_DATASOURCE_UID, tempoDataSource } from "../../../../lib/observability/tracing/grafana-datasources";
import { fakeCluster } from "../fake-cluster";
import { fixturePath } from "../../../support/fixtures";

function build(props: Partial<KubePrometheusStackProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const addon = new KubePrometheusStack(stack, "Monitoring", { cluster: fakeCluster(), storageClassName: "gp3", ...props });
  const parsed = JSON.parse(Testing.synth(stack));
  const release = Object.values(parsed.resource.helm_release)[0] as { values: string[] };
  return { addon, parsed, json: JSON.stringify(parsed), values: parse(release.values[0]) };
}

const PROD = {
  spreadAcrossZones: true,
  prometheus: { replicas: 2, retention: "30d", retentionSizeGiB: 170, storageGiB: 200, resources: { requests: { cpu: "1", memory: "6Gi" }, limits: { memory: "8Gi" } } },
  alertmanager: { replicas: 3, storageGiB: 10 },
} satisfies Partial<KubePrometheusStackProps>;

describe("KubePrometheusStack", () => {
  test("names the in-cluster URL of the Prometheus Service the chart makes: the release's name, its namespace, the chart's port", () => {
    const { addon, values } = build();
    const chart = parse(fs.readFileSync(fixturePath("helm-values", `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_DEFAULTS.version}.values.yaml`), "utf8"));
    // The Service is `<fullname>-prometheus`; fullname is the release name, which contains the chart's name, unless overridden.
    expect([values.fullnameOverride, values.nameOverride, values.prometheus?.service?.port]).toEqual([undefined, undefined, undefined]);
    expect(KUBE_PROMETHEUS_STACK_DEFAULTS.releaseName).toContain("kube-prometheus-stack");
    expect(addon.prometheusUrl).toBe(`http://${KUBE_PROMETHEUS_STACK_DEFAULTS.releaseName}-prometheus.${KUBE_PROMETHEUS_STACK_DEFAULTS.namespace}.svc:${chart.prometheus.service.port}`);
  });

  test("pins kube-prometheus-stack 88.5.3 into the monitoring namespace", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(Release, { name: "kube-prometheus-stack", chart: "kube-prometheus-stack", version: "88.5.3", namespace: "monitoring", repository: "https://prometheus-community.github.io/helm-charts" });
    expect(KUBE_PROMETHEUS_STACK_DEFAULTS.version).toBe("88.5.3");
  });

  test("defaults: one small Prometheus and Alertmanager on encrypted gp3 claims, no disruption budget, no zone spread", () => {
    const { values } = build();
    const p = values.prometheus.prometheusSpec;
    expect([p.replicas, p.retention, p.retentionSize, p.scrapeInterval, p.evaluationInterval]).toEqual([1, "15d", "8GB", "30s", "30s"]);
    expect(p.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
    expect(p.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } });
    expect(values.prometheus.podDisruptionBudget).toEqual({ enabled: false });
    expect(p.topologySpreadConstraints).toEqual([]);
    const a = values.alertmanager.alertmanagerSpec;
    expect([a.replicas, a.retention]).toEqual([1, "120h"]);
    expect(a.storage.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
    expect(values.alertmanager.podDisruptionBudget).toEqual({ enabled: false });
  });

  test("prod sizes: replicas, disruption budgets and zone spread come from the props", () => {
    const { values } = build(PROD);
    const p = values.prometheus.prometheusSpec;
    expect([p.replicas, p.retention, p.retentionSize]).toEqual([2, "30d", "170GB"]);
    expect(p.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe("200Gi");
    expect(values.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(values.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    for (const [spec, app] of [[p, "prometheus"], [values.alertmanager.alertmanagerSpec, "alertmanager"]] as const) {
      expect(spec.topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": app } } },
      ]);
    }
  });

  test("every scrape is capped in samples, labels and body size, whatever a monitor asks for", () => {
    const p = build().values.prometheus.prometheusSpec;
    expect({ samples: p.enforcedSampleLimit, labels: p.enforcedLabelLimit, body: p.enforcedBodySizeLimit }).toEqual({ samples: 200000, labels: 64, body: "64MB" });
  });

  test("selects rules, service and pod monitors and probes by the exported labels in every namespace", () => {
    const p = build().values.prometheus.prometheusSpec;
    expect(MONITORING_SELECTOR_LABELS).toEqual({ release: "kube-prometheus-stack" });
    for (const kind of ["rule", "serviceMonitor", "podMonitor", "probe"]) {
      expect(p[`${kind}Selector`]).toEqual({ matchLabels: MONITORING_SELECTOR_LABELS });
      expect(p[`${kind}NamespaceSelector`]).toEqual({});
      expect(p[`${kind}SelectorNilUsesHelmValues`]).toBe(false);
    }
  });

  test("Alertmanager mounts the receiver Secrets and takes a configuration that reads them from files", () => {
    const config = { route: { receiver: "pd" }, receivers: [{ name: "pd", pagerduty_configs: [{ routing_key_file: "/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key" }] }] };
    const { values } = build({ alertmanager: { config, secretNames: ["alertmanager-receivers"] } });
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-receivers"]);
    expect(values.alertmanager.config).toEqual(config);
  });

  test("publishing to SNS topics gives the Alertmanager's service account a role allowed only those topics and their keys", () => {
    const topic = (n: number) => ({
      publishStatements: () => [
        { sid: "PublishToTopic", effect: "Allow", actions: ["sns:Publish"], resources: [`arn:aws:sns:eu-west-1:333333333333:t${n}`] },
        { sid: "EncryptForTopic", effect: "Allow", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [`arn:aws:kms:eu-west-1:333333333333:key/k${n}`] },
      ],
    });
    const { values, parsed, addon } = build({ alertmanager: { snsTopics: [topic(1), topic(2)] } });
    expect(values.alertmanager.serviceAccount).toEqual({ name: "kube-prometheus-stack-alertmanager", annotations: { "eks.amazonaws.com/role-arn": expect.stringMatching(/^\$\{aws_iam_role\.Monitoring_Helm_Irsa_Role_\w+\.arn\}$/) } });
    expect(addon.addon.irsaRole).toBeDefined();
    const docs = Object.entries(parsed.data.aws_iam_policy_document) as Array<[string, { statement: Array<{ sid: string; actions: string[]; resources?: string[]; condition?: Array<{ values: string[] }> }> }]>;
    const policy = docs.find(([k]) => k.includes("Irsa_PolicyDocument"))![1].statement;
    expect(policy.map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ["PublishToTopic1", ["sns:Publish"], ["arn:aws:sns:eu-west-1:333333333333:t1"]],
      ["EncryptForTopic1", ["kms:GenerateDataKey", "kms:Decrypt"], ["arn:aws:kms:eu-west-1:333333333333:key/k1"]],
      ["PublishToTopic2", ["sns:Publish"], ["arn:aws:sns:eu-west-1:333333333333:t2"]],
      ["EncryptForTopic2", ["kms:GenerateDataKey", "kms:Decrypt"], ["arn:aws:kms:eu-west-1:333333333333:key/k2"]],
    ]);
    const trust = docs.find(([k]) => k.includes("Irsa_Trust"))![1].statement[0]!;
    expect(trust.condition![0]!.values).toEqual(["system:serviceaccount:monitoring:kube-prometheus-stack-alertmanager"]);
    // Without topics the Alertmanager has no role and no AWS credentials.
    const plain = build();
    expect(plain.addon.addon.irsaRole).toBeUndefined();
    expect(plain.values.alertmanager.serviceAccount).toBeUndefined();
  });

  test("without a configuration, alerts reach a receiver that notifies no one", () => {
    expect(build().values.alertmanager.config).toEqual({ route: { receiver: "null", group_by: ["alertname", "namespace"] }, receivers: [{ name: "null" }] });
  });

  test("Grafana takes its admin from an existing Secret and loads dashboards from labelled ConfigMaps", () => {
    const dashboard = JSON.stringify({ title: "Checkout SLOs", panels: [] });
    const { values, parsed } = build({ grafana: { adminSecretName: "grafana-admin", dashboards: { "checkout-slo": dashboard } } });
    expect(values.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    expect(values.grafana.adminPassword).toBeUndefined();
    expect(values.grafana.sidecar.dashboards).toEqual(expect.objectContaining({ enabled: true, label: "grafana_dashboard", labelValue: "1" }));
    const maps = Object.values(parsed.resource.kubernetes_config_map_v1) as Array<Record<string, any>>;
    expect(maps).toHaveLength(1);
    expect(maps[0]!.metadata).toEqual({ name: "dashboard-checkout-slo", namespace: "monitoring", labels: { grafana_dashboard: "1" } });
    expect(maps[0]!.data).toEqual({ "checkout-slo.json": dashboard });
    expect(maps[0]!.depends_on).toEqual([expect.stringMatching(/^helm_release\./)]);
  });

  test("every value path set is a key of the chart's values.yaml (outside free-form maps)", () => {
    const chart = parse(fs.readFileSync(fixturePath("helm-values/kube-prometheus-stack-88.5.3.values.yaml"), "utf8"));
    const freeForm = new Set(["config", "resources", "storage", "storageSpec", "ruleSelector", "serviceMonitorSelector", "podMonitorSelector", "probeSelector", "topologySpreadConstraints", "admin", "secrets",
      // Kubernetes SecurityContext and Affinity objects, passed through as they are.
      "securityContext", "containerSecurityContext", "affinity"]);
    const missing: string[] = [];
    const walk = (ours: Record<string, unknown>, theirs: Record<string, unknown> | undefined, at: string) => {
      for (const [key, value] of Object.entries(ours)) {
        const path = at ? `${at}.${key}` : key;
        if (theirs === undefined || !(key in theirs)) missing.push(path);
        else if (!freeForm.has(key) && value !== null && typeof value === "object" && !Array.isArray(value)) walk(value as Record<string, unknown>, theirs[key] as Record<string, unknown>, path);
      }
    };
    walk(build({ ...PROD, nodeExporterNamespace: "node-exporter" }).values, chart, "");
    // Keys of the sub-charts' own values.yaml files (grafana, kube-state-metrics, prometheus-node-exporter), which the
    // parent file does not repeat.
    const subcharts = [
      "kube-state-metrics.securityContext", "kube-state-metrics.containerSecurityContext", "kube-state-metrics.resources", "kube-state-metrics.affinity", "kube-state-metrics.tolerations",
      "prometheus-node-exporter.securityContext", "prometheus-node-exporter.containerSecurityContext", "prometheus-node-exporter.resources",
      "grafana.resources", "grafana.securityContext", "grafana.containerSecurityContext", "grafana.sidecar.securityContext", "grafana.sidecar.resources", "grafana.testFramework", "grafana.affinity", "grafana.tolerations",
      "grafana.rbac.namespaced", "grafana.sidecar.dashboards.resource", "kube-state-metrics.collectors",
      // The kube-state-metrics chart's list of `<resource>=[<label>,…]` entries (its `--metric-labels-allowlist`).
      "kube-state-metrics.metricLabelsAllowlist",
    ];
    // Keys the chart documents only in comments under an empty map (`prometheusOperator.namespaces: {}`).
    const commented = ["prometheusOperator.namespaces.releaseNamespace", "prometheusOperator.namespaces.additional"];
    const chartText = fs.readFileSync(fixturePath("helm-values/kube-prometheus-stack-88.5.3.values.yaml"), "utf8");
    expect(chartText).toMatch(/\n  namespaces: \{\}\n    # releaseNamespace: true\n    # additional:\n/);
    expect([...missing].sort()).toEqual([...subcharts, ...commented].sort());
    // Each is a key of its sub-chart's own committed values.yaml.
    const subchartFiles: Record<string, string> = { grafana: "grafana-12.11.1", "kube-state-metrics": "kube-state-metrics-8.4.0", "prometheus-node-exporter": "prometheus-node-exporter-4.56.1" };
    for (const key of subcharts) {
      const [chartName, ...rest] = key.split(".");
      let at: unknown = parse(fs.readFileSync(fixturePath("helm-values", `${subchartFiles[chartName!]}.values.yaml`), "utf8"));
      for (const k of rest) at = at !== null && typeof at === "object" && k in at ? (at as Record<string, unknown>)[k] : undefined;
      expect([key, at !== undefined]).toEqual([key, true]);
    }
  });

  test("runs the operator, Prometheus, Alertmanager, Grafana and kube-state-metrics on the system nodes; node-exporter everywhere", () => {
    const { values } = build();
    const onDemand = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] }] }] } };
    const critical = [{ key: "CriticalAddonsOnly", operator: "Exists" }];
    const placed = [values.prometheusOperator, values.prometheus.prometheusSpec, values.alertmanager.alertmanagerSpec, values.grafana, values["kube-state-metrics"]];
    for (const at of placed) expect([at.affinity?.nodeAffinity, at.tolerations]).toEqual([onDemand, critical]);
    expect([values["prometheus-node-exporter"].affinity, values["prometheus-node-exporter"].tolerations]).toEqual([undefined, undefined]);
    const custom = build({ systemNodePlacement: { nodeLabels: { "node-role/system": "true" }, tolerations: [] } }).values;
    expect(custom.grafana.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: "node-role/system", operator: "In", values: ["true"] }]);
    expect(custom.grafana.tolerations).toEqual([]);
  });

  test("tenant namespaces: watched, and their rules and monitors confined to their namespace; the platform's keep the cluster-wide view", () => {
    const { values } = build({ operatorNamespaces: ["cert-manager"], tenantNamespaces: ["payments"] });
    const p = values.prometheus.prometheusSpec;
    expect(p.enforcedNamespaceLabel).toBe("namespace");
    const excluded = (p.excludedFromEnforcement as Array<{ group: string; resource: string; namespace: string }>).map((r) => `${r.namespace}/${r.resource}`).sort();
    const kinds = ["podmonitors", "probes", "prometheusrules", "servicemonitors"];
    expect(excluded).toEqual([...kinds.map((k) => `cert-manager/${k}`), ...kinds.map((k) => `monitoring/${k}`)]);
    expect(values.prometheusOperator.namespaces.additional).toEqual(["cert-manager", "payments"]);
  });

  test("without tenants every watched namespace keeps the cluster-wide view", () => {
    const p = build().values.prometheus.prometheusSpec;
    expect((p.excludedFromEnforcement as Array<{ namespace: string }>).map((r) => r.namespace)).toEqual(["monitoring", "monitoring", "monitoring", "monitoring"]);
  });

  const rules: Array<[string, Partial<KubePrometheusStackProps>, RegExp]> = [
    ["a tenant namespace is the release's", { tenantNamespaces: ["monitoring"] }, /tenantNamespaces\[0\]: got "monitoring"/],
    ["the system-node placement has no label", { systemNodePlacement: { nodeLabels: {} } }, /systemNodePlacement\.nodeLabels: got \{\}/],
    ["a component has a CPU limit", { grafana: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } } } }, /grafana\.resources\.limits\.cpu: got "1"; allowed: nothing: no CPU limit/],
    ["the storage class is not a name", { storageClassName: "GP 3" }, /storageClassName: got "GP 3"/],
    ["Prometheus has no replica", { prometheus: { replicas: 0 } }, /prometheus\.replicas: got 0; allowed: a whole number, at least 1/],
    ["Alertmanager has a fractional replica count", { alertmanager: { replicas: 1.5 } }, /alertmanager\.replicas: got 1\.5/],
    ["a duration is not a Prometheus duration", { prometheus: { retention: "30 days" } }, /prometheus\.retention: got "30 days"; allowed: a Prometheus duration/],
    ["a size is not a whole number of GiB", { alertmanager: { storageGiB: 0 } }, /alertmanager\.storageGiB: got 0/],
    ["retention fills the whole volume", { prometheus: { retentionSizeGiB: 10, storageGiB: 10 } }, /prometheus\.retentionSizeGiB: got 10; allowed: at most 8 \(85% of storageGiB 10/],
    ["rules are evaluated more often than samples are scraped", { prometheus: { scrapeInterval: "30s", evaluationInterval: "15s" } }, /prometheus\.evaluationInterval: got "15s"; allowed: at least scrapeInterval \(30s\)/],
    ["a resource is missing", { grafana: { resources: { requests: { cpu: "50m" }, limits: { memory: "1Gi" } } } }, /grafana\.resources\.requests\.memory: got nothing/],
    ["a resource is not a quantity", { prometheus: { resources: { requests: { cpu: "one", memory: "1Gi" }, limits: { memory: "1Gi" } } } }, /prometheus\.resources\.requests\.cpu: got "one"/],
    ["a memory request exceeds its limit", { prometheus: { resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "2Gi" } } } }, /prometheus\.resources\.requests\.memory: got "4Gi"; allowed: at most limits\.memory \(2Gi\)/],
    ["a mounted Secret name is invalid", { alertmanager: { secretNames: ["Receivers!"] } }, /alertmanager\.secretNames\[0\]: got "Receivers!"/],
    ["the Grafana admin Secret name is invalid", { grafana: { adminSecretName: "" } }, /grafana\.adminSecretName: got ""/],
    ["the configuration carries a credential inline", { alertmanager: { config: { receivers: [{ name: "s", slack_configs: [{ api_url: "https://hooks.slack.com/x" }] }] } } }, /alertmanager\.config\.receivers\[0\]\.slack_configs\[0\]\.api_url: got "\(a credential\)"; allowed: api_url_file/],
    ["a *_file points outside the mounted Secrets", { alertmanager: { secretNames: ["alertmanager-receivers"], config: { receivers: [{ name: "p", pagerduty_configs: [{ routing_key_file: "/tmp/key" }] }] } } }, /routing_key_file: got "\/tmp\/key"; allowed: a file under \/etc\/alertmanager\/secrets\/alertmanager-receivers\//],
    ["a dashboard name cannot name a ConfigMap", { grafana: { dashboards: { "Checkout SLO": "{}" } } }, /grafana\.dashboards\["Checkout SLO"\]/],
    ["node-exporter's namespace is not a namespace name", { nodeExporterNamespace: "Node Exporter" }, /nodeExporterNamespace: got "Node Exporter"; allowed: a Kubernetes namespace name/],
    ["a dashboard is not JSON", { grafana: { dashboards: { checkout: "{not json" } } }, /grafana\.dashboards\["checkout"\]: got "\(not JSON\)"/],
  ];
  test("moves node-exporter into a namespace of its own when given one, and leaves it with the release otherwise", () => {
    expect(build({ nodeExporterNamespace: "node-exporter" }).values["prometheus-node-exporter"].namespaceOverride).toBe("node-exporter");
    expect(build().values["prometheus-node-exporter"].namespaceOverride).toBeUndefined();
    // Moving it keeps its hardening (one key for both, never one replacing the other).
    expect(build({ nodeExporterNamespace: "node-exporter" }).values["prometheus-node-exporter"].containerSecurityContext).toEqual(build().values["prometheus-node-exporter"].containerSecurityContext);
  });

  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test("fails naming the construct path", () => {
    expect(() => build({ prometheus: { replicas: 0 } })).toThrow(/^test\/Monitoring: prometheus\.replicas/);
  });
});

describe("Grafana data sources", () => {
  test("none besides the chart's own by default; the Prometheus data source's uid is pinned", () => {
    const { values } = build();
    expect(values.grafana.additionalDataSources).toBeUndefined();
    expect(values.grafana.sidecar.datasources).toEqual({ uid: PROMETHEUS_DATASOURCE_UID });
  });

  test("a Tempo data source links traces to the span metrics and the service graph of the Prometheus data source by its uid", () => {
    const { values } = build({ grafana: { additionalDataSources: [tempoDataSource()] } });
    const [tempo] = values.grafana.additionalDataSources;
    expect(tempo).toMatchObject({ type: "tempo", uid: "tempo", url: "http://tempo.tempo.svc.cluster.local:3200", access: "proxy", editable: false });
    const prometheusUid = values.grafana.sidecar.datasources.uid;
    expect(tempo.jsonData.tracesToMetrics.datasourceUid).toBe(prometheusUid);
    expect(tempo.jsonData.serviceMap.datasourceUid).toBe(prometheusUid);
    // The queries read the series the collector's spanmetrics connector writes, by the trace's service.
    expect(tempo.jsonData.tracesToMetrics.tags).toEqual([{ key: "service.name", value: "service_name" }]);
    for (const q of tempo.jsonData.tracesToMetrics.queries) expect(q.query).toMatch(/traces_span_metrics_(calls_total|duration_milliseconds_bucket)\{\$__tags/);
  });
});

test("the chart's grafana sub-chart takes additionalDataSources, and kube-prometheus-stack's sidecar the datasource uid", () => {
  const kps = parse(fs.readFileSync(fixturePath("helm-values/kube-prometheus-stack-88.5.3.values.yaml"), "utf8"));
  expect(kps.grafana.additionalDataSources).toEqual([]);
  expect(kps.grafana.sidecar.datasources.uid).toBe("prometheus");
});
