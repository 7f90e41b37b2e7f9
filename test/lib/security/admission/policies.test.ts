import {
  ADMISSION_POLICY_KEYS, ADMISSION_POLICY_NAMES, admissionPolicyDefinitions, POD_POLICY_KEYS, AdmissionPolicyDefinition, AdmissionPolicyKey, WorkloadExemption,
} from "../../../../lib/security/admission/policies";
import { evaluatePolicy, expressionsOf, parseCel, refusals } from "./support/evaluate";
import { goodContainer, goodPodSpec, ownedPod, pod, REGISTRIES, service, workload } from "./support/samples";
import { GOOD_IMAGE } from "./support/samples";

const defs = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES });
const byKey = (key: AdmissionPolicyKey, from: readonly AdmissionPolicyDefinition[] = defs) => from.find((d) => d.key === key)!;
const refusedBy = (object: Record<string, unknown>, extra: Partial<Parameters<typeof evaluatePolicy>[1]> = {}) => Object.keys(refusals(defs, { object, ...extra })).sort();

describe("admission policy definitions", () => {
  test("one policy per key, named by the one table", () => {
    expect(defs.map((d) => d.key)).toEqual([...ADMISSION_POLICY_KEYS]);
    for (const d of defs) expect(d.name).toBe(ADMISSION_POLICY_NAMES[d.key]);
  });

  test("every expression parses with the evaluator, and a broken one does not", () => {
    const all = defs.flatMap(expressionsOf);
    expect(all.length).toBeGreaterThan(defs.length * 8);
    for (const [, expression] of all) expect(() => parseCel(expression)).not.toThrow();
    expect(() => parseCel("object.spec.containers.all(c, ")).toThrow();
  });

  test("a compliant pod passes every pod policy (each of which does apply to it)", () => {
    const podDefs = defs.filter((d) => (POD_POLICY_KEYS as readonly string[]).includes(d.key));
    expect(podDefs.map((d) => d.key)).toEqual([...POD_POLICY_KEYS]);
    for (const def of podDefs) expect(evaluatePolicy(def, { object: pod(goodPodSpec()) })).toEqual({ matched: true, allowed: true, messages: [] });
  });

  describe("Services (serviceExposure)", () => {
    const exposure = byKey("serviceExposure");
    const judge = (object: Record<string, unknown>, namespace = "apps", extra: Partial<Parameters<typeof evaluatePolicy>[1]> = {}) => evaluatePolicy(exposure, { object, namespace, ...extra });

    test("a ClusterIP Service passes, in a team namespace too, and the policy does apply to it", () => {
      expect(judge(service())).toEqual({ matched: true, allowed: true, messages: [] });
      expect(judge(service({ type: "ClusterIP" }))).toEqual({ matched: true, allowed: true, messages: [] });
      expect(judge(service({ externalIPs: [] }))).toEqual({ matched: true, allowed: true, messages: [] });
      // Pod policies do not match Services, and this one does not match pods.
      expect(refusedBy(service({ externalIPs: ["10.0.12.34"] }))).toEqual(["serviceExposure"]);
      expect(evaluatePolicy(exposure, { object: pod(goodPodSpec()) }).matched).toBe(false);
    });

    test("refuses spec.externalIPs in every namespace, the ingress namespace included, naming the address (CVE-2020-8554)", () => {
      // A team claims Alertmanager's pod address on its port: kube-proxy would hand Prometheus' alerts to the team's pod.
      const hijack = service({ externalIPs: ["10.0.12.34"], ports: [{ name: "am", port: 9093, targetPort: 8080 }] });
      for (const namespace of ["apps", "istio-ingress", "monitoring"]) {
        const r = judge(hijack, namespace);
        expect([namespace, r.allowed]).toEqual([namespace, false]);
        expect(r.messages.join()).toMatch(/spec.externalIPs is not allowed.*address 10.0.12.34/);
      }
    });

    test.each(["LoadBalancer", "NodePort"] as const)("refuses type %s outside istio-ingress, admits it there", (type) => {
      const r = judge(service({ type }));
      expect(r.allowed).toBe(false);
      expect(r.messages.join()).toMatch(new RegExp(`only allowed in istio-ingress: expose through the ingress gateway: type ${type}`));
      expect(judge(service({ type }), "istio-ingress").allowed).toBe(true);
      expect(judge(service({ type }), "istio-ingress-2").allowed).toBe(false);
    });

    test("an update that adds externalIPs or a node port is judged; a relabel of an old one is not", () => {
      const old = service();
      expect(judge(service({ externalIPs: ["10.0.12.34"] }), "apps", { operation: "UPDATE", oldObject: old }).allowed).toBe(false);
      expect(judge(service({ type: "NodePort" }), "apps", { operation: "UPDATE", oldObject: old }).allowed).toBe(false);
      const legacy = service({ type: "NodePort" });
      const relabelled = { ...legacy, metadata: { name: "app", labels: { team: "a" } } };
      expect(judge(relabelled, "apps", { operation: "UPDATE", oldObject: legacy }).matched).toBe(false);
    });
  });

  // Each row is refused by exactly the policy it names: a policy that never matches fails its row.
  const cases: Array<[string, AdmissionPolicyKey, Record<string, unknown>, RegExp]> = [
    ["a privileged container", "privilegedContainers", pod(goodPodSpec({ containers: [goodContainer("app", { securityContext: { privileged: true, ...rest() } })] })), /privileged containers are not allowed: container app/],
    ["a privileged init container", "privilegedContainers", pod(goodPodSpec({ initContainers: [goodContainer("init", { securityContext: { privileged: true } })] })), /container init/],
    ["hostNetwork", "hostNamespaces", pod(goodPodSpec({ hostNetwork: true })), /spec.hostNetwork is not allowed/],
    ["hostPID", "hostNamespaces", pod(goodPodSpec({ hostPID: true })), /spec.hostPID is not allowed/],
    ["hostIPC", "hostNamespaces", pod(goodPodSpec({ hostIPC: true })), /spec.hostIPC is not allowed/],
    ["a latest tag", "imageTags", pod(goodPodSpec({ containers: [goodContainer("app", { image: "quay.io/prometheus/prometheus:latest" })] })), /container app runs quay.io\/prometheus\/prometheus:latest/],
    ["no tag", "imageTags", pod(goodPodSpec({ containers: [goodContainer("app", { image: "quay.io/prometheus/prometheus" })] })), /tag other than latest/],
    ["a registry port but no tag", "imageTags", pod(goodPodSpec({ containers: [goodContainer("app", { image: "registry.example.com:5000/team/app" })] })), /tag other than latest/],
    ["an untagged init container", "imageTags", pod(goodPodSpec({ initContainers: [goodContainer("init", { image: "quay.io/prometheus/busybox" })] })), /container init/],
    ["another registry", "allowedRegistries", pod(goodPodSpec({ containers: [goodContainer("app", { image: "docker.io/library/nginx:1.27" })] })), /allowed registry .*: container app runs docker.io\/library\/nginx:1.27/],
    ["Docker Hub shorthand", "allowedRegistries", pod(goodPodSpec({ containers: [goodContainer("app", { image: "prometheus/prometheus:v3.5.0" })] })), /container app/],
    ["an allowed path as a name prefix only", "allowedRegistries", pod(goodPodSpec({ containers: [goodContainer("app", { image: "quay.io/prometheus-evil/x:1" })] })), /container app/],
    ["no memory limit", "resourceLimits", pod(goodPodSpec({ containers: [goodContainer("app", { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1" } } })] })), /resources.limits.memory: container app/],
    ["no resources on an init container", "resourceLimits", pod(goodPodSpec({ initContainers: [goodContainer("init", { resources: undefined })] })), /container init/],
    ["no readiness probe", "probes", pod(goodPodSpec({ containers: [goodContainer("app", { readinessProbe: undefined })] })), /readinessProbe: container app/],
    ["no liveness probe on the second container", "probes", pod(goodPodSpec({ containers: [goodContainer("a"), goodContainer("b", { livenessProbe: undefined })] })), /livenessProbe: container b/],
  ];
  test.each(cases)("refuses %s (%s only), naming the offender", (_what, key, object, message) => {
    expect(refusedBy(object)).toEqual([key]);
    expect(evaluatePolicy(byKey(key), { object }).messages.join("\n")).toMatch(message);
  });

  test.each([
    ["a version tag", "quay.io/prometheus/prometheus:v3.5.0"],
    ["a digest", `quay.io/prometheus/prometheus@sha256:${"a".repeat(64)}`],
    ["latest pinned by digest", `quay.io/prometheus/prometheus:latest@sha256:${"b".repeat(64)}`],
    ["a registry with a port and a tag", "registry.example.com:5000/team/app:1.2.3"],
  ])("admits %s", (_what, image) => {
    expect(refusedBy(pod(goodPodSpec({ containers: [goodContainer("app", { image })] })))).toEqual([]);
  });

  test("pod templates of every workload kind are checked, so kubectl apply fails at once", () => {
    const bad = goodPodSpec({ hostNetwork: true, containers: [goodContainer("app", { image: "docker.io/library/nginx:latest" })] });
    for (const kind of ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"] as const) {
      expect([kind, refusedBy(workload(kind, bad))]).toEqual([kind, ["allowedRegistries", "hostNamespaces", "imageTags"]]);
    }
    for (const kind of ["Job", "CronJob"] as const) {
      expect([kind, refusedBy(workload(kind, { ...bad, restartPolicy: "Never" }))]).toEqual([kind, ["allowedRegistries", "hostNamespaces", "imageTags"]]);
    }
  });

  test("probes are required of long-running containers only: not of Jobs, CronJobs, run-to-completion pods or init containers", () => {
    const unprobed = goodContainer("app", { readinessProbe: undefined, livenessProbe: undefined });
    expect(refusedBy(workload("Deployment", goodPodSpec({ containers: [unprobed] })))).toEqual(["probes"]);
    expect(refusedBy(pod(goodPodSpec({ containers: [unprobed], restartPolicy: "Always" })))).toEqual(["probes"]);
    expect(evaluatePolicy(byKey("probes"), { object: workload("Job", goodPodSpec({ containers: [unprobed], restartPolicy: "Never" })) }).matched).toBe(false);
    expect(evaluatePolicy(byKey("probes"), { object: workload("CronJob", goodPodSpec({ containers: [unprobed], restartPolicy: "OnFailure" })) }).matched).toBe(false);
    expect(refusedBy(pod(goodPodSpec({ containers: [unprobed], restartPolicy: "Never" })))).toEqual([]);
    expect(refusedBy(pod(goodPodSpec({ initContainers: [goodContainer("init", { readinessProbe: undefined, livenessProbe: undefined })] })))).toEqual([]);
  });

  test("ephemeral containers (kubectl debug) are checked for privilege, tag and registry, not for limits or probes", () => {
    const spec = goodPodSpec();
    const debug = { name: "debug", image: "docker.io/library/busybox:latest", securityContext: { privileged: true } };
    const withDebug = pod({ ...spec, ephemeralContainers: [debug] });
    const result = refusals(defs, { object: withDebug, oldObject: pod(spec), operation: "UPDATE", subResource: "ephemeralcontainers" });
    expect(Object.keys(result).sort()).toEqual(["allowedRegistries", "imageTags", "privilegedContainers"]);
    expect(result.privilegedContainers!.join()).toMatch(/container debug/);
  });

  test("an object being deleted, or an update that leaves the spec alone, is not judged", () => {
    const bad = pod(goodPodSpec({ hostPID: true }));
    expect(refusedBy(bad)).toEqual(["hostNamespaces"]);
    const relabelled = { ...bad, metadata: { name: "app", labels: { team: "a" } } };
    expect(refusedBy(relabelled, { operation: "UPDATE", oldObject: bad })).toEqual([]);
    const deleting = { ...bad, metadata: { name: "app", deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: [] } };
    expect(refusedBy(deleting, { operation: "UPDATE", oldObject: bad })).toEqual([]);
    const changed = pod(goodPodSpec({ hostPID: true, containers: [goodContainer("app", { image: "quay.io/prometheus/prometheus:v3.6.0" })] }));
    expect(refusedBy(changed, { operation: "UPDATE", oldObject: bad })).toEqual(["hostNamespaces"]);
  });

  test("a probe-exempt container name waives exactly the probes named, and only for that container", () => {
    const defs2 = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, probeExemptContainers: [{ name: "istio-proxy", probes: ["livenessProbe"] }] });
    const refused = (spec: ReturnType<typeof goodPodSpec>) => refusals(defs2, { object: pod(spec) });
    const sidecar = goodContainer("istio-proxy", { livenessProbe: undefined });
    expect(refused(goodPodSpec({ containers: [goodContainer("app"), sidecar] }))).toEqual({});
    expect(Object.keys(refused(goodPodSpec({ containers: [goodContainer("app"), goodContainer("istio-proxy", { readinessProbe: undefined })] })))).toEqual(["probes"]);
    expect(refused(goodPodSpec({ containers: [goodContainer("app", { livenessProbe: undefined }), sidecar] })).probes!.join()).toMatch(/livenessProbe: container app/);
    // The same pod without the waiver: the sidecar is refused.
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("app"), sidecar] })) }))).toEqual(["probes"]);
  });

  test("a probe exemption with images holds only for a container running one of them: a team cannot borrow the sidecar's name", () => {
    const exempt = [{ name: "istio-proxy", images: ["docker.io/istio/proxyv2"], probes: ["livenessProbe" as const] }];
    const defs2 = admissionPolicyDefinitions({ allowedRegistries: [...REGISTRIES, "docker.io/istio"], probeExemptContainers: exempt });
    const refused = (image: string) => Object.keys(refusals(defs2, { object: pod(goodPodSpec({ containers: [goodContainer("app"), goodContainer("istio-proxy", { image, livenessProbe: undefined })] })) }));
    expect(refused("docker.io/istio/proxyv2:1.30.3")).toEqual([]);
    expect(refused("docker.io/istio/proxyv2@sha256:" + "a".repeat(64))).toEqual([]);
    expect(refused(GOOD_IMAGE)).toEqual(["probes"]);
    // A repository that merely starts like the sidecar's is not it.
    expect(refused("docker.io/istio/proxyv2-evil:1.0.0")).toEqual(["probes"]);
  });

  describe("named workload exemptions", () => {
    const exemptions: WorkloadExemption[] = [
      { namespace: "monitoring", kind: "DaemonSet", name: "node-exporter", policies: ["hostNamespaces"] },
      { namespace: "external-secrets", kind: "Deployment", name: "external-secrets", policies: ["probes"] },
      { namespace: "data", kind: "StatefulSet", name: "db", policies: ["resourceLimits"] },
    ];
    const exempting = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, exemptWorkloads: exemptions });
    const refused = (object: Record<string, unknown>, namespace: string) => Object.keys(refusals(exempting, { object, namespace })).sort();
    const hostSpec = goodPodSpec({ hostNetwork: true, hostPID: true, containers: [goodContainer("app", { image: "docker.io/library/nginx:1.27" })] });

    test("a DaemonSet and its pods are exempt from exactly the named policies, in their namespace only", () => {
      expect(refused(workload("DaemonSet", hostSpec, "node-exporter"), "monitoring")).toEqual(["allowedRegistries"]);
      expect(refused(ownedPod(hostSpec, "DaemonSet", "node-exporter"), "monitoring")).toEqual(["allowedRegistries"]);
      expect(refused(workload("DaemonSet", hostSpec, "node-exporter"), "apps")).toEqual(["allowedRegistries", "hostNamespaces"]);
      expect(refused(workload("DaemonSet", hostSpec, "node-exporter-2"), "monitoring")).toEqual(["allowedRegistries", "hostNamespaces"]);
      expect(refused(ownedPod(hostSpec, "DaemonSet", "other"), "monitoring")).toEqual(["allowedRegistries", "hostNamespaces"]);
    });

    test("a Deployment's exemption covers its ReplicaSets and their pods, not a lookalike", () => {
      const spec = goodPodSpec({ containers: [goodContainer("app", { readinessProbe: undefined })] });
      expect(refused(workload("Deployment", spec, "external-secrets"), "external-secrets")).toEqual([]);
      expect(refused(workload("ReplicaSet", spec, "external-secrets-5d9f7c8b6"), "external-secrets")).toEqual([]);
      expect(refused(ownedPod(spec, "ReplicaSet", "external-secrets-5d9f7c8b6"), "external-secrets")).toEqual([]);
      expect(refused(ownedPod(spec, "ReplicaSet", "external-secrets-webhook-5d9f7c8b6"), "external-secrets")).toEqual(["probes"]);
      expect(refused(workload("Deployment", spec, "external-secrets-webhook"), "external-secrets")).toEqual(["probes"]);
    });

    test("a StatefulSet's exemption covers its pods", () => {
      const spec = goodPodSpec({ containers: [goodContainer("db", { resources: {} })] });
      expect(refused(workload("StatefulSet", spec, "db"), "data")).toEqual([]);
      expect(refused(ownedPod(spec, "StatefulSet", "db"), "data")).toEqual([]);
      expect(refused(ownedPod(spec, "StatefulSet", "db"), "apps")).toEqual(["resourceLimits"]);
    });

    test("a name with CEL or regex metacharacters stays data", () => {
      const odd = admissionPolicyDefinitions({ allowedRegistries: REGISTRIES, exemptWorkloads: [{ namespace: "x", kind: "Deployment", name: "a.b' || true || '", policies: ["probes"] }] });
      const spec = goodPodSpec({ containers: [goodContainer("app", { readinessProbe: undefined })] });
      for (const [, e] of expressionsOf(byKey("probes", odd))) expect(() => parseCel(e)).not.toThrow();
      expect(Object.keys(refusals(odd, { object: workload("Deployment", spec, "aXb"), namespace: "x" }))).toEqual(["probes"]);
      expect(Object.keys(refusals(odd, { object: workload("ReplicaSet", spec, "aXb-123"), namespace: "x" }))).toEqual(["probes"]);
    });
  });
});

/** The rest of the hardened container context, so a row differs from the good sample in one setting only. */
function rest() {
  const { privileged: _p, ...others } = goodContainer().securityContext as Record<string, unknown>;
  return others;
}

describe("allowed repositories: an entry that is one repository admits its tags and digests, nothing beside or below it", () => {
  const DIGEST = `sha256:${"a".repeat(64)}`;
  const repoDefs = admissionPolicyDefinitions({ allowedRegistries: ["quay.io/prometheus"], allowedRepositories: ["ghcr.io/org/repo"] });
  const registryRefusal = (image: string, from: readonly AdmissionPolicyDefinition[] = repoDefs) =>
    Object.keys(refusals([byKey("allowedRegistries", from)], { object: pod(goodPodSpec({ containers: [goodContainer("app", { image })] })) }));

  test.each([["ghcr.io/org/repo:1.0"], [`ghcr.io/org/repo:1.0@${DIGEST}`], [`ghcr.io/org/repo@${DIGEST}`]])("admits %s", (image) => {
    expect(registryRefusal(image)).toEqual([]);
  });

  test.each([["ghcr.io/org/repo-evil:1.0"], ["ghcr.io/org/other:1.0"], ["ghcr.io/org/repo/sub:1"], ["ghcr.io/org/repox@" + DIGEST], ["ghcr.io/org:1"], ["xghcr.io/org/repo:1"]])("refuses %s", (image) => {
    expect(registryRefusal(image)).toEqual(["allowedRegistries"]);
  });

  test("registry entries keep matching on a path boundary beside repository entries, tagged or not", () => {
    expect(registryRefusal("quay.io/prometheus/prometheus:v3.5.0")).toEqual([]);
    expect(registryRefusal(`quay.io/prometheus/prometheus@${DIGEST}`)).toEqual([]);
    expect(registryRefusal("quay.io/prometheus-evil/x:1")).toEqual(["allowedRegistries"]);
  });

  test("the message names repository entries as such", () => {
    const result = evaluatePolicy(byKey("allowedRegistries", repoDefs), { object: pod(goodPodSpec({ containers: [goodContainer("app", { image: "ghcr.io/org/other:1.0" })] })) });
    expect(result.messages.join("\n")).toMatch(/quay\.io\/prometheus, ghcr\.io\/org\/repo \(repository\)\): container app runs ghcr\.io\/org\/other:1\.0/);
  });

  test("a repository entry with regex metacharacters matches only its own text", () => {
    const dotted = admissionPolicyDefinitions({ allowedRegistries: ["quay.io/prometheus"], allowedRepositories: ["ghcr.io/org/my.repo"] });
    expect(registryRefusal("ghcr.io/org/my.repo:1", dotted)).toEqual([]);
    expect(registryRefusal("ghcr.io/org/myXrepo:1", dotted)).toEqual(["allowedRegistries"]);
  });
});
