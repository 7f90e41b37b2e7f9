import { podMonitor } from "../../../lib/observability/pod-monitor";
import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";

describe("podMonitor", () => {
  const minimal = podMonitor({ name: "app", namespace: "team-a", selector: { matchLabels: { app: "x" } }, podMetricsEndpoints: [{ portNumber: 9100 }] });

  test("carries the label the platform's Prometheus selects monitors by", () => {
    expect(minimal.metadata).toEqual({ name: "app", namespace: "team-a", labels: { release: "kube-prometheus-stack" } });
  });

  test("leaves out the job label when not given, so the operator's default applies", () => {
    expect(minimal.spec).toEqual({ selector: { matchLabels: { app: "x" } }, podMetricsEndpoints: [{ portNumber: 9100 }] });
    expect(Object.keys(minimal.spec)).not.toContain("jobLabel");
  });

  test("what it builds passes the PodMonitor CRD schema of the pinned operator, fields in one order", () => {
    const full = podMonitor({
      name: "app",
      namespace: "team-a",
      jobLabel: "app.kubernetes.io/name",
      selector: { matchLabels: { "app.kubernetes.io/name": "x" } },
      podMetricsEndpoints: [{ portNumber: 2020, path: "/metrics", interval: "60s", honorLabels: false }],
    });
    expect(crdSchemaProblems(minimal as never, "monitoring.coreos.com/podmonitor_v1.json")).toEqual([]);
    expect(crdSchemaProblems(full as never, "monitoring.coreos.com/podmonitor_v1.json")).toEqual([]);
    expect(Object.keys(full.spec)).toEqual(["jobLabel", "selector", "podMetricsEndpoints"]);
  });
});
