/**
 * The mesh bypass policy on samples: in a namespace labelled `istio-injection=enabled`, a pod that turns its sidecar
 * off or takes traffic out of its capture is refused, as a pod and as a workload's template; elsewhere it is not
 * judged, and a named workload exemption lets exactly that workload through.
 */
import { admissionPolicyDefinitions } from "../../../../lib/security/admission/policies";
import { evaluatePolicy } from "./support/evaluate";
import { goodPodSpec, pod, REGISTRIES, workload } from "./support/samples";

const def = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES }).find((d) => d.key === "meshBypass")!;
const MESHED = { "istio-injection": "enabled" };

/** A Pod and a Deployment, a StatefulSet and a CronJob whose templates carry these annotations and labels. */
function objects(annotations: Record<string, string> = {}, labels: Record<string, string> = {}): Record<string, unknown>[] {
  const withMeta = (o: Record<string, any>) => {
    const template = o.kind === "CronJob" ? o.spec.jobTemplate.spec.template : o.spec.template;
    template.metadata = { ...template.metadata, annotations, labels: { ...template.metadata.labels, ...labels } };
    return o;
  };
  return [
    pod(goodPodSpec(), { name: "app", annotations, labels }),
    withMeta(workload("Deployment", goodPodSpec())),
    withMeta(workload("StatefulSet", goodPodSpec())),
    withMeta(workload("CronJob", goodPodSpec({ restartPolicy: "OnFailure" }))),
  ];
}

const judge = (object: Record<string, unknown>, namespaceLabels: Record<string, string> = MESHED, d = def) => evaluatePolicy(d, { object, namespace: "payments", namespaceLabels });

describe("meshBypass", () => {
  test("a pod that stays in the mesh is admitted, with or without saying so", () => {
    for (const object of [...objects(), ...objects({ "sidecar.istio.io/inject": "true" }), ...objects({}, { "sidecar.istio.io/inject": "true" }), ...objects({ "prometheus.io/scrape": "true" })]) {
      expect(judge(object)).toEqual({ matched: true, allowed: true, messages: [] });
    }
  });

  test.each([
    ["the inject annotation false", { "sidecar.istio.io/inject": "false" }, {}, /sidecar.istio.io\/inject may only be true/],
    ["the inject annotation no", { "sidecar.istio.io/inject": "no" }, {}, /sidecar.istio.io\/inject may only be true/],
    ["the inject label false", {}, { "sidecar.istio.io/inject": "false" }, /sidecar.istio.io\/inject may only be true/],
    ["excludeInboundPorts", { "traffic.sidecar.istio.io/excludeInboundPorts": "8080" }, {}, /annotation traffic.sidecar.istio.io\/excludeInboundPorts/],
    ["excludeOutboundPorts", { "traffic.sidecar.istio.io/excludeOutboundPorts": "5432" }, {}, /annotation traffic.sidecar.istio.io\/excludeOutboundPorts/],
    ["excludeOutboundIPRanges", { "traffic.sidecar.istio.io/excludeOutboundIPRanges": "0.0.0.0/0" }, {}, /annotation traffic.sidecar.istio.io\/excludeOutboundIPRanges/],
    ["excludeInterfaces", { "traffic.sidecar.istio.io/excludeInterfaces": "eth0" }, {}, /annotation traffic.sidecar.istio.io\/excludeInterfaces/],
    ["includeInboundPorts narrowed to one port", { "traffic.sidecar.istio.io/includeInboundPorts": "8080" }, {}, /annotation traffic.sidecar.istio.io\/includeInboundPorts/],
    ["includeInboundPorts empty (Istio then captures no inbound port)", { "traffic.sidecar.istio.io/includeInboundPorts": "" }, {}, /annotation traffic.sidecar.istio.io\/includeInboundPorts/],
    ["includeOutboundIPRanges empty (Istio then captures no outbound address)", { "traffic.sidecar.istio.io/includeOutboundIPRanges": "" }, {}, /annotation traffic.sidecar.istio.io\/includeOutboundIPRanges/],
    ["includeInboundPorts emptied by a blank", { "traffic.sidecar.istio.io/includeInboundPorts": " " }, {}, /annotation traffic.sidecar.istio.io\/includeInboundPorts/],
    ["includeOutboundIPRanges narrowed to one address", { "traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.1/32" }, {}, /annotation traffic.sidecar.istio.io\/includeOutboundIPRanges/],
    ["includeOutboundPorts", { "traffic.sidecar.istio.io/includeOutboundPorts": "5432" }, {}, /annotation traffic.sidecar.istio.io\/includeOutboundPorts/],
    ["includeInterfaces", { "traffic.sidecar.istio.io/includeInterfaces": "eth1" }, {}, /annotation traffic.sidecar.istio.io\/includeInterfaces/],
  ])("%s is refused in a meshed namespace, and not judged in one out of the mesh", (_what, annotations, labels, message) => {
    for (const object of objects(annotations, labels)) {
      const r = judge(object);
      expect([object.kind, r.allowed, r.messages.join("\n")]).toEqual([object.kind, false, expect.stringMatching(message)]);
      expect(judge(object, { "istio-injection": "disabled" }).allowed).toBe(true);
      expect(judge(object, {}).allowed).toBe(true);
    }
  });

  test("an inclusion annotation that captures everything, as the default does, is admitted", () => {
    for (const key of ["includeInboundPorts", "includeOutboundIPRanges"]) {
      for (const object of objects({ [`traffic.sidecar.istio.io/${key}`]: "*" })) expect([key, object.kind, judge(object).allowed]).toEqual([key, object.kind, true]);
    }
  });

  test("an exclusion annotation with an empty value excludes nothing and is admitted", () => {
    expect(judge(pod(goodPodSpec(), { name: "app", annotations: { "traffic.sidecar.istio.io/excludeOutboundPorts": "" } })).allowed).toBe(true);
  });

  test("a named workload exemption lets exactly that workload through", () => {
    const exempt = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, exemptWorkloads: [{ namespace: "payments", kind: "StatefulSet", name: "app", policies: ["meshBypass"] }] }).find((d) => d.key === "meshBypass")!;
    const [, deployment, statefulSet] = objects({ "sidecar.istio.io/inject": "false" });
    expect(judge(statefulSet!, MESHED, exempt).allowed).toBe(true);
    expect(judge(deployment!, MESHED, exempt).allowed).toBe(false);
  });
});
