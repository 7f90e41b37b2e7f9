import { execFileSync } from "node:child_process";
import { Testing, TerraformStack } from "cdktf";
import { AdmissionPolicies, AdmissionPoliciesProps } from "../../../constructs/security/admission-policies";
import { ADMISSION_POLICY_KEYS, ADMISSION_POLICY_NAMES, AdmissionPolicyKey, POD_POLICY_KEYS } from "../../../lib/security/admission/policies";

type Json = Record<string, any>;
const REGISTRIES = ["quay.io/prometheus"];

function build(props: Partial<AdmissionPoliciesProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "security");
  const construct = new AdmissionPolicies(stack, "AdmissionPolicies", { allowedRegistries: REGISTRIES, ...props });
  const manifests = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Record<string, Json>;
  return { construct, manifests };
}
const ofKind = (manifests: Record<string, Json>, kind: string) => Object.values(manifests).filter((m) => m.manifest.kind === kind).map((m) => m.manifest);

describe("AdmissionPolicies", () => {
  test("one ValidatingAdmissionPolicy and one binding per policy, keyed by what it is, failing closed", () => {
    const { manifests } = build();
    const ids = Object.keys(manifests).map((k) => k.replace(/^AdmissionPolicies_/, "").replace(/_[0-9A-F]{8}$/, "")).sort();
    expect(ids).toEqual(ADMISSION_POLICY_KEYS.flatMap((k) => [`${k[0]!.toUpperCase()}${k.slice(1)}Binding`, `${k[0]!.toUpperCase()}${k.slice(1)}Policy`]).sort());
    const policies = ofKind(manifests, "ValidatingAdmissionPolicy");
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(Object.values(ADMISSION_POLICY_NAMES).sort());
    for (const p of policies) {
      expect(p.apiVersion).toBe("admissionregistration.k8s.io/v1");
      expect(p.spec.failurePolicy).toBe("Fail");
      expect(p.spec.validations.length).toBeGreaterThan(0);
    }
    const bindings = ofKind(manifests, "ValidatingAdmissionPolicyBinding");
    expect(bindings.map((b) => b.spec.policyName).sort()).toEqual(Object.values(ADMISSION_POLICY_NAMES).sort());
  });

  test("every object validates against the upstream Kubernetes API schema, and a broken one does not", () => {
    // kubernetes-models is ESM only, so its validator runs in a child node process on the synthesized objects.
    const validate = (objects: Json[]) =>
      execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import fs from "node:fs";
           import { ValidatingAdmissionPolicy as P } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
           import { ValidatingAdmissionPolicyBinding as B } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
           const objects = JSON.parse(fs.readFileSync(0, "utf8"));
           for (const o of objects) (o.kind === "ValidatingAdmissionPolicy" ? new P(o) : new B(o)).validate();
           console.log(objects.length);`,
        ],
        { input: JSON.stringify(objects), cwd: process.cwd(), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
      ).trim();
    const { manifests } = build({ mode: "audit", exemptNamespaces: [{ namespace: "kube-system", policies: ["probes"] }] });
    const objects = Object.values(manifests).map((m) => m.manifest);
    expect(validate(objects)).toBe(String(ADMISSION_POLICY_KEYS.length * 2));
    const policy = objects.find((o) => o.kind === "ValidatingAdmissionPolicy")!;
    const broken = { ...policy, spec: { ...policy.spec, failurePolicy: "Sometimes" } };
    expect(() => validate([broken])).toThrow(/failurePolicy must be equal to one of the allowed values/);
  });

  test("each binding waits for its policy", () => {
    const { manifests } = build();
    const binding = Object.entries(manifests).find(([k]) => k.includes("ProbesBinding"))![1];
    const policyKey = Object.keys(manifests).find((k) => k.includes("ProbesPolicy"))!;
    expect(binding.depends_on).toEqual([`kubernetes_manifest.${policyKey}`]);
  });

  test("enforces by default; audit mode records and warns instead", () => {
    const enforce = build();
    expect(enforce.construct.mode).toBe("enforce");
    for (const b of ofKind(enforce.manifests, "ValidatingAdmissionPolicyBinding")) expect(b.spec.validationActions).toEqual(["Deny"]);
    const audit = build({ mode: "audit" });
    for (const b of ofKind(audit.manifests, "ValidatingAdmissionPolicyBinding")) expect(b.spec.validationActions).toEqual(["Audit", "Warn"]);
  });

  test("a namespace is exempt from exactly the policies named, by its immutable name label", () => {
    const { manifests } = build({
      exemptNamespaces: [
        { namespace: "kube-system", policies: [...ADMISSION_POLICY_KEYS] },
        { namespace: "falco", policies: ["privilegedContainers", "hostNamespaces"] },
      ],
    });
    const selectors = Object.fromEntries(ofKind(manifests, "ValidatingAdmissionPolicyBinding").map((b) => [b.spec.policyName, b.spec.matchResources?.namespaceSelector]));
    const notIn = (values: string[]) => ({ matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values }] });
    expect(selectors[ADMISSION_POLICY_NAMES.privilegedContainers]).toEqual(notIn(["falco", "kube-system"]));
    expect(selectors[ADMISSION_POLICY_NAMES.hostNamespaces]).toEqual(notIn(["falco", "kube-system"]));
    expect(selectors[ADMISSION_POLICY_NAMES.probes]).toEqual(notIn(["kube-system"]));
    expect(ofKind(build().manifests, "ValidatingAdmissionPolicyBinding").every((b) => b.spec.matchResources === undefined)).toBe(true);
  });

  test("a named workload's exemption is rendered into the policies it names, and no other", () => {
    const { manifests } = build({ exemptWorkloads: [{ namespace: "monitoring", kind: "DaemonSet", name: "node-exporter", policies: ["hostNamespaces"] }] });
    const exempt = Object.fromEntries(ofKind(manifests, "ValidatingAdmissionPolicy").map((p) => [p.metadata.name, p.spec.variables.find((v: Json) => v.name === "exempt")?.expression]));
    expect(exempt[ADMISSION_POLICY_NAMES.hostNamespaces]).toContain("'node-exporter'");
    for (const key of POD_POLICY_KEYS.filter((k) => k !== "hostNamespaces")) expect(exempt[ADMISSION_POLICY_NAMES[key]]).toBe("false");
    // The Services policy has no workload exemption at all: no workload owns a Service.
    expect(exempt[ADMISSION_POLICY_NAMES.serviceExposure]).toBeUndefined();
  });

  test.each(ADMISSION_POLICY_KEYS.map((k) => [k]))("leaving %s out removes its policy and binding, and nothing else", (left: AdmissionPolicyKey) => {
    const all = build().manifests;
    const fewer = build({ policies: ADMISSION_POLICY_KEYS.filter((k) => k !== left) }).manifests;
    const without = Object.fromEntries(Object.entries(all).filter(([, m]) => m.manifest.metadata.name !== ADMISSION_POLICY_NAMES[left]));
    expect(Object.keys(all).length - Object.keys(fewer).length).toBe(2);
    expect(fewer).toEqual(without);
  });

  const fails: Array<[string, Partial<AdmissionPoliciesProps>, RegExp]> = [
    ["the mode is unknown", { mode: "dry-run" as never }, /mode: got "dry-run"; allowed: audit or enforce/],
    ["no registry is allowed", { allowedRegistries: [] }, /allowedRegistries: got \[\]; allowed: at least one registry/],
    ["a registry has a scheme", { allowedRegistries: ["https://quay.io"] }, /allowedRegistries\[0\]: got "https:\/\/quay.io"; allowed: a registry host/],
    ["a registry is Docker Hub shorthand", { allowedRegistries: ["library"] }, /allowedRegistries\[0\]: got "library"/],
    ["a registry ends with a slash", { allowedRegistries: ["quay.io/prometheus/"] }, /allowedRegistries\[0\]/],
    ["a repository entry is a whole registry", { allowedRepositories: ["ghcr.io"] }, /allowedRepositories\[0\]: got "ghcr.io"; allowed: a registry host with a dot or port and the repository's path/],
    ["a repository entry carries a digest", { allowedRepositories: ["ghcr.io/org/repo@sha256:abc"] }, /allowedRepositories\[0\]: got "ghcr.io\/org\/repo@sha256:abc"/],
    ["a policy is unknown", { policies: ["noRoot" as never] }, /policies\[0\]: got "noRoot"; allowed: one of privilegedContainers/],
    ["an exempt namespace is not a namespace name", { exemptNamespaces: [{ namespace: "Kube_System", policies: ["probes"] }] }, /exemptNamespaces\[0\]\.namespace: got "Kube_System"/],
    ["a namespace exemption names no policy", { exemptNamespaces: [{ namespace: "falco", policies: [] }] }, /exemptNamespaces\[0\]\.policies: got \[\]; allowed: at least one of/],
    ["a namespace exemption names an unknown policy", { exemptNamespaces: [{ namespace: "falco", policies: ["all" as never] }] }, /exemptNamespaces\[0\]\.policies\[0\]: got "all"/],
    ["an exempt workload's namespace is not a namespace name", { exemptWorkloads: [{ namespace: "a b", kind: "DaemonSet", name: "x", policies: ["probes"] }] }, /exemptWorkloads\[0\]\.namespace: got "a b"/],
    ["an exempt workload's name is not an object name", { exemptWorkloads: [{ namespace: "a", kind: "DaemonSet", name: "X!", policies: ["probes"] }] }, /exemptWorkloads\[0\]\.name: got "X!"/],
    ["an exempt workload's kind cannot be recognised", { exemptWorkloads: [{ namespace: "a", kind: "Pod" as never, name: "x", policies: ["probes"] }] }, /exemptWorkloads\[0\]\.kind: got "Pod"; allowed: Deployment, StatefulSet, DaemonSet/],
    ["a workload exemption names no policy", { exemptWorkloads: [{ namespace: "a", kind: "DaemonSet", name: "x", policies: [] }] }, /exemptWorkloads\[0\]\.policies: got \[\]/],
    ["a workload exemption names an unknown policy", { exemptWorkloads: [{ namespace: "a", kind: "DaemonSet", name: "x", policies: ["root" as never] }] }, /exemptWorkloads\[0\]\.policies\[0\]: got "root"/],
    ["a workload exemption names the Services policy", { exemptWorkloads: [{ namespace: "a", kind: "Deployment", name: "x", policies: ["serviceExposure" as never] }] }, /exemptWorkloads\[0\]\.policies\[0\]: got "serviceExposure"; allowed: one of privilegedContainers.*probes, systemPlacement, meshBypass, hostPathVolumes \(a workload is exempt from pod policies only/],
    ["a probe-exempt container is not a container name", { probeExemptContainers: [{ name: "Sidecar!", probes: ["livenessProbe"] }] }, /probeExemptContainers\[0\]\.name: got "Sidecar!"/],
    ["a probe-exempt container names no probe", { probeExemptContainers: [{ name: "sidecar", probes: [] }] }, /probeExemptContainers\[0\]\.probes: got \[\]; allowed: one or more of readinessProbe, livenessProbe/],
    ["a probe-exempt container names an unknown probe", { probeExemptContainers: [{ name: "sidecar", probes: ["startupProbe" as never] }] }, /probeExemptContainers\[0\]\.probes: got \["startupProbe"\]/],
  ];
  test.each(fails)("fails when %s, naming the construct path and field", (_what, props, message) => {
    expect(() => build(props)).toThrow(message);
    expect(() => build(props)).toThrow(/^security\/AdmissionPolicies: /);
  });
});
