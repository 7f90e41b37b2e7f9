import { Testing, TerraformStack } from "cdktf";
import { CertManager } from "../../../../constructs/addons/cert-manager/cert-manager";
import { CertManagerMonitoring } from "../../../../constructs/addons/cert-manager/cert-manager-monitoring";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

describe("CertManagerMonitoring", () => {
  test("scrapes the controller, webhook and CA injector by their metrics port, selected by the platform's Prometheus", () => {
    const app = Testing.app();
    const security = new TerraformStack(app, "security");
    const certManager = new CertManager(security, "CertManager", { cluster: fakeCluster() });
    const observability = new TerraformStack(app, "observability");
    const monitoring = new KubePrometheusStack(observability, "Monitoring", { cluster: fakeCluster(), storageClassName: "gp3" });
    const stack = new TerraformStack(app, "observability-resources");
    new CertManagerMonitoring(stack, "CertManagerMonitoring", { certManager, installedBy: monitoring });
    const manifests = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Json) as Json[];
    const m = manifests.find((x) => x.manifest.kind === "ServiceMonitor");
    expect(m!.manifest.metadata).toEqual({ name: "cert-manager", namespace: "cert-manager", labels: { release: "kube-prometheus-stack" } });
    expect(m!.manifest.spec.selector.matchExpressions).toEqual([
      { key: "app.kubernetes.io/name", operator: "In", values: ["cert-manager", "webhook", "cainjector"] },
      { key: "app.kubernetes.io/instance", operator: "In", values: ["cert-manager"] },
      { key: "app.kubernetes.io/component", operator: "In", values: ["controller", "webhook", "cainjector"] },
    ]);
    expect(m!.manifest.spec.endpoints).toEqual([expect.objectContaining({ targetPort: "http-metrics", path: "/metrics" })]);
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["observability"]);
    // The certificate alerts, where the platform's Prometheus loads them.
    const rule = manifests.find((x) => x.manifest.kind === "PrometheusRule")!.manifest;
    expect(rule.metadata).toEqual({ name: "cert-manager-certificates", namespace: "cert-manager", labels: { release: "kube-prometheus-stack" } });
    expect(rule.spec.groups.flatMap((g: Json) => g.rules.map((r: Json) => [r.alert, r.labels.priority]))).toEqual([
      ["CertificateExpiresSoon", "P1"],
      ["CertificateRenewalOverdue", "P2"],
      ["CertificateNotReady", "P2"],
      ["CertManagerAbsent", "P2"],
    ]);
  });
});
