/**
 * The system nodes and system PriorityClasses, as the synthesized environments stand: a team namespace allows zero
 * pods with a system PriorityClass (a quota no one with only namespace rights can lift), and the admission policy
 * refuses a team pod that would run on the system nodes; the platform's own namespaces keep both.
 */
import { ENVIRONMENTS } from "../../environments";
import { addonNamespaces, enabledAddons } from "../../constructs/addons/registry";
import { ADMISSION_POLICY_NAMES, SYSTEM_PRIORITY_CLASSES, type AdmissionPolicyDefinition } from "../../lib/security/admission/policies";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { evaluatePolicy } from "../lib/security/admission/support/evaluate";
import { goodPodSpec, workload } from "../lib/security/admission/support/samples";

type Json = Record<string, any>;

function resources(env: string, type: string): Json[] {
  return Object.keys(synthesizedManifest().stacks)
    .filter((s) => s.startsWith(`${env}-`))
    .flatMap((stack) => Object.values<Json>(synthesizedStack(stack).resource?.[type] ?? {}));
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s system placement", (name, env) => {
  const teamNamespaces = env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
  const platformNamespaces = addonNamespaces(enabledAddons(env)).map(({ namespace }) => namespace.name);
  const quotas = resources(name, "kubernetes_resource_quota_v1").filter((q) => q.metadata.name === "system-priority");
  // A quota names its namespace by reference to the namespace resource: read the name there.
  const namespaceIds = Object.keys(synthesizedManifest().stacks)
    .filter((s) => s.startsWith(`${name}-`))
    .flatMap((stack) => Object.entries<Json>(synthesizedStack(stack).resource?.kubernetes_namespace_v1 ?? {}));
  const namespaceOf = (q: Json): string => {
    const id = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(q.metadata.namespace)?.[1];
    return namespaceIds.find(([k]) => k === id)?.[1].metadata.name ?? q.metadata.namespace;
  };
  const manifests = resources(name, "kubernetes_manifest").map((r) => r.manifest);
  const policy = manifests.find((m) => m.kind === "ValidatingAdmissionPolicy" && m.metadata.name === ADMISSION_POLICY_NAMES.systemPlacement);
  const applied = (): AdmissionPolicyDefinition => ({ key: "systemPlacement", name: policy.metadata.name, description: "", ...policy.spec, resourceRules: policy.spec.matchConstraints.resourceRules });

  test("every team namespace, and no platform namespace, allows zero pods with a system PriorityClass", () => {
    expect(teamNamespaces.length).toBeGreaterThan(0);
    expect(quotas.map(namespaceOf).sort()).toEqual([...teamNamespaces].sort());
    for (const q of quotas) {
      expect(q.spec.hard).toEqual({ pods: "0" });
      expect(q.spec.scope_selector.match_expression).toEqual([{ scope_name: "PriorityClass", operator: "In", values: ["system-node-critical", "system-cluster-critical"] }]);
    }
    expect(platformNamespaces.filter((n) => quotas.some((q) => namespaceOf(q) === n))).toEqual([]);
    expect([...SYSTEM_PRIORITY_CLASSES]).toEqual(["system-node-critical", "system-cluster-critical"]);
  });

  test("the applied policy refuses a team Deployment on the system nodes and admits it in every platform namespace", () => {
    const spec = goodPodSpec({
      priorityClassName: "system-node-critical",
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
      nodeSelector: { "sre-platform.io/node-role": "system" },
    });
    for (const namespace of teamNamespaces) {
      const r = evaluatePolicy(applied(), { object: workload("Deployment", spec), namespace });
      expect([namespace, r.allowed, r.messages.length]).toEqual([namespace, false, 3]);
    }
    for (const namespace of [...platformNamespaces, "kube-system"]) expect([namespace, evaluatePolicy(applied(), { object: workload("DaemonSet", spec), namespace }).allowed]).toEqual([namespace, true]);
  });
});
