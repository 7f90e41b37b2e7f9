import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import type { HelmAddon } from "../../../constructs/addons/helm-addon";
import { Karpenter } from "../../../constructs/addons/karpenter/karpenter";
import { ClusterAutoscaler } from "../../../constructs/addons/cluster-autoscaler/cluster-autoscaler";
import { MetricsServer } from "../../../constructs/addons/metrics-server/metrics-server";
import { ExternalSecrets } from "../../../constructs/addons/external-secrets/external-secrets";
import { KubePrometheusStack } from "../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { KUBE_PROMETHEUS_STACK_RELEASE, NODE_EXPORTER_NAMESPACE } from "../../../lib/observability/monitoring-selection";
import { PLATFORM_IMAGES } from "../../../lib/security/admission/registries";
import { fakeCluster } from "./fake-cluster";

/**
 * The platform's own workloads as their charts build them from our values: for each pod, where its pod security
 * context, each container's security context and resources sit in the rendered values. `null` marks a setting the
 * chart or operator writes itself with no value to set (the reason says which), so the walk knows it is not missed.
 */
export interface PlatformContainer {
  readonly name: string;
  readonly image: string;
  readonly securityContext: readonly string[] | { readonly setBy: string };
  readonly resources: readonly string[];
}

export interface PlatformWorkload {
  readonly addOn: string;
  readonly kind: "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
  /** The object's name as the chart renders it from the release name. */
  readonly name: string;
  readonly namespace: string;
  readonly podSecurityContext: readonly string[];
  readonly containers: readonly PlatformContainer[];
  /** Pod fields the chart sets that the values do not show (e.g. node-exporter's host namespaces). */
  readonly chartPodFields?: Readonly<Record<string, unknown>>;
}

const image = (component: string, repo: string) => {
  const found = PLATFORM_IMAGES[component]!.find((i) => i.endsWith(`/${repo}`));
  if (!found) throw new Error(`no image ${repo} for ${component}`);
  return `${found}:v1.0.0`;
};
const KPS = KUBE_PROMETHEUS_STACK_RELEASE;
const OPERATOR_SETS = { setBy: "prometheus-operator writes the Prometheus and Alertmanager containers' contexts (read-only, no escalation, ALL dropped)" };

export const PLATFORM_WORKLOADS: readonly PlatformWorkload[] = [
  {
    addOn: "karpenter", kind: "Deployment", name: "karpenter", namespace: "kube-system", podSecurityContext: ["podSecurityContext"],
    containers: [{ name: "controller", image: image("karpenter", "controller"), securityContext: { setBy: "the karpenter chart's deployment template, fixed" }, resources: ["controller", "resources"] }],
  },
  {
    addOn: "cluster-autoscaler", kind: "Deployment", name: "cluster-autoscaler-aws-cluster-autoscaler", namespace: "kube-system", podSecurityContext: ["securityContext"],
    containers: [{ name: "aws-cluster-autoscaler", image: image("cluster-autoscaler", "cluster-autoscaler"), securityContext: ["containerSecurityContext"], resources: ["resources"] }],
  },
  {
    addOn: "metrics-server", kind: "Deployment", name: "metrics-server", namespace: "kube-system", podSecurityContext: ["podSecurityContext"],
    containers: [{ name: "metrics-server", image: image("metrics-server", "metrics-server"), securityContext: ["securityContext"], resources: ["resources"] }],
  },
  ...(["", "webhook", "certController"] as const).map((part): PlatformWorkload => {
    const at = (key: string) => (part ? [part, key] : [key]);
    const suffix = { "": "", webhook: "-webhook", certController: "-cert-controller" }[part];
    return {
      addOn: "external-secrets", kind: "Deployment", name: `external-secrets${suffix}`, namespace: "external-secrets", podSecurityContext: at("podSecurityContext"),
      containers: [{ name: part || "external-secrets", image: image("external-secrets", "external-secrets"), securityContext: at("securityContext"), resources: at("resources") }],
    };
  }),
  {
    addOn: "kube-prometheus-stack", kind: "Deployment", name: `${KPS}-operator`, namespace: "monitoring", podSecurityContext: ["prometheusOperator", "securityContext"],
    containers: [{ name: "kube-prometheus-stack", image: image("kube-prometheus-stack", "prometheus-operator"), securityContext: ["prometheusOperator", "containerSecurityContext"], resources: ["prometheusOperator", "resources"] }],
  },
  ...(["createSecretJob", "patchWebhookJob"] as const).map((job): PlatformWorkload => ({
    addOn: "kube-prometheus-stack", kind: "Job", name: `${KPS}-admission-${job === "createSecretJob" ? "create" : "patch"}`, namespace: "monitoring",
    podSecurityContext: ["prometheusOperator", "admissionWebhooks", "patch", "securityContext"],
    containers: [{ name: job, image: image("kube-prometheus-stack", "kube-webhook-certgen"), securityContext: ["prometheusOperator", "admissionWebhooks", job, "securityContext"], resources: ["prometheusOperator", "admissionWebhooks", "patch", "resources"] }],
    chartPodFields: { restartPolicy: "OnFailure" },
  })),
  ...(["prometheus", "alertmanager"] as const).map((component): PlatformWorkload => {
    const spec = component === "prometheus" ? ["prometheus", "prometheusSpec"] : ["alertmanager", "alertmanagerSpec"];
    return {
      addOn: "kube-prometheus-stack", kind: "StatefulSet", name: `${component}-${KPS}-${component}`, namespace: "monitoring", podSecurityContext: [...spec, "securityContext"],
      containers: [
        { name: component, image: image("kube-prometheus-stack", component), securityContext: OPERATOR_SETS, resources: [...spec, "resources"] },
        { name: "config-reloader", image: image("kube-prometheus-stack", "prometheus-config-reloader"), securityContext: OPERATOR_SETS, resources: ["prometheusOperator", "prometheusConfigReloader", "resources"] },
      ],
    };
  }),
  {
    addOn: "kube-prometheus-stack", kind: "Deployment", name: `${KPS}-grafana`, namespace: "monitoring", podSecurityContext: ["grafana", "securityContext"],
    containers: [
      { name: "grafana", image: image("kube-prometheus-stack", "grafana"), securityContext: ["grafana", "containerSecurityContext"], resources: ["grafana", "resources"] },
      { name: "grafana-sc-dashboard", image: image("kube-prometheus-stack", "k8s-sidecar"), securityContext: ["grafana", "sidecar", "securityContext"], resources: ["grafana", "sidecar", "resources"] },
    ],
  },
  {
    addOn: "kube-prometheus-stack", kind: "Deployment", name: `${KPS}-kube-state-metrics`, namespace: "monitoring", podSecurityContext: ["kube-state-metrics", "securityContext"],
    containers: [{ name: "kube-state-metrics", image: image("kube-prometheus-stack", "kube-state-metrics"), securityContext: ["kube-state-metrics", "containerSecurityContext"], resources: ["kube-state-metrics", "resources"] }],
  },
  {
    addOn: "kube-prometheus-stack", kind: "DaemonSet", name: `${KPS}-prometheus-node-exporter`, namespace: NODE_EXPORTER_NAMESPACE, podSecurityContext: ["prometheus-node-exporter", "securityContext"],
    containers: [{ name: "node-exporter", image: image("kube-prometheus-stack", "node-exporter"), securityContext: ["prometheus-node-exporter", "containerSecurityContext"], resources: ["prometheus-node-exporter", "resources"] }],
    // The chart's DaemonSet shares the node's network and PID namespaces (its config exemption says why).
    chartPodFields: { hostNetwork: true, hostPID: true },
  },
];

/** Each add-on built with its defaults, and its values as rendered into the release. */
export function renderedValues(): Record<string, Record<string, unknown>> {
  const stack = new TerraformStack(Testing.app(), "hardening");
  const cluster = fakeCluster();
  const addons: Record<string, { addon: HelmAddon }> = {
    karpenter: new Karpenter(stack, "Karpenter", { cluster, nodeRoleArn: "arn:aws:iam::111122223333:role/nodes" }),
    "cluster-autoscaler": new ClusterAutoscaler(stack, "ClusterAutoscaler", { cluster }),
    "metrics-server": new MetricsServer(stack, "MetricsServer", { cluster }),
    "external-secrets": new ExternalSecrets(stack, "ExternalSecrets", { cluster, secretsManagerPrefix: "sre-platform/test" }),
    "kube-prometheus-stack": new KubePrometheusStack(stack, "KubePrometheusStack", { cluster, storageClassName: "gp3", nodeExporterNamespace: NODE_EXPORTER_NAMESPACE }),
  };
  return Object.fromEntries(Object.entries(addons).map(([name, a]) => [name, parse(a.addon.valuesYaml) as Record<string, unknown>]));
}

export function valueAt(values: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);
}

/** Paths of every key named like a security context anywhere in a values document. */
export function securityContextPaths(values: unknown, at: readonly string[] = []): string[][] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => (/securitycontext$/i.test(k) ? [[...at, k]] : securityContextPaths(v, [...at, k])));
}
