/**
 * What each chart really renders: every add-on's values are merged over the chart's own default values.yaml (committed
 * in test/fixtures/helm-values, see SOURCES.md there) the way Helm merges them, and the result is read at the keys of
 * every container the add-on runs. A chart default the add-on does not override survives Helm's deep merge, so this is
 * where a chart's CPU limit or a weaker security context would show.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import type { HelmAddon } from "../../../constructs/addons/helm-addon";
import { Karpenter } from "../../../constructs/addons/karpenter/karpenter";
import { ClusterAutoscaler } from "../../../constructs/addons/cluster-autoscaler/cluster-autoscaler";
import { MetricsServer } from "../../../constructs/addons/metrics-server/metrics-server";
import { ExternalSecrets } from "../../../constructs/addons/external-secrets/external-secrets";
import { KubePrometheusStack } from "../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { CertManager } from "../../../constructs/addons/cert-manager/cert-manager";
import { AwsPrivateCaIssuer } from "../../../constructs/addons/cert-manager/aws-privateca-issuer";
import { Falco } from "../../../constructs/addons/falco/falco";
import { IstioMesh } from "../../../constructs/addons/istio/istio-mesh";
import { Litmus } from "../../../constructs/addons/litmus/litmus";
import { ArgoCd } from "../../../constructs/addons/argo-cd/argo-cd";
import { ArgoRollouts } from "../../../constructs/addons/argo-rollouts/argo-rollouts";
import { FluentBit } from "../../../constructs/addons/fluent-bit/fluent-bit";
import { Tempo } from "../../../constructs/addons/tempo/tempo";
import { OpenTelemetryCollector } from "../../../constructs/addons/opentelemetry-collector/opentelemetry-collector";
import { Velero } from "../../../constructs/addons/velero/velero";
import { missingContainerHardening, missingPodHardening } from "../../../lib/kubernetes/security-context";
import { fakeCluster } from "./fake-cluster";
import { helmCoalesce, istioTemplateValues, subchartValues } from "./support/helm-merge";
import { valueAt } from "./platform-workloads";

type Values = Record<string, unknown>;

const FIXTURES = path.join(__dirname, "../../fixtures/helm-values");
const chartDefaults = (file: string) => parse(fs.readFileSync(path.join(FIXTURES, `${file}.values.yaml`), "utf8")) as Values;

/** One add-on's release: the chart's defaults it merges over, and how its templates then see the values. */
interface Release {
  readonly addon: HelmAddon;
  readonly defaults: string;
  /** Sub-charts by the parent's key, with their own defaults. @default {} */
  readonly subcharts?: Readonly<Record<string, string>>;
  /** Istio's charts merge once more in their templates. */
  readonly istio?: boolean;
}

/** Where a container's resources and contexts sit in the merged values (a sub-chart's paths start with its key). */
interface Container {
  readonly release: string;
  readonly name: string;
  readonly resources: readonly string[];
  /** Pod security context. @default - not checked (set by the chart or operator, or a privileged agent by design) */
  readonly pod?: readonly string[];
  /** Container security context. @default - not checked (as above) */
  readonly container?: readonly string[];
}

function releases(): Record<string, Release> {
  const stack = new TerraformStack(Testing.app(), "chart-defaults");
  const cluster = fakeCluster();
  const certManager = new CertManager(stack, "CertManager", { cluster });
  const istio = new IstioMesh(stack, "IstioMesh", { cluster });
  return {
    karpenter: { addon: new Karpenter(stack, "Karpenter", { cluster, nodeRoleArn: "arn:aws:iam::111122223333:role/nodes" }).addon, defaults: "karpenter-1.14.1" },
    "cluster-autoscaler": { addon: new ClusterAutoscaler(stack, "ClusterAutoscaler", { cluster }).addon, defaults: "cluster-autoscaler-9.59.0" },
    "metrics-server": { addon: new MetricsServer(stack, "MetricsServer", { cluster }).addon, defaults: "metrics-server-3.13.1" },
    "external-secrets": { addon: new ExternalSecrets(stack, "ExternalSecrets", { cluster, secretsManagerPrefix: "sre-platform/test" }).addon, defaults: "external-secrets-2.6.0" },
    "cert-manager": { addon: certManager.addon, defaults: "cert-manager-v1.21.1" },
    "aws-privateca-issuer": {
      addon: new AwsPrivateCaIssuer(stack, "AwsPrivateCaIssuer", { cluster, certManager, certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0b7c2a5e-1f3d-4c8e-9a6b-2d4f6e8a0c1e" }).addon,
      defaults: "aws-privateca-issuer-v1.9.0",
    },
    falco: { addon: new Falco(stack, "Falco", { cluster }).addon, defaults: "falco-9.1.0", subcharts: { falcosidekick: "falcosidekick-0.12.1" } },
    istiod: { addon: istio.istiod, defaults: "istiod-1.30.3", istio: true },
    "istio-cni": { addon: istio.cni, defaults: "istio-cni-1.30.3", istio: true },
    "istio-gateway": { addon: istio.gateway, defaults: "istio-gateway-1.30.3", istio: true },
    litmus: { addon: new Litmus(stack, "Litmus", { cluster }).addon, defaults: "litmus-core-3.29.0" },
    // Both Redis variants carry their values; HA on, so redis-ha's defaults are the ones merged under.
    "argo-cd": { addon: new ArgoCd(stack, "ArgoCd", { cluster, redis: { ha: true } }).addon, defaults: "argo-cd-10.1.1", subcharts: { "redis-ha": "redis-ha-4.38.0" } },
    "argo-rollouts": { addon: new ArgoRollouts(stack, "ArgoRollouts", { cluster }).addon, defaults: "argo-rollouts-2.41.0" },
    "fluent-bit": { addon: new FluentBit(stack, "FluentBit", { cluster }).addon, defaults: "fluent-bit-0.58.1" },
    tempo: {
      addon: new Tempo(stack, "Tempo", { cluster, region: "eu-west-1", bucket: { bucketName: "traces", bucketArn: "arn:aws:s3:::traces", keyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b7c2a5e-1f3d-4c8e-9a6b-2d4f6e8a0c1e" } }).addon,
      defaults: "tempo-2.2.4",
    },
    "opentelemetry-collector": { addon: new OpenTelemetryCollector(stack, "OpenTelemetryCollector", { cluster, tempoEndpoint: "tempo.tempo.svc.cluster.local:4317" }).addon, defaults: "opentelemetry-collector-0.170.0" },
    velero: {
      addon: new Velero(stack, "Velero", {
        cluster,
        storage: { bucketName: "backups", bucketArn: "arn:aws:s3:::backups", bucketKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1", volumeKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/2" },
        schedules: { nightly: { cron: "0 2 * * *", retentionDays: 7 } },
      }).addon,
      defaults: "velero-12.1.0",
    },
    "kube-prometheus-stack": {
      addon: new KubePrometheusStack(stack, "KubePrometheusStack", { cluster, storageClassName: "gp3" }).addon,
      defaults: "kube-prometheus-stack-88.5.3",
      subcharts: { grafana: "grafana-12.11.1", "kube-state-metrics": "kube-state-metrics-8.4.0", "prometheus-node-exporter": "prometheus-node-exporter-4.56.1" },
    },
  };
}

/** The values each chart's templates see: the add-on's rendered YAML merged over the chart's (and sub-charts') defaults. */
function merged(r: Release): Values {
  const coalesced = helmCoalesce(parse(r.addon.valuesYaml) as Values, chartDefaults(r.defaults));
  const values = r.istio ? istioTemplateValues(coalesced) : coalesced;
  for (const [key, file] of Object.entries(r.subcharts ?? {})) values[key] = subchartValues(values[key], chartDefaults(file));
  return values;
}

const OWN = (release: string, name: string, root: readonly string[], pod = "podSecurityContext", container = "securityContext"): Container => ({
  release, name, resources: [...root, "resources"], pod: [...root, pod], container: [...root, container],
});

export const CONTAINERS: readonly Container[] = [
  // The chart writes the controller container's context itself (fixed in its template).
  { release: "karpenter", name: "controller", resources: ["controller", "resources"], pod: ["podSecurityContext"] },
  OWN("cluster-autoscaler", "aws-cluster-autoscaler", [], "securityContext", "containerSecurityContext"),
  OWN("metrics-server", "metrics-server", []),
  OWN("external-secrets", "external-secrets", []),
  OWN("external-secrets", "webhook", ["webhook"]),
  OWN("external-secrets", "cert-controller", ["certController"]),
  OWN("cert-manager", "controller", [], "securityContext", "containerSecurityContext"),
  OWN("cert-manager", "webhook", ["webhook"], "securityContext", "containerSecurityContext"),
  OWN("cert-manager", "cainjector", ["cainjector"], "securityContext", "containerSecurityContext"),
  OWN("cert-manager", "startupapicheck", ["startupapicheck"], "securityContext", "containerSecurityContext"),
  OWN("aws-privateca-issuer", "aws-privateca-issuer", []),
  // Falco itself runs as root with the eBPF capabilities, by design; its installer drops what it can (falco.test.ts).
  { release: "falco", name: "falco", resources: ["resources"] },
  { release: "falco", name: "falcoctl-artifact-install", resources: ["falcoctl", "artifact", "install", "resources"] },
  OWN("falco", "falcosidekick", ["falcosidekick"]),
  // istiod and the CNI agent take their contexts from the chart's templates (the agent is privileged by design).
  { release: "istiod", name: "discovery", resources: ["resources"] },
  { release: "istio-cni", name: "install-cni", resources: ["resources"] },
  OWN("istio-gateway", "istio-proxy", [], "securityContext", "containerSecurityContext"),
  // The chart's operator Deployment takes no security context at all (its namespace is Pod Security baseline).
  { release: "litmus", name: "chaos-operator", resources: ["resources"] },
  // Argo CD's own components take the pod context from `global.securityContext`.
  ...(["controller", "server", "repoServer", "applicationSet"] as const).map((key): Container => ({
    release: "argo-cd", name: key, resources: [key, "resources"], pod: ["global", "securityContext"], container: [key, "containerSecurityContext"],
  })),
  { release: "argo-cd", name: "copyutil", resources: ["repoServer", "copyutil", "resources"], pod: ["global", "securityContext"], container: ["repoServer", "containerSecurityContext"] },
  OWN("argo-cd", "secret-init", ["redisSecretInit"], "securityContext", "containerSecurityContext"),
  OWN("argo-cd", "redis", ["redis"], "securityContext", "containerSecurityContext"),
  ...(["redis", "sentinel", "splitBrainDetection", "init"] as const).map((key): Container => ({
    release: "argo-cd", name: `redis-ha ${key}`, resources: ["redis-ha", key, "resources"], pod: ["redis-ha", "securityContext"], container: ["redis-ha", "containerSecurityContext"],
  })),
  { release: "argo-cd", name: "redis-ha haproxy", resources: ["redis-ha", "haproxy", "resources"], pod: ["redis-ha", "haproxy", "securityContext"], container: ["redis-ha", "haproxy", "containerSecurityContext"] },
  { release: "argo-cd", name: "redis-ha haproxy init", resources: ["redis-ha", "haproxy", "init", "resources"], pod: ["redis-ha", "haproxy", "securityContext"], container: ["redis-ha", "haproxy", "containerSecurityContext"] },
  // The chart's pod and container contexts are top-level values shared by the controller and the (disabled) dashboard.
  { release: "argo-rollouts", name: "argo-rollouts", resources: ["controller", "resources"], pod: ["podSecurityContext"], container: ["containerSecurityContext"] },
  // Fluent Bit runs as root (uid 0, every capability dropped) to read the root-owned log files: fluent-bit.test.ts.
  { release: "fluent-bit", name: "fluent-bit", resources: ["resources"] },
  OWN("velero", "velero", [], "podSecurityContext", "containerSecurityContext"),
  // The AWS plugin's init container: the chart takes the list as written, so its context and resources are ours whole.
  { release: "velero", name: "velero-plugin-for-aws", resources: ["initContainers", "0", "resources"], pod: ["podSecurityContext"], container: ["initContainers", "0", "securityContext"] },
  OWN("kube-prometheus-stack", "prometheus-operator", ["prometheusOperator"], "securityContext", "containerSecurityContext"),
  { release: "kube-prometheus-stack", name: "config-reloader", resources: ["prometheusOperator", "prometheusConfigReloader", "resources"] },
  { release: "kube-prometheus-stack", name: "admission-webhook-patch", resources: ["prometheusOperator", "admissionWebhooks", "patch", "resources"], pod: ["prometheusOperator", "admissionWebhooks", "patch", "securityContext"] },
  // The operator writes the Prometheus and Alertmanager containers' contexts; the pods' are ours.
  { release: "kube-prometheus-stack", name: "prometheus", resources: ["prometheus", "prometheusSpec", "resources"], pod: ["prometheus", "prometheusSpec", "securityContext"] },
  { release: "kube-prometheus-stack", name: "alertmanager", resources: ["alertmanager", "alertmanagerSpec", "resources"], pod: ["alertmanager", "alertmanagerSpec", "securityContext"] },
  OWN("kube-prometheus-stack", "grafana", ["grafana"], "securityContext", "containerSecurityContext"),
  { release: "kube-prometheus-stack", name: "grafana-sc-dashboard", resources: ["grafana", "sidecar", "resources"], container: ["grafana", "sidecar", "securityContext"], pod: ["grafana", "securityContext"] },
  OWN("kube-prometheus-stack", "kube-state-metrics", ["kube-state-metrics"], "securityContext", "containerSecurityContext"),
  OWN("kube-prometheus-stack", "node-exporter", ["prometheus-node-exporter"], "securityContext", "containerSecurityContext"),
  // The chart's pod context is the top-level `securityContext`, the container's `tempo.securityContext`.
  { release: "tempo", name: "tempo", resources: ["tempo", "resources"], pod: ["securityContext"], container: ["tempo", "securityContext"] },
  OWN("opentelemetry-collector", "opentelemetry-collector", []),
];

const RELEASES = releases();
const MERGED = Object.fromEntries(Object.entries(RELEASES).map(([name, r]) => [name, merged(r)]));

test("every release is covered by at least one container", () => {
  expect(Object.keys(RELEASES).filter((name) => !CONTAINERS.some((c) => c.release === name))).toEqual([]);
});

describe.each(CONTAINERS.map((c) => [`${c.release} ${c.name}`, c] as const))("%s, over the chart's defaults", (_n, c) => {
  const values = MERGED[c.release]!;

  test("requests CPU and memory, limits memory, and has no CPU limit", () => {
    const r = valueAt(values, c.resources) as { requests?: Values; limits?: Values } | undefined;
    const quantity = (v: unknown) => typeof v === "string" && v.length > 0;
    expect({ requestsCpu: quantity(r?.requests?.cpu), requestsMemory: quantity(r?.requests?.memory), limitsMemory: quantity(r?.limits?.memory) }).toEqual({
      requestsCpu: true, requestsMemory: true, limitsMemory: true,
    });
    // A `cpu: null` left in the values still reaches the manifest (the API server reads it as a limit of 0).
    expect(Object.keys(r?.limits ?? {})).not.toContain("cpu");
  });

  if (c.pod) {
    test("its pod runs with the hardened pod context", () => {
      expect(missingPodHardening(valueAt(values, c.pod!))).toEqual([]);
    });
  }
  if (c.container) {
    test("runs with the hardened container context", () => {
      expect(missingContainerHardening(valueAt(values, c.container!), c.pod ? valueAt(values, c.pod) : {})).toEqual([]);
    });
  }
});

test("the chart defaults are the charts' own: the four CPU limits the platform removes are in them", () => {
  expect(valueAt(chartDefaults("falco-9.1.0"), ["resources", "limits", "cpu"])).toBe("1000m");
  expect(valueAt(chartDefaults("istio-gateway-1.30.3"), ["_internal_defaults_do_not_set", "resources", "limits", "cpu"])).toBe("2000m");
  expect(valueAt(chartDefaults("aws-privateca-issuer-v1.9.0"), ["resources", "limits", "cpu"])).toBe("50m");
  expect(valueAt(chartDefaults("litmus-core-3.29.0"), ["resources", "limits", "cpu"])).toBe("100m");
});
