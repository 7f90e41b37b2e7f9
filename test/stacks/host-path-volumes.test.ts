/**
 * hostPath volumes, as the synthesized environments stand: the applied policy refuses a team pod mounting a node path
 * and admits the platform's node agents that need one (node-exporter, Falco, the Istio CNI agent, Fluent Bit) only through their
 * add-ons' named workload exemptions, each with its reason.
 */
import { ENVIRONMENTS } from "../../environments";
import { addonAdmission } from "../../constructs/addons/registry";
import { ADMISSION_POLICY_NAMES, type AdmissionPolicyDefinition } from "../../lib/security/admission/policies";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { evaluatePolicy } from "../lib/security/admission/support/evaluate";
import { goodPodSpec, ownedPod, workload } from "../lib/security/admission/support/samples";

type Json = Record<string, any>;

function manifests(env: string): Json[] {

  return Object.keys(synthesizedManifest().stacks)
    .filter((s) => s.startsWith(`${env}-`))
    .flatMap((stack) => Object.values<Json>(synthesizedStack(stack).resource?.kubernetes_manifest ?? {}).map((r) => r.manifest));
}

/** The node agents that mount host paths: namespace and DaemonSet name as their charts render them. */
const NODE_AGENTS = [
  ["node-exporter", "kube-prometheus-stack-prometheus-node-exporter"],
  ["falco", "falco"],
  ["istio-system", "istio-cni-node"],
  ["logging", "fluent-bit"],
] as const;

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s hostPath volumes", (name, env) => {
  const policy: Json = manifests(name).find((m) => m.kind === "ValidatingAdmissionPolicy" && m.metadata.name === ADMISSION_POLICY_NAMES.hostPathVolumes)!;
  const applied = (): AdmissionPolicyDefinition => ({ key: "hostPathVolumes", name: policy.metadata.name, description: "", ...policy.spec, resourceRules: policy.spec.matchConstraints.resourceRules });
  const spec = goodPodSpec({ volumes: [{ name: "proc", hostPath: { path: "/proc" } }] });
  const teamNamespaces = env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));

  test("a team DaemonSet mounting a node path is refused", () => {
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const namespace of teamNamespaces) expect([namespace, evaluatePolicy(applied(), { object: workload("DaemonSet", spec, "agent"), namespace }).allowed]).toEqual([namespace, false]);
  });

  test("each platform node agent and its pods are admitted, through its add-on's exemption with a reason", () => {
    const exemptions = addonAdmission(env).exemptWorkloads.filter((w) => w.policies.includes("hostPathVolumes"));
    expect(exemptions.map((w) => [w.namespace, w.name]).sort()).toEqual([...NODE_AGENTS].map((a) => [...a]).sort());
    for (const w of exemptions) expect(w.reason.length).toBeGreaterThanOrEqual(20);
    for (const [namespace, agent] of NODE_AGENTS) {
      expect([agent, evaluatePolicy(applied(), { object: workload("DaemonSet", spec, agent), namespace }).allowed]).toEqual([agent, true]);
      expect([agent, evaluatePolicy(applied(), { object: ownedPod(spec, "DaemonSet", agent), namespace }).allowed]).toEqual([agent, true]);
      // The same name elsewhere is not the platform's agent.
      expect([agent, evaluatePolicy(applied(), { object: workload("DaemonSet", spec, agent), namespace: teamNamespaces[0]! }).allowed]).toEqual([agent, false]);
    }
  });
});
