/**
 * The monitor scope policy on samples: a team's ServiceMonitor or PodMonitor scrapes its own namespace only and names
 * no file of the Prometheus container; the platform's namespaces keep their cluster-wide monitors.
 */
import { admissionPolicyDefinitions } from "../../../../lib/security/admission/policies";
import { evaluatePolicy } from "./support/evaluate";
import { REGISTRIES } from "./support/samples";

const def = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, platformNamespaces: ["monitoring", "istio-system"] }).find((d) => d.key === "monitorScope")!;

function serviceMonitor(spec: Record<string, unknown> = {}, endpoint: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "api", namespace: "payments", labels: { release: "kube-prometheus-stack" } },
    spec: { selector: { matchLabels: { app: "api" } }, endpoints: [{ port: "http-metrics", ...endpoint }], ...spec },
  };
}

function podMonitor(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: "worker", namespace: "payments" },
    spec: { selector: { matchLabels: { app: "worker" } }, podMetricsEndpoints: [{ port: "metrics" }], ...spec },
  };
}

const judge = (object: Record<string, unknown>, namespace = "payments") => evaluatePolicy(def, { object, namespace });

describe("monitorScope", () => {
  test("a team's monitors of its own namespace are admitted, with or without naming it, with credentials from its Secrets", () => {
    for (const object of [
      serviceMonitor(),
      serviceMonitor({ namespaceSelector: { matchNames: ["payments"] } }),
      serviceMonitor({ namespaceSelector: { any: false } }),
      serviceMonitor({}, { authorization: { credentials: { name: "api-metrics", key: "token" } }, tlsConfig: { ca: { secret: { name: "api-ca", key: "ca.crt" } } } }),
      podMonitor(),
      podMonitor({ namespaceSelector: { matchNames: ["payments"] } }),
    ]) {
      expect([object.kind, judge(object)]).toEqual([object.kind, { matched: true, allowed: true, messages: [] }]);
    }
  });

  test.each([
    ["a ServiceMonitor of every namespace", serviceMonitor({ namespaceSelector: { any: true } }), /spec.namespaceSelector may only name the monitor's own namespace/],
    ["a ServiceMonitor of another namespace", serviceMonitor({ namespaceSelector: { matchNames: ["payments", "monitoring"] } }), /spec.namespaceSelector may only name/],
    ["a PodMonitor of every namespace", podMonitor({ namespaceSelector: { any: true } }), /spec.namespaceSelector may only name/],
    ["a PodMonitor of another namespace", podMonitor({ namespaceSelector: { matchNames: ["cert-manager"] } }), /spec.namespaceSelector may only name/],
    ["Prometheus's service-account token as the bearer token", serviceMonitor({}, { bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }), /may not name files of the Prometheus container/],
    ["a key file of the Prometheus container", serviceMonitor({}, { tlsConfig: { keyFile: "/etc/prometheus/secrets/etcd/key" } }), /may not name files/],
    ["a CA file of the Prometheus container", serviceMonitor({}, { tlsConfig: { caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" } }), /may not name files/],
  ])("%s is refused in a team namespace", (_what, object, message) => {
    const r = judge(object);
    expect([r.allowed, r.messages.join("\n")]).toEqual([false, expect.stringMatching(message)]);
  });

  test("the platform's namespaces keep their cluster-wide monitors (the mesh's PodMonitor, the chart's kubelet ServiceMonitor)", () => {
    expect(judge(podMonitor({ namespaceSelector: { any: true } }), "istio-system").allowed).toBe(true);
    expect(judge(serviceMonitor({ namespaceSelector: { matchNames: ["kube-system"] } }, { bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }), "monitoring").allowed).toBe(true);
  });

  test("without platform namespaces every namespace is confined", () => {
    const strict = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES }).find((d) => d.key === "monitorScope")!;
    expect(evaluatePolicy(strict, { object: podMonitor({ namespaceSelector: { any: true } }), namespace: "monitoring" }).allowed).toBe(false);
  });
});
