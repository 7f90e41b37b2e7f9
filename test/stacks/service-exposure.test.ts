/**
 * Services that claim traffic not their own, as the synthesized environments stand: a team cannot create a Service
 * with `externalIPs` (kube-proxy would hand it another pod's traffic, e.g. Prometheus' alerts meant for Alertmanager)
 * nor a LoadBalancer or NodePort Service; the admission policy refuses it and the namespace quota backs that with
 * zero load balancers and node ports. Only the ingress gateway's namespace keeps its load balancer.
 */
import { addonNamespaces, enabledAddons } from "../../constructs/addons/registry";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { ISTIO_INGRESS_NAMESPACE } from "../../lib/security/namespaces";
import { ADMISSION_POLICY_NAMES, type AdmissionPolicyDefinition } from "../../lib/security/admission/policies";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { evaluatePolicy } from "../lib/security/admission/support/evaluate";
import { service } from "../lib/security/admission/support/samples";

type Json = Record<string, any>;

/** Every resource of `type` across the environment's stacks, by construct path. */
function resources(env: string, type: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const stack of Object.keys(synthesizedManifest().stacks).filter((s) => s.startsWith(`${env}-`))) {
    const tf = synthesizedStack(stack);
    for (const r of Object.values<Json>(tf.resource?.[type] ?? {})) out[r["//"].metadata.path] = r;
  }
  return out;
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s Service exposure", (name, env) => {
  const manifests = Object.values(resources(name, "kubernetes_manifest")).map((r) => r.manifest);
  const policy = manifests.find((m) => m.kind === "ValidatingAdmissionPolicy" && m.metadata.name === ADMISSION_POLICY_NAMES.serviceExposure);
  const binding = manifests.find((m) => m.kind === "ValidatingAdmissionPolicyBinding" && m.metadata.name === ADMISSION_POLICY_NAMES.serviceExposure);
  // The policy as applied, evaluated with the CEL harness.
  const applied = (): AdmissionPolicyDefinition => ({ key: "serviceExposure", name: policy.metadata.name, description: "", ...policy.spec, resourceRules: policy.spec.matchConstraints.resourceRules });

  test("a policy on Services is applied, bound in the environment's mode, with no exempt namespace (kube-system included)", () => {
    expect(policy?.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"] }]);
    expect(binding.spec.validationActions).toEqual(env.security.admission.mode === "enforce" ? ["Deny"] : ["Audit", "Warn"]);
    expect(binding.spec.matchResources).toBeUndefined();
  });

  test("refuses a team's Service claiming Alertmanager's address, and a team's LoadBalancer or NodePort Service", () => {
    const teamNamespaces = env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const namespace of teamNamespaces) {
      const hijack = evaluatePolicy(applied(), { object: service({ externalIPs: ["10.0.12.34"], ports: [{ port: 9093, targetPort: 8080 }] }), namespace });
      expect([namespace, hijack.allowed, hijack.messages.join()]).toEqual([namespace, false, expect.stringMatching(/spec.externalIPs is not allowed.*10.0.12.34/)]);
      for (const type of ["LoadBalancer", "NodePort"] as const) expect([namespace, type, evaluatePolicy(applied(), { object: service({ type }), namespace }).allowed]).toEqual([namespace, type, false]);
      expect(evaluatePolicy(applied(), { object: service(), namespace }).allowed).toBe(true);
    }
  });

  test("admits the ingress gateway's own Service, as its chart values render it", () => {
    const gateway = Object.values(resources(name, "helm_release")).find((r) => r.chart === "gateway")!;
    const values = parse(gateway.values[0]) as Json;
    expect(values.service.type).toBe("LoadBalancer");
    const object = service({ type: values.service.type, externalTrafficPolicy: values.service.externalTrafficPolicy, ports: values.service.ports }, "istio-ingressgateway");
    expect(evaluatePolicy(applied(), { object, namespace: gateway.namespace })).toEqual({ matched: true, allowed: true, messages: [] });
    expect(gateway.namespace).toBe(ISTIO_INGRESS_NAMESPACE);
  });

  test("every namespace's quota allows no load balancer and no node port, except the gateway's: one, with a node port per Service port", () => {
    const quotas = Object.fromEntries(Object.entries(resources(name, "kubernetes_resource_quota_v1")).filter(([path]) => path.endsWith("/Quota")).map(([path, r]) => [path.split("/").at(-2)!, r.spec.hard]));
    // The namespaces the environment's add-ons run in (prod runs no chaos operator) and its teams'.
    const expected = [...addonNamespaces(enabledAddons(env)).map(({ namespace }) => namespace.name), ...env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces))];
    expect(Object.keys(quotas).sort()).toEqual(expected.sort());
    const gateway = Object.values(resources(name, "helm_release")).find((r) => r.chart === "gateway")!;
    const gatewayPorts = (parse(gateway.values[0]) as Json).service.ports.length;
    for (const [namespace, hard] of Object.entries(quotas)) {
      const open = namespace === ISTIO_INGRESS_NAMESPACE ? { lb: "1", np: String(gatewayPorts) } : { lb: "0", np: "0" };
      expect([namespace, hard["services.loadbalancers"], hard["services.nodeports"]]).toEqual([namespace, open.lb, open.np]);
    }
  });

  test("every namespace's quota bounds its storage: teams, monitoring and tempo by their configuration, the others at none; gp2 at zero claims everywhere", () => {
    const quotas = Object.fromEntries(Object.entries(resources(name, "kubernetes_resource_quota_v1")).filter(([path]) => path.endsWith("/Quota")).map(([path, r]) => [path.split("/").at(-2)!, r.spec.hard]));
    const configured: Record<string, { requestsStorage?: string; persistentVolumeClaims?: number }> = {
      ...Object.fromEntries(env.security.namespaces.teams.flatMap((t) => Object.entries(t.namespaces).map(([n, s]) => [n, s.quota]))),
      monitoring: env.security.namespaces.platform.monitoring!.quota,
      // Tempo's write-ahead log is on a claim.
      tempo: env.security.namespaces.platform.tempo!.quota,
    };
    for (const [namespace, hard] of Object.entries(quotas)) {
      const q = configured[namespace];
      expect([namespace, hard["requests.storage"], hard.persistentvolumeclaims, hard["gp2.storageclass.storage.k8s.io/persistentvolumeclaims"]]).toEqual([
        namespace, q?.requestsStorage ?? "0", String(q?.persistentVolumeClaims ?? 0), "0",
      ]);
    }
    for (const team of env.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces))) {
      expect([team, Number(quotas[team]!.persistentvolumeclaims) > 0, /^\d+Gi$/.test(quotas[team]!["requests.storage"])]).toEqual([team, true, true]);
    }
  });
});
