/**
 * The system placement policy on samples: a team pod that takes a system PriorityClass, tolerates the system nodes'
 * taint (or every taint) or selects the system nodes is refused; the same pod in a platform namespace, or an ordinary
 * team pod, is admitted.
 */
import { admissionPolicyDefinitions } from "../../../../lib/security/admission/policies";
import { evaluatePolicy } from "./support/evaluate";
import { goodPodSpec, ownedPod, pod, REGISTRIES, workload } from "./support/samples";

const def = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, platformNamespaces: ["kube-system", "falco"] }).find((d) => d.key === "systemPlacement")!;
const judge = (object: Record<string, unknown>, namespace = "payments") => evaluatePolicy(def, { object, namespace });

const onSystemNodes = {
  priorityClassName: "system-node-critical",
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  nodeSelector: { "sre-platform.io/node-role": "system" },
};

describe("systemPlacement", () => {
  test("an ordinary team pod, on the workload nodes with its own tolerations, is admitted", () => {
    const spec = goodPodSpec({
      nodeSelector: { "sre-platform.io/node-role": "workloads" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "payments", effect: "NoSchedule" }],
      priorityClassName: "payments-high",
    });
    expect(judge(pod(spec))).toEqual({ matched: true, allowed: true, messages: [] });
  });

  test.each([
    ["system-node-critical", { priorityClassName: "system-node-critical" }, /priority class system-node-critical/],
    ["system-cluster-critical", { priorityClassName: "system-cluster-critical" }, /priority class system-cluster-critical/],
    ["a key-less Exists toleration", { tolerations: [{ operator: "Exists" }] }, /toleration of every taint/],
    ["an Exists toleration with an empty key", { tolerations: [{ key: "", operator: "Exists", effect: "NoSchedule" }] }, /toleration of every taint/],
    ["the system taint's toleration", { tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] }, /taint CriticalAddonsOnly/],
    ["the system taint tolerated by value", { tolerations: [{ key: "CriticalAddonsOnly", operator: "Equal", value: "true", effect: "NoSchedule" }] }, /taint CriticalAddonsOnly/],
    ["a node selector on the system role", { nodeSelector: { "sre-platform.io/node-role": "system" } }, /nodeSelector sre-platform.io\/node-role=system/],
    [
      "a required node affinity In the system role",
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, { matchExpressions: [{ key: "sre-platform.io/node-role", operator: "In", values: ["workloads", "system"] }] }] } } } },
      /nodeAffinity requires/,
    ],
  ])("a team pod with %s is refused, as a Deployment and as its pod", (_what, fields, message) => {
    const spec = goodPodSpec(fields as never);
    for (const object of [pod(spec), workload("Deployment", spec), ownedPod(spec, "ReplicaSet", "app-5d9f7c8b6")]) {
      const r = judge(object);
      expect([r.allowed, r.messages.join("\n")]).toEqual([false, expect.stringMatching(message)]);
    }
  });

  test("a preferred node affinity on the system role, and a required one on another role, are admitted", () => {
    const preferred = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "sre-platform.io/node-role", operator: "In" as const, values: ["system"] }] } }] };
    const required = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "sre-platform.io/node-role", operator: "In" as const, values: ["workloads"] }] }] } };
    expect(judge(pod(goodPodSpec({ affinity: { nodeAffinity: preferred } }))).allowed).toBe(true);
    expect(judge(pod(goodPodSpec({ affinity: { nodeAffinity: required } }))).allowed).toBe(true);
  });

  test("all of it together is refused in a team namespace with every reason, admitted in the platform's namespaces", () => {
    const spec = goodPodSpec(onSystemNodes as never);
    expect(judge(workload("Deployment", spec)).messages).toHaveLength(3);
    for (const namespace of ["kube-system", "falco"]) expect(judge(workload("DaemonSet", spec), namespace)).toEqual({ matched: true, allowed: true, messages: [] });
  });

  test("without platform namespaces, nothing is let through by namespace", () => {
    const strict = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES }).find((d) => d.key === "systemPlacement")!;
    expect(evaluatePolicy(strict, { object: pod(goodPodSpec(onSystemNodes as never)), namespace: "kube-system" }).allowed).toBe(false);
  });

  test("a named workload exemption lets exactly that workload through", () => {
    const exempt = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, exemptWorkloads: [{ namespace: "payments", kind: "DaemonSet", name: "agent", policies: ["systemPlacement"] }] }).find((d) => d.key === "systemPlacement")!;
    const spec = goodPodSpec({ tolerations: [{ operator: "Exists" }] });
    expect(evaluatePolicy(exempt, { object: workload("DaemonSet", spec, "agent"), namespace: "payments" }).allowed).toBe(true);
    expect(evaluatePolicy(exempt, { object: workload("DaemonSet", spec, "other"), namespace: "payments" }).allowed).toBe(false);
  });
});
