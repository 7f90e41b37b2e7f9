import { Testing, TerraformStack } from "cdktf";
import { FluentBit } from "../../../../constructs/addons/fluent-bit/fluent-bit";
import { FluentBitMonitoring } from "../../../../constructs/addons/fluent-bit/fluent-bit-monitoring";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { fluentBitAlertGroups } from "../../../../lib/observability/logs/fluent-bit-alerts";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

describe("FluentBitMonitoring", () => {
  const app = Testing.app();
  const observability = new TerraformStack(app, "observability");
  const fluentBit = new FluentBit(observability, "FluentBit", { cluster: fakeCluster(), region: "eu-west-1" });
  const monitoring = new KubePrometheusStack(observability, "Monitoring", { cluster: fakeCluster(), storageClassName: "gp3" });
  const stack = new TerraformStack(app, "observability-resources");
  new FluentBitMonitoring(stack, "FluentBitMonitoring", { fluentBit, installedBy: monitoring, interval: "30s" });
  const manifests = (Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Json) as Json[]).map((m) => m.manifest);

  test("scrapes every Fluent Bit pod on its HTTP server's port, selected by the platform's Prometheus, job from the chart's name label", () => {
    const monitor = manifests.find((m) => m.kind === "PodMonitor")!;
    expect(monitor.metadata).toEqual({ name: "fluent-bit", namespace: "logging", labels: { release: "kube-prometheus-stack" } });
    expect(monitor.spec).toEqual({
      jobLabel: "app.kubernetes.io/name",
      selector: { matchLabels: { "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": "fluent-bit" } },
      podMetricsEndpoints: [{ portNumber: 2020, path: "/api/v1/metrics/prometheus", interval: "30s", honorLabels: false }],
    });
    // The HTTP server the pipeline turns on listens where the monitor scrapes.
    expect(fluentBit.addon.values.metricsPort).toBe(2020);
    expect(String((fluentBit.addon.values.config as Json).service)).toMatch(/HTTP_Port\s+2020/);
  });

  test("the log-shipping alerts, in the logging namespace, after the monitoring CRDs", () => {
    const rule = manifests.find((m) => m.kind === "PrometheusRule")!;
    expect(rule.metadata).toEqual({ name: "fluent-bit-log-shipping", namespace: "logging", labels: { release: "kube-prometheus-stack" } });
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(fluentBitAlertGroups())));
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["observability"]);
  });
});
