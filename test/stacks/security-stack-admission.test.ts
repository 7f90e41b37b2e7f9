/** The admission part of the security layer: config → AdmissionPolicies props, per environment and per opt-out flag. */
import { admissionPoliciesProps } from "../../stacks/security-stack";
import { ENVIRONMENTS } from "../../environments";
import { ADMISSION_POLICY_KEYS, admissionPolicyDefinitions } from "../../lib/security/admission/policies";
import { PLATFORM_IMAGES } from "../../lib/security/admission/registries";
import type { AdmissionConfig } from "../../lib/config/security/admission";
import { refusals } from "../lib/security/admission/support/evaluate";
import { goodContainer, goodPodSpec, pod } from "../lib/security/admission/support/samples";

const REASON = { reason: "a reason that is long enough to be on record" };

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s admission policy", (name, env) => {
  const admission = env.security.admission;

  test("keeps every policy on: no opt-out in a committed environment", () => {
    expect(admission.optOut ?? {}).toEqual({});
    expect(admissionPoliciesProps(admission).policies).toEqual([...ADMISSION_POLICY_KEYS]);
  });

  test("audits in dev and enforces in staging and prod: a mode chosen per environment, not an opt-out", () => {
    expect(admission.mode).toBe(name === "dev" ? "audit" : "enforce");
  });

  test("allows the environment's own ECR registry and no other account's", () => {
    const ecr = admission.allowedRegistries.filter((r) => r.includes(".dkr.ecr."));
    expect(ecr).toEqual([`${env.account}.dkr.ecr.${env.region}.amazonaws.com`]);
  });

  test("admits every image the platform's own charts run, pinned to a version", () => {
    const defs = admissionPolicyDefinitions({ allowedRegistries: admission.allowedRegistries }).filter((d) => d.key === "allowedRegistries" || d.key === "imageTags");
    const images = Object.values(PLATFORM_IMAGES).flat();
    expect(images.length).toBeGreaterThan(10);
    for (const image of images) {
      expect([image, refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: `${image}:v1.0.0` })] })) })]).toEqual([image, {}]);
    }
    // The same policies refuse the same images unpinned or from elsewhere.
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: `${images[0]}:latest` })] })) }))).toEqual(["imageTags"]);
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: "docker.io/library/nginx:1.27" })] })) }))).toEqual(["allowedRegistries"]);
  });

  test("exempts kube-system from every policy, istio-system from what the CNI agent and istiod need, each named workload from one policy, each with its reason", () => {
    expect(admission.exemptNamespaces.map((e) => [e.namespace, e.policies])).toEqual([
      ["kube-system", [...ADMISSION_POLICY_KEYS]],
      ["istio-system", ["privilegedContainers", "hostNamespaces", "probes"]],
    ]);
    for (const e of [...admission.exemptNamespaces, ...admission.exemptWorkloads, ...admission.probeExemptContainers]) expect(e.reason.length).toBeGreaterThanOrEqual(20);
    for (const w of admission.exemptWorkloads) expect([w.name, w.policies.length]).toEqual([w.name, 1]);
  });

  test("lets only the injected mesh sidecar go without a liveness probe, and nothing else by container name", () => {
    expect(admission.probeExemptContainers.map((c) => [c.name, c.probes])).toEqual([["istio-proxy", ["livenessProbe"]]]);
  });
});

describe("admission opt-outs", () => {
  const base: AdmissionConfig = ENVIRONMENTS[0]!.security.admission;

  test.each(ADMISSION_POLICY_KEYS.map((k) => [k]))("optOut.%s turns off that policy and changes nothing else", (key) => {
    const props = admissionPoliciesProps({ ...base, optOut: { [key]: REASON } });
    const baseline = admissionPoliciesProps(base);
    expect(props.policies).toEqual(ADMISSION_POLICY_KEYS.filter((k) => k !== key));
    expect({ ...props, policies: undefined }).toEqual({ ...baseline, policies: undefined });
  });
});
