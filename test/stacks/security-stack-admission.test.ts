/** The admission part of the security layer: config → AdmissionPolicies props, per environment and per opt-out flag. */
import { admissionPoliciesProps } from "../../stacks/security-stack";
import { ENVIRONMENTS } from "../../environments";
import { ADMISSION_POLICY_KEYS, admissionPolicyDefinitions } from "../../lib/security/admission/policies";
import { ADDONS, addonAdmission, enabledAddons } from "../../constructs/addons/registry";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { refusals } from "../lib/security/admission/support/evaluate";
import { goodContainer, goodPodSpec, pod, service, workload } from "../lib/security/admission/support/samples";

const REASON = { reason: "a reason that is long enough to be on record" };

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s admission policy", (name, env) => {
  const admission = env.security.admission;
  const props = admissionPoliciesProps(env);

  test("keeps every policy on: no opt-out in a committed environment", () => {
    expect(admission.optOut ?? {}).toEqual({});
    expect(props.policies).toEqual([...ADMISSION_POLICY_KEYS]);
  });

  test("audits in dev and enforces in staging and prod: a mode chosen per environment, not an opt-out", () => {
    expect(admission.mode).toBe(name === "dev" ? "audit" : "enforce");
  });

  test("allows the environment's own ECR registry and no other account's", () => {
    const ecr = props.allowedRegistries.filter((r) => r.includes(".dkr.ecr."));
    expect(ecr).toEqual([`${env.account}.dkr.ecr.${env.region}.amazonaws.com`]);
  });

  test("admits every image the environment's add-ons run, pinned to a version, and no registry no add-on needs", () => {
    const defs = admissionPolicyDefinitions({ allowedRegistries: props.allowedRegistries, allowedRepositories: props.allowedRepositories }).filter((d) => d.key === "allowedRegistries" || d.key === "imageTags");
    const images = enabledAddons(env).flatMap((a) => a.images);
    const platformRegistries = props.allowedRegistries.filter((r) => !r.includes(".dkr.ecr."));
    expect(platformRegistries.filter((r) => !images.some((i) => i.startsWith(`${r}/`)))).toEqual([]);
    expect(props.allowedRepositories.filter((r) => !images.includes(r))).toEqual([]);
    expect(images.length).toBeGreaterThan(10);
    for (const image of images) {
      // Both shapes a pinned image takes: a tag, and a tag with its digest.
      for (const ref of [`${image}:v1.0.0`, `${image}:v1.0.0@sha256:${"0".repeat(64)}`]) {
        expect([ref, refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: ref })] })) })]).toEqual([ref, {}]);
      }
    }
    // The same policies refuse the same images unpinned or from elsewhere.
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: `${images[0]}:latest` })] })) }))).toEqual(["imageTags"]);
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image: "docker.io/library/nginx:1.27" })] })) }))).toEqual(["allowedRegistries"]);
  });

  test("exempts kube-system from what the EKS managed add-ons need, istio-system from what the CNI agent and istiod need, each named workload from one policy, each with its reason", () => {
    expect(props.exemptNamespaces.map((e) => [e.namespace, e.policies])).toEqual([
      ["kube-system", ["privilegedContainers", "hostNamespaces", "hostPathVolumes", "allowedRegistries", "resourceLimits", "probes"]],
      ["istio-system", ["privilegedContainers", "hostNamespaces", "probes"]],
    ]);
    const fromAddons = addonAdmission(env);
    const withReasons = [...admission.exemptNamespaces, ...admission.exemptWorkloads, ...admission.probeExemptContainers, ...fromAddons.exemptNamespaces, ...fromAddons.exemptWorkloads, ...fromAddons.probeExemptContainers];
    expect(withReasons).toHaveLength(props.exemptNamespaces.length + props.exemptWorkloads.length + props.probeExemptContainers.length);
    for (const e of withReasons) expect(e.reason.length).toBeGreaterThanOrEqual(20);
    for (const w of props.exemptWorkloads) expect([w.name, w.policies.length]).toEqual([w.name, 1]);
  });

  test("checks kube-system for image pinning, system placement and Service exposure: an EKS node agent is admitted, an unpinned debug image or an exposed Service is not", () => {
    // What the binding does: a policy whose exemption names kube-system does not see it.
    const exempt = new Set(props.exemptNamespaces.filter((e) => e.namespace === "kube-system").flatMap((e) => e.policies));
    const defs = admissionPolicyDefinitions(props).filter((d) => !exempt.has(d.key));
    expect(defs.map((d) => d.key).sort()).toEqual(["imageTags", "meshBypass", "serviceExposure", "systemPlacement"]);
    const ecr = `602401143452.dkr.ecr.${env.region}.amazonaws.com`;
    // aws-node as the VPC CNI add-on runs it: privileged init, host network and paths, every taint, system-node-critical.
    const awsNode = workload("DaemonSet", {
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
      initContainers: [{ name: "aws-vpc-cni-init", image: `${ecr}/amazon-k8s-cni-init:v1.20.4-eksbuild.1`, securityContext: { privileged: true } }],
      containers: [{ name: "aws-node", image: `${ecr}/amazon-k8s-cni:v1.20.4-eksbuild.1`, resources: { requests: { cpu: "25m" } } }],
      volumes: [{ name: "cni-bin-dir", hostPath: { path: "/opt/cni/bin" } }],
    }, "aws-node");
    expect(refusals(defs, { object: awsNode, namespace: "kube-system" })).toEqual({});
    expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("debug", { image: "busybox" })] })), namespace: "kube-system" }))).toEqual(["imageTags"]);
    expect(Object.keys(refusals(defs, { object: service({ type: "LoadBalancer" }), namespace: "kube-system" }))).toEqual(["serviceExposure"]);
  });

  test("lets only the injected mesh sidecar go without a liveness probe, and nothing else by container name", () => {
    expect(props.probeExemptContainers.map((c) => [c.name, c.probes])).toEqual([["istio-proxy", ["livenessProbe"]]]);
  });

  test("takes the add-ons' registries and exemptions from the registry, only for the add-ons it runs", () => {
    const withoutFalco: EnvironmentConfig = structuredClone(env);
    withoutFalco.security.falco.optOut.runtimeDetection = REASON;
    const falco = ADDONS.find((a) => a.name === "falco")!;
    expect(props.allowedRegistries).toEqual(expect.arrayContaining([...falco.registries]));
    expect(admissionPoliciesProps(withoutFalco).allowedRegistries.filter((r) => falco.registries.includes(r))).toEqual([]);
  });
});

describe("admission opt-outs", () => {
  const base: EnvironmentConfig = ENVIRONMENTS[0]!;

  test.each(ADMISSION_POLICY_KEYS.map((k) => [k]))("optOut.%s turns off that policy and changes nothing else", (key) => {
    const props = admissionPoliciesProps({ ...base, security: { ...base.security, admission: { ...base.security.admission, optOut: { [key]: REASON } } } });
    const baseline = admissionPoliciesProps(base);
    expect(props.policies).toEqual(ADMISSION_POLICY_KEYS.filter((k) => k !== key));
    expect({ ...props, policies: undefined }).toEqual({ ...baseline, policies: undefined });
  });
});

test("an environment that still lists an add-on's own registry and exemption gets each once", () => {
  const env = structuredClone(ENVIRONMENTS[0]!);
  const fromAddons = addonAdmission(env);
  env.security.admission.allowedRegistries.unshift("quay.io/jetstack");
  env.security.admission.exemptWorkloads.push({ ...fromAddons.exemptWorkloads[0]! });
  const props = admissionPoliciesProps(env);
  expect(props.allowedRegistries.filter((r) => r === "quay.io/jetstack")).toHaveLength(1);
  expect(props.exemptWorkloads).toHaveLength(fromAddons.exemptWorkloads.length);
});

test("no allowed entry is a personal namespace or a whole third-party organisation the platform takes one image from: those are repositories", () => {
  for (const env of ENVIRONMENTS) {
    const props = admissionPoliciesProps(env);
    for (const org of ["ghcr.io/jkroepke", "docker.io/grafana", "quay.io/kiwigrid"]) expect([env.name, props.allowedRegistries.filter((r) => org.startsWith(r) || r.startsWith(org))]).toEqual([env.name, []]);
    expect(props.allowedRepositories).toEqual(expect.arrayContaining(["ghcr.io/jkroepke/kube-webhook-certgen", "docker.io/grafana/grafana", "quay.io/kiwigrid/k8s-sidecar"]));
    // The synthesized policy refuses a neighbour of the one repository and admits its pinned images.
    const defs = admissionPolicyDefinitions({ allowedRegistries: props.allowedRegistries, allowedRepositories: props.allowedRepositories }).filter((d) => d.key === "allowedRegistries");
    const refused = (image: string) => Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("c", { image })] })) }));
    expect(refused("ghcr.io/jkroepke/other:1.0")).toEqual(["allowedRegistries"]);
    expect(refused("docker.io/grafana/loki:3.0.0")).toEqual(["allowedRegistries"]);
    expect(refused(`docker.io/grafana/grafana:12.1.0@sha256:${"0".repeat(64)}`)).toEqual([]);
  }
});
