import { Testing, TerraformStack } from "cdktf";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { MeshMonitors, MeshMonitorsProps } from "../../../../constructs/addons/istio/mesh-monitors";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

function monitors(props: Partial<MeshMonitorsProps> = {}) {
  const app = Testing.app();
  const observability = new TerraformStack(app, "observability");
  const kps = new KubePrometheusStack(observability, "KubePrometheusStack", { cluster: fakeCluster(), storageClassName: "gp3" });
  const stack = new TerraformStack(app, "observability-resources");
  new MeshMonitors(stack, "MeshMonitors", { installedBy: kps, ...props });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const byKind = Object.fromEntries(Object.values(tf.resource.kubernetes_manifest as Record<string, Json>).map((r) => [r.manifest.kind, r.manifest]));
  return { stack, byKind };
}

const m = monitors();

describe("MeshMonitors", () => {
  test("a PodMonitor scrapes every injected pod's merged metrics on the agent port, one target per pod", () => {
    const pm = m.byKind.PodMonitor;
    expect(pm.metadata).toEqual({ name: "istio-sidecars", namespace: "istio-system", labels: { release: "kube-prometheus-stack" } });
    expect(pm.spec.selector).toEqual({ matchExpressions: [{ key: "security.istio.io/tlsMode", operator: "Exists" }] });
    expect(pm.spec.namespaceSelector).toEqual({ any: true });
    const [endpoint] = pm.spec.podMetricsEndpoints;
    expect(endpoint.path).toBe("/stats/prometheus");
    expect(endpoint.relabelings).toEqual([
      { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
      { action: "replace", sourceLabels: ["__meta_kubernetes_pod_ip"], regex: "(.+)", replacement: "$1:15020", targetLabel: "__address__" },
    ]);
  });

  test("the sidecar page is the pod's to write: no job from a pod label, only the mesh's series, capped in samples and labels", () => {
    const pm = m.byKind.PodMonitor;
    expect(pm.spec.jobLabel).toBeUndefined();
    expect({ sampleLimit: pm.spec.sampleLimit, labelLimit: pm.spec.labelLimit }).toEqual({ sampleLimit: 50000, labelLimit: 40 });
    const [endpoint] = pm.spec.podMetricsEndpoints;
    expect(endpoint.honorLabels).toBe(false);
    expect(endpoint.metricRelabelings).toEqual([{ action: "keep", sourceLabels: ["__name__"], regex: "istio_.*|envoy_.*" }]);
    // What the keep rule lets through, as Prometheus anchors it.
    const keep = new RegExp(`^(?:${endpoint.metricRelabelings[0].regex})$`);
    expect(["istio_requests_total", "envoy_cluster_upstream_cx_total", "up", "certmanager_certificate_expiration_timestamp_seconds", "http_requests_total"].filter((n) => keep.test(n))).toEqual([
      "istio_requests_total",
      "envoy_cluster_upstream_cx_total",
    ]);
  });

  test("a ServiceMonitor scrapes istiod's monitoring port", () => {
    const sm = m.byKind.ServiceMonitor;
    expect(sm.metadata.labels).toEqual({ release: "kube-prometheus-stack" });
    expect(sm.spec).toEqual({ selector: { matchLabels: { app: "istiod" } }, namespaceSelector: { matchNames: ["istio-system"] }, endpoints: [{ port: "http-monitoring", interval: "30s" }] });
  });

  test("deploys after the stack of kube-prometheus-stack, which installs the monitoring CRDs", () => {
    expect(m.stack.dependencies.map((d) => d.node.id)).toEqual(["observability"]);
  });

  test("the scrape interval comes from the props", () => {
    const fast = monitors({ interval: "15s" });
    expect(fast.byKind.ServiceMonitor.spec.endpoints[0].interval).toBe("15s");
    expect(fast.byKind.PodMonitor.spec.podMetricsEndpoints[0].interval).toBe("15s");
  });

  test.each([
    ["the interval is not a Prometheus duration", { interval: "soon" }, /interval: got "soon"/],
    ["the labels are empty", { labels: {} }, /labels: got \{\}; allowed: the labels the Prometheus selects monitors by/],
    ["a label value is invalid", { labels: { release: "not a value" } }, /labels\["release"\]: got "not a value"/],
  ] as Array<[string, Partial<MeshMonitorsProps>, RegExp]>)("fails when %s", (_name, props, message) => {
    expect(() => monitors(props)).toThrow(message);
  });
});
