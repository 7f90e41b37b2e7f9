/**
 * Pods that step out of the mesh, as the synthesized environments stand: in every namespace the baseline puts in the
 * mesh (with the labels it synthesizes), a team pod that turns its sidecar off or excludes traffic from it is
 * refused by the applied policy; in a namespace out of the mesh it is not judged.
 */
import { ENVIRONMENTS } from "../../environments";
import { ADMISSION_POLICY_NAMES, type AdmissionPolicyDefinition } from "../../lib/security/admission/policies";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { evaluatePolicy } from "../lib/security/admission/support/evaluate";
import { goodPodSpec, workload } from "../lib/security/admission/support/samples";

type Json = Record<string, any>;

function resources(env: string, type: string): Json[] {
  return Object.keys(synthesizedManifest().stacks)
    .filter((s) => s.startsWith(`${env}-`))
    .flatMap((stack) => Object.values<Json>(synthesizedStack(stack).resource?.[type] ?? {}));
}

function bypassing(annotations: Record<string, string>): Record<string, unknown> {
  const d = workload("Deployment", goodPodSpec()) as Json;
  d.spec.template.metadata.annotations = annotations;
  return d;
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s mesh bypass", (name, env) => {
  const namespaces = resources(name, "kubernetes_namespace_v1").map((n) => ({ name: n.metadata.name as string, labels: n.metadata.labels as Record<string, string> }));
  const manifests = resources(name, "kubernetes_manifest").map((r) => r.manifest);
  const policy = manifests.find((m) => m.kind === "ValidatingAdmissionPolicy" && m.metadata.name === ADMISSION_POLICY_NAMES.meshBypass);
  const binding = manifests.find((m) => m.kind === "ValidatingAdmissionPolicyBinding" && m.metadata.name === ADMISSION_POLICY_NAMES.meshBypass);
  const applied = (): AdmissionPolicyDefinition => ({ key: "meshBypass", name: policy.metadata.name, description: "", ...policy.spec, resourceRules: policy.spec.matchConstraints.resourceRules });
  const teamNamespaces = env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));

  test("applied and bound in the environment's mode", () => {
    expect(binding.spec.policyName).toBe(ADMISSION_POLICY_NAMES.meshBypass);
    expect(binding.spec.validationActions).toEqual(env.security.admission.mode === "enforce" ? ["Deny"] : ["Audit", "Warn"]);
  });

  test("every team namespace is in the mesh, and there a Deployment turning its sidecar off, excluding traffic or narrowing the capture is refused", () => {
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const team of teamNamespaces) {
      const ns = namespaces.find((n) => n.name === team)!;
      const judge = (a: Record<string, string>) => evaluatePolicy(applied(), { object: bypassing(a), namespace: ns.name, namespaceLabels: ns.labels }).allowed;
      expect([team, judge({ "sidecar.istio.io/inject": "false" }), judge({ "traffic.sidecar.istio.io/excludeOutboundIPRanges": "10.0.0.0/8" }),
        judge({ "traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.1/32" }), judge({ "traffic.sidecar.istio.io/includeInboundPorts": "" }), judge({})]).toEqual([team, false, false, false, false, true]);
    }
  });

  test("in a namespace out of the mesh the same Deployment is not judged", () => {
    const outside = namespaces.filter((n) => n.labels["istio-injection"] === "disabled");
    expect(outside.length).toBeGreaterThan(0);
    for (const ns of outside) expect([ns.name, evaluatePolicy(applied(), { object: bypassing({ "sidecar.istio.io/inject": "false" }), namespace: ns.name, namespaceLabels: ns.labels }).allowed]).toEqual([ns.name, true]);
  });
});
