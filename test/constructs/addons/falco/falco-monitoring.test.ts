import { Testing, TerraformStack } from "cdktf";
import { Falco, type FalcoProps } from "../../../../constructs/addons/falco/falco";
import { FalcoMonitoring } from "../../../../constructs/addons/falco/falco-monitoring";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { falcoAlertGroups } from "../../../../lib/security/falco/falco-alerts";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

function build(falcoProps: Partial<FalcoProps> = {}) {
  const app = Testing.app();
  const security = new TerraformStack(app, "security");
  const falco = new Falco(security, "Falco", { cluster: fakeCluster(), ...falcoProps });
  const observability = new TerraformStack(app, "observability");
  const monitoring = new KubePrometheusStack(observability, "Monitoring", { cluster: fakeCluster(), storageClassName: "gp3" });
  const stack = new TerraformStack(app, "observability-resources");
  new FalcoMonitoring(stack, "FalcoMonitoring", { falco, installedBy: monitoring });
  const manifests = (Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Json) as Json[]).map((m) => m.manifest);
  return { stack, manifests };
}

describe("FalcoMonitoring", () => {
  const { stack, manifests } = build();
  const podMonitor = (name: string) => manifests.find((m) => m.kind === "PodMonitor" && m.metadata.name === name);

  test("scrapes Falco (8765) and falcosidekick (2801) by port number, selected by the platform's Prometheus, job from the chart's name label", () => {
    for (const [name, port] of [["falco", 8765], ["falcosidekick", 2801]] as const) {
      expect(podMonitor(name)!.metadata).toEqual({ name, namespace: "falco", labels: { release: "kube-prometheus-stack" } });
      expect(podMonitor(name)!.spec).toEqual({
        jobLabel: "app.kubernetes.io/name",
        selector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "falco" } },
        podMetricsEndpoints: [{ portNumber: port, path: "/metrics", interval: "60s", honorLabels: false }],
      });
    }
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["observability"]);
  });

  test("the runtime-detection alerts, where the platform's Prometheus loads them", () => {
    const rule = manifests.find((m) => m.kind === "PrometheusRule")!;
    expect(rule.metadata).toEqual({ name: "falco-runtime-detection", namespace: "falco", labels: { release: "kube-prometheus-stack" } });
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(falcoAlertGroups())));
  });

  test("without falcosidekick: no sidekick monitor and no delivery alert", () => {
    const off = build({ alertForwarding: { enabled: false } }).manifests;
    expect(off.filter((m) => m.kind === "PodMonitor").map((m) => m.metadata.name)).toEqual(["falco"]);
    expect(off.find((m) => m.kind === "PrometheusRule")!.spec.groups[0].rules.map((r: Json) => r.alert)).toEqual(["FalcoDaemonSetNotFullyAvailable"]);
  });
});
