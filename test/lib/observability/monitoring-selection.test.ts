import { alertmanagerServiceName, prometheusServiceName, prometheusUrl } from "../../../lib/observability/monitoring-selection";

describe("the chart's Service names", () => {
  test("Prometheus is <fullname>-prometheus on 9090, in the release's namespace", () => {
    expect(prometheusUrl()).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    expect(prometheusUrl("kps", "observability")).toBe("http://kps-prometheus.observability.svc:9090");
  });

  test("the fullname is cut to 26 characters without a trailing '-', as the chart's helper cuts it (Alertmanager alike)", () => {
    expect(prometheusServiceName("kube-prometheus-stack-long-name")).toBe("kube-prometheus-stack-long-prometheus");
    expect(prometheusServiceName("kube-prometheus-stack-lon-x")).toBe("kube-prometheus-stack-lon-prometheus");
    expect(alertmanagerServiceName("kube-prometheus-stack-lon-x")).toBe("kube-prometheus-stack-lon-alertmanager");
  });
});
