/** The hostPath policy on samples: a hostPath volume is refused in pods and templates; other volumes are not. */
import { admissionPolicyDefinitions } from "../../../../lib/security/admission/policies";
import { evaluatePolicy } from "./support/evaluate";
import { goodPodSpec, ownedPod, pod, REGISTRIES, workload } from "./support/samples";

const def = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, exemptWorkloads: [{ namespace: "agents", kind: "DaemonSet", name: "agent", policies: ["hostPathVolumes"] }] }).find((d) => d.key === "hostPathVolumes")!;
const hostPath = goodPodSpec({ volumes: [{ name: "cache", emptyDir: {} }, { name: "runtime", hostPath: { path: "/run/containerd/containerd.sock", type: "Socket" } }] });

describe("hostPathVolumes", () => {
  test("emptyDir, configMap and projected volumes are admitted", () => {
    const spec = goodPodSpec({ volumes: [{ name: "tmp", emptyDir: {} }, { name: "config", configMap: { name: "app" } }, { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }] });
    for (const object of [pod(spec), pod(goodPodSpec()), workload("Deployment", spec)]) expect(evaluatePolicy(def, { object, namespace: "payments" })).toEqual({ matched: true, allowed: true, messages: [] });
  });

  test.each(["Pod", "Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob"] as const)("a hostPath volume is refused in a %s, naming the volume and path", (kind) => {
    const object = kind === "Pod" ? pod(hostPath) : workload(kind, hostPath);
    expect(evaluatePolicy(def, { object, namespace: "payments" })).toEqual({
      matched: true,
      allowed: false,
      messages: ["hostPath volumes are not allowed: they expose the node's files to the pod: volume runtime mounts /run/containerd/containerd.sock"],
    });
  });

  test("only the named workload, in its namespace, is exempt", () => {
    expect(evaluatePolicy(def, { object: workload("DaemonSet", hostPath, "agent"), namespace: "agents" }).allowed).toBe(true);
    expect(evaluatePolicy(def, { object: ownedPod(hostPath, "DaemonSet", "agent"), namespace: "agents" }).allowed).toBe(true);
    expect(evaluatePolicy(def, { object: workload("DaemonSet", hostPath, "agent"), namespace: "payments" }).allowed).toBe(false);
    expect(evaluatePolicy(def, { object: workload("DaemonSet", hostPath, "other"), namespace: "agents" }).allowed).toBe(false);
  });
});
