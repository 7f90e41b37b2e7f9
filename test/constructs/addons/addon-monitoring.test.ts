import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { addonAlerts, addonPodMonitor, addonServiceMonitor, metricsPortEndpoint } from "../../../constructs/addons/addon-monitoring";
import { KubePrometheusStack } from "../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { ClusterAccess } from "../../../constructs/cluster/cluster-access";
import { fakeCluster } from "./fake-cluster";

type Json = Record<string, any>;

describe("add-on monitoring helpers", () => {
  const app = Testing.app();
  const observability = new TerraformStack(app, "observability");
  const installedBy = new KubePrometheusStack(observability, "Monitoring", { cluster: fakeCluster(), storageClassName: "gp3" });
  const stack = new TerraformStack(app, "observability-resources");
  const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), alias: "observed" });
  const scope = new Construct(stack, "AppMonitoring");
  const props = { installedBy, access };
  addonServiceMonitor(scope, props, { name: "app", namespace: "team-a", selector: { matchLabels: { app: "x" } }, endpoints: [metricsPortEndpoint("http-metrics", "30s")] });
  addonPodMonitor(scope, "WorkerPodMonitor", props, { name: "worker", namespace: "team-a", selector: { matchLabels: { app: "w" } }, podMetricsEndpoints: [{ portNumber: 9100 }] });
  addonAlerts(scope, props, "app-alerts", "team-a", [{ name: "app", rules: [{ alert: "AppDown", expr: "up == 0", for: "5m", labels: { severity: "P2" }, annotations: { summary: "down" } }] }]);
  const synthesized = JSON.parse(Testing.synth(stack));
  const entries = Object.entries(synthesized.resource.kubernetes_manifest as Json) as Array<[string, Json]>;
  const resources = entries.map(([, r]) => r);
  // Testing.synth names a resource by its construct path: `<path joined by _>_<hash>`.
  const byPath = (path: string) => entries.find(([key]) => key.startsWith(`AppMonitoring_${path}_Manifest_`))![1];

  test("each object keeps its fixed id (its Terraform address): ServiceMonitor, the PodMonitor's own, PrometheusRule", () => {
    expect(byPath("ServiceMonitor").manifest.kind).toBe("ServiceMonitor");
    expect(byPath("WorkerPodMonitor").manifest.kind).toBe("PodMonitor");
    expect(byPath("PrometheusRule").manifest.kind).toBe("PrometheusRule");
    expect(resources).toHaveLength(3);
  });

  test("applies every object through the construct's access, after the stack that installs the CRDs", () => {
    for (const r of resources) expect(r.provider).toBe("kubernetes.observed");
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["observability"]);
  });

  test("a /metrics port endpoint scrapes the named port with a 10 s timeout, the target's labels winning", () => {
    expect(byPath("ServiceMonitor").manifest.spec.endpoints).toEqual([{ port: "http-metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s", honorLabels: false }]);
  });

  test("every object carries the label the platform's Prometheus selects by", () => {
    for (const r of resources) expect(r.manifest.metadata.labels).toEqual({ release: "kube-prometheus-stack" });
  });
});
