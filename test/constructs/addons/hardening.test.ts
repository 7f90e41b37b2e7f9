/**
 * Every platform workload meets the Kubernetes workload checks Checkov and Trivy apply (non-root, read-only root
 * filesystem, ALL capabilities dropped, RuntimeDefault seccomp, no privilege escalation, requests and a memory limit),
 * read from the values each registered add-on renders into its releases for each committed environment; and the pods
 * those charts build pass the environment's admission policies, with only the exemptions the configuration and the
 * registry name. The add-ons and their workloads come from the registry: a new add-on is walked the day it is listed.
 */
import { ENVIRONMENTS } from "../../../environments";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { ADDONS } from "../../../constructs/addons/registry";
import { missingContainerHardening, missingPodHardening } from "../../../lib/kubernetes/security-context";
import { admissionPolicyDefinitions } from "../../../lib/security/admission/policies";
import { admissionPoliciesProps } from "../../../stacks/security-stack";
import { refusals } from "../../lib/security/admission/support/evaluate";
import { PLATFORM_WORKLOADS, PlatformWorkload, RenderedReleases, renderedReleases, securityContextPaths, valueAt, valuesOf } from "./platform-workloads";

/**
 * The committed environments, and prod with certificates from AWS Private CA: no committed environment runs that
 * issuer, and its add-on is walked all the same.
 */
const privateCa: EnvironmentConfig = structuredClone(ENVIRONMENTS.find((e) => e.name === "prod")!);
privateCa.name = "prodpca";
privateCa.security.certManager.issuer = { type: "awsPrivateCA", certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:333333333333:certificate-authority/11111111-2222-4333-8444-555555555555" };
const CONFIGS = [...ENVIRONMENTS, privateCa];
const rendered: Record<string, RenderedReleases> = Object.fromEntries(CONFIGS.map((e) => [e.name, renderedReleases(e)]));

function podOf(values: Record<string, unknown>, w: PlatformWorkload): Record<string, unknown> {
  const at = (p: readonly string[] | { setBy: string }) => (Array.isArray(p) ? valueAt(values, p as string[]) : undefined);
  const containers = w.containers.map((c) => ({
    name: c.name,
    image: c.image,
    ...(Array.isArray(c.securityContext) ? { securityContext: at(c.securityContext) } : {}),
    resources: valueAt(values, c.resources),
  }));
  return { ...(Array.isArray(w.podSecurityContext) ? { securityContext: at(w.podSecurityContext) } : {}), containers, ...(w.chartPodFields ?? {}) };
}

function workloadObject(pod: Record<string, unknown>, w: PlatformWorkload): Record<string, unknown> {
  const template = { metadata: { labels: { app: w.name } }, spec: pod };
  return { apiVersion: w.kind === "Job" ? "batch/v1" : "apps/v1", kind: w.kind, metadata: { name: w.name, namespace: w.namespace }, spec: { template } };
}

test("every registered add-on that runs images names the workloads its charts render", () => {
  expect(ADDONS.filter((a) => a.images.length > 0 && (a.workloads ?? []).length === 0).map((a) => a.name)).toEqual([]);
});

test("every listed workload is rendered by at least one environment walked", () => {
  const unrendered = PLATFORM_WORKLOADS.filter((w) => CONFIGS.every((e) => valuesOf(rendered[e.name]!, w) === undefined));
  expect(unrendered.map((w) => `${w.addOn} ${w.name}`)).toEqual([]);
});

describe.each(CONFIGS.map((e) => [e.name, e] as const))("%s", (env, config) => {
  const releases = rendered[env]!;
  const workloads = PLATFORM_WORKLOADS.filter((w) => valuesOf(releases, w) !== undefined);

  test("the registry lists every security context the rendered values set", () => {
    for (const [addOn, byRelease] of Object.entries(releases)) {
      for (const [release, values] of Object.entries(byRelease)) {
        const listed = PLATFORM_WORKLOADS.filter((w) => w.addOn === addOn && (w.release ?? "Helm") === release).flatMap((w) => [w.podSecurityContext, ...w.containers.map((c) => c.securityContext)]);
        const keys = new Set(listed.filter(Array.isArray).map((p) => (p as string[]).join(".")));
        expect([addOn, release, securityContextPaths(values).map((p) => p.join(".")).filter((p) => !keys.has(p))]).toEqual([addOn, release, []]);
      }
    }
  });

  describe.each(workloads.map((w) => [`${w.addOn} ${w.kind} ${w.name}`, w] as const))("%s", (_name, w) => {
    const pod = podOf(valuesOf(releases, w)!, w) as { securityContext?: unknown; containers: Array<{ name: string; securityContext?: unknown; resources?: any }> };

    test("runs as non-root with the runtime's seccomp profile", () => {
      if (!Array.isArray(w.podSecurityContext)) {
        expect((w.podSecurityContext as { setBy: string }).setBy.length).toBeGreaterThanOrEqual(20);
        return;
      }
      expect(missingPodHardening(pod.securityContext)).toEqual([]);
    });

    test.each(w.containers.map((c) => [c.name, c] as const))("container %s: read-only, no escalation, ALL dropped, non-root", (_c, c) => {
      if (!Array.isArray(c.securityContext)) {
        // Set by the chart or operator: the reason is on record, and there is no value that could have set it.
        expect((c.securityContext as { setBy: string }).setBy.length).toBeGreaterThanOrEqual(20);
        return;
      }
      // A known gap is a named exception with its reason, and exactly what it names is missing.
      expect(c.hardeningExceptions?.reason.length ?? 20).toBeGreaterThanOrEqual(20);
      expect(missingContainerHardening(pod.containers.find((x) => x.name === c.name)!.securityContext, pod.securityContext)).toEqual([...(c.hardeningExceptions?.missing ?? [])]);
    });

    test.each(w.containers.map((c) => [c.name] as const))("container %s requests CPU and memory, limits memory and not CPU", (name) => {
      const r = pod.containers.find((x) => x.name === name)!.resources;
      expect([r?.requests?.cpu, r?.requests?.memory, r?.limits?.memory].every((q) => typeof q === "string" && q.length > 0)).toBe(true);
      expect(r?.limits?.cpu ?? null).toBeNull();
    });
  });

  describe("admission policies on the platform's pods", () => {
    const admission = admissionPoliciesProps(config);
    // Probes are written by the charts' templates, which values do not show: the probes policy is proved on samples.
    const defs = admissionPolicyDefinitions(admission).filter((d) => d.key !== "probes");
    const ownedPod = (pod: Record<string, unknown>, w: PlatformWorkload) => ({
      apiVersion: "v1", kind: "Pod",
      metadata: { name: `${w.name}-x7k2p`, namespace: w.namespace, ownerReferences: [{ apiVersion: "apps/v1", kind: w.kind === "Deployment" ? "ReplicaSet" : w.kind, name: w.kind === "Deployment" ? `${w.name}-5d9f7c8b6` : w.name, uid: "u" }] },
      spec: pod,
    });

    test.each(workloads.map((w) => [w.name, w] as const))("%s and its pods are admitted", (_n, w) => {
      const pod = podOf(valuesOf(releases, w)!, w);
      expect(refusals(defs, { object: workloadObject(pod, w), namespace: w.namespace })).toEqual({});
      expect(refusals(defs, { object: ownedPod(pod, w), namespace: w.namespace })).toEqual({});
    });

    test("node-exporter is admitted only through its named exemption", () => {
      const w = workloads.find((x) => x.kind === "DaemonSet" && x.name.endsWith("node-exporter"))!;
      const strict = admissionPolicyDefinitions({ allowedRegistries: admission.allowedRegistries }).filter((d) => d.key !== "probes");
      expect(Object.keys(refusals(strict, { object: workloadObject(podOf(valuesOf(releases, w)!, w), w), namespace: w.namespace }))).toEqual(["hostNamespaces"]);
    });
  });
});
