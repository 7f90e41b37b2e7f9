/**
 * Every platform workload meets the Kubernetes workload checks Checkov and Trivy apply (non-root, read-only root
 * filesystem, ALL capabilities dropped, RuntimeDefault seccomp, no privilege escalation, requests and a memory limit),
 * read from the values each add-on renders into its release; and the pods those charts build pass the admission
 * policies of every environment, with only the exemptions the configuration names.
 */
import { ENVIRONMENTS } from "../../../environments";
import { missingContainerHardening, missingPodHardening } from "../../../lib/kubernetes/security-context";
import { admissionPolicyDefinitions } from "../../../lib/security/admission/policies";
import { refusals } from "../../lib/security/admission/support/evaluate";
import { PLATFORM_WORKLOADS, PlatformWorkload, renderedValues, securityContextPaths, valueAt } from "./platform-workloads";

const values = renderedValues();
const ADD_ONS = ["karpenter", "cluster-autoscaler", "metrics-server", "external-secrets", "kube-prometheus-stack"];

function podOf(w: PlatformWorkload): Record<string, unknown> {
  const v = values[w.addOn];
  const containers = w.containers.map((c) => ({
    name: c.name,
    image: c.image,
    ...(Array.isArray(c.securityContext) ? { securityContext: valueAt(v, c.securityContext as string[]) } : {}),
    resources: valueAt(v, c.resources),
  }));
  return { securityContext: valueAt(v, w.podSecurityContext), containers, ...(w.chartPodFields ?? {}) };
}

function workloadObject(w: PlatformWorkload): Record<string, unknown> {
  const template = { metadata: { labels: { app: w.name } }, spec: podOf(w) };
  return { apiVersion: w.kind === "Job" ? "batch/v1" : "apps/v1", kind: w.kind, metadata: { name: w.name, namespace: w.namespace }, spec: { template } };
}

test("the table covers every add-on and every security context their values set", () => {
  expect(Object.keys(values).sort()).toEqual([...ADD_ONS].sort());
  for (const addOn of ADD_ONS) {
    const listed = PLATFORM_WORKLOADS.filter((w) => w.addOn === addOn).flatMap((w) => [w.podSecurityContext, ...w.containers.map((c) => c.securityContext).filter(Array.isArray)]);
    const listedKeys = new Set(listed.map((p) => (p as string[]).join(".")));
    expect([addOn, securityContextPaths(values[addOn]).map((p) => p.join(".")).filter((p) => !listedKeys.has(p))]).toEqual([addOn, []]);
  }
});

describe.each(PLATFORM_WORKLOADS.map((w) => [`${w.addOn} ${w.kind} ${w.name}`, w] as const))("%s", (_name, w) => {
  const pod = podOf(w) as { securityContext: unknown; containers: Array<{ name: string; securityContext?: unknown; resources?: any }> };

  test("runs as non-root with the runtime's seccomp profile", () => {
    expect(missingPodHardening(pod.securityContext)).toEqual([]);
  });

  test.each(w.containers.map((c) => [c.name, c] as const))("container %s: read-only, no escalation, ALL dropped, non-root", (_c, c) => {
    if (!Array.isArray(c.securityContext)) {
      // Set by the chart or operator: the reason is on record, and there is no value that could have set it.
      expect((c.securityContext as { setBy: string }).setBy).toMatch(/\w{10}/);
      return;
    }
    expect(missingContainerHardening(pod.containers.find((x) => x.name === c.name)!.securityContext, pod.securityContext)).toEqual([]);
  });

  test.each(w.containers.map((c) => [c.name] as const))("container %s requests CPU and memory and limits memory", (name) => {
    const r = pod.containers.find((x) => x.name === name)!.resources;
    expect([r?.requests?.cpu, r?.requests?.memory, r?.limits?.memory].every((q) => typeof q === "string" && q.length > 0)).toBe(true);
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e.security.admission] as const))("%s admission policies on the platform's pods", (_env, admission) => {
  // Probes are written by the charts' templates, which values do not show: the probes policy is proved on samples.
  const defs = admissionPolicyDefinitions(admission).filter((d) => d.key !== "probes");
  const ownedPod = (w: PlatformWorkload) => ({
    apiVersion: "v1", kind: "Pod",
    metadata: { name: `${w.name}-x7k2p`, namespace: w.namespace, ownerReferences: [{ apiVersion: "apps/v1", kind: w.kind === "Deployment" ? "ReplicaSet" : w.kind, name: w.kind === "Deployment" ? `${w.name}-5d9f7c8b6` : w.name, uid: "u" }] },
    spec: podOf(w),
  });

  test.each(PLATFORM_WORKLOADS.map((w) => [w.name, w] as const))("%s and its pods are admitted", (_n, w) => {
    expect(refusals(defs, { object: workloadObject(w), namespace: w.namespace })).toEqual({});
    expect(refusals(defs, { object: ownedPod(w), namespace: w.namespace })).toEqual({});
  });

  test("node-exporter is admitted only through its named exemption", () => {
    const w = PLATFORM_WORKLOADS.find((x) => x.kind === "DaemonSet")!;
    const strict = admissionPolicyDefinitions({ allowedRegistries: admission.allowedRegistries }).filter((d) => d.key !== "probes");
    expect(Object.keys(refusals(strict, { object: workloadObject(w), namespace: w.namespace }))).toEqual(["hostNamespaces"]);
  });
});
