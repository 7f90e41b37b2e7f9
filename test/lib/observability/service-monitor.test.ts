import { serviceMonitor } from "../../../lib/observability/service-monitor";
import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";

describe("serviceMonitor", () => {
  const minimal = serviceMonitor({ name: "app", namespace: "team-a", selector: { matchLabels: { app: "x" } }, endpoints: [{ port: "metrics" }] });

  test("carries the label the platform's Prometheus selects monitors by, unless told otherwise", () => {
    expect(minimal.metadata).toEqual({ name: "app", namespace: "team-a", labels: { release: "kube-prometheus-stack" } });
    const own = serviceMonitor({ name: "app", namespace: "team-a", labels: { prometheus: "team" }, selector: {}, endpoints: [] });
    expect(own.metadata!.labels).toEqual({ prometheus: "team" });
  });

  test("leaves out the fields not given, so the operator's defaults apply", () => {
    expect(minimal.spec).toEqual({ selector: { matchLabels: { app: "x" } }, endpoints: [{ port: "metrics" }] });
    expect(Object.keys(minimal.spec)).not.toContain("jobLabel");
    expect(Object.keys(minimal.spec)).not.toContain("namespaceSelector");
  });

  test("what it builds passes the ServiceMonitor CRD schema of the pinned operator", () => {
    const full = serviceMonitor({
      name: "app",
      namespace: "team-a",
      jobLabel: "app.kubernetes.io/name",
      selector: { matchExpressions: [{ key: "app", operator: "In", values: ["x"] }] },
      namespaceSelector: { matchNames: ["team-a"] },
      endpoints: [{ targetPort: "http-metrics", path: "/metrics", interval: "30s" }],
    });
    expect(crdSchemaProblems(minimal as never, "monitoring.coreos.com/servicemonitor_v1.json")).toEqual([]);
    expect(crdSchemaProblems(full as never, "monitoring.coreos.com/servicemonitor_v1.json")).toEqual([]);
    expect(Object.keys(full.spec)).toEqual(["jobLabel", "selector", "namespaceSelector", "endpoints"]);
  });
});
