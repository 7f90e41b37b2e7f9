/** The admission part of the security layer: config → AdmissionPolicies props, per environment and per opt-out flag. */
import { admissionPoliciesProps } from "../../stacks/security-stack";
import { ENVIRONMENTS } from "../../environments";
import { ADMISSION_POLICY_KEYS, admissionPolicyDefinitions } from "../../lib/security/admission/policies";
import { ADDONS, addonAdmission, enabledAddons } from "../../constructs/addons/registry";
import { eksManagedAddonExemptions } from "../../lib/eks/addon-versions";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
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

  test("exempts no namespace but istio-system (what the CNI agent and istiod need) and, where chaos runs, litmus-chaos: kube-system's EKS add-ons by name, each named workload from one policy, each with its reason", () => {
    expect(props.exemptNamespaces.map((e) => [e.namespace, e.policies])).toEqual([
      ["istio-system", ["privilegedContainers", "hostNamespaces", "probes"]],
      // Where the environment runs chaos experiments whose helper pods enter a target's network or cgroup (dev, staging).
      ...(name === "prod" ? [] : [["litmus-chaos", ["privilegedContainers", "hostNamespaces", "hostPathVolumes"]]]),
    ]);
    const eks = eksManagedAddonExemptions({ efs: env.storage.efs });
    expect(props.exemptWorkloads.filter((w) => w.namespace === "kube-system" && w.name !== "cluster-autoscaler-aws-cluster-autoscaler")).toEqual(eks);
    const byWorkload = new Map<string, string[]>();
    for (const w of eks) byWorkload.set(`${w.kind}/${w.name}`, [...(byWorkload.get(`${w.kind}/${w.name}`) ?? []), ...w.policies]);
    const nodeAgent = ["privilegedContainers", "hostNamespaces", "hostPathVolumes", "allowedRegistries", "resourceLimits", "probes"];
    expect(Object.fromEntries(byWorkload)).toEqual({
      "DaemonSet/aws-node": nodeAgent,
      "Deployment/coredns": ["allowedRegistries"],
      "DaemonSet/kube-proxy": nodeAgent,
      "DaemonSet/eks-pod-identity-agent": nodeAgent,
      "Deployment/ebs-csi-controller": ["allowedRegistries", "resourceLimits", "probes"],
      "DaemonSet/ebs-csi-node": nodeAgent,
      // The EFS CSI driver runs only where the environment has EFS storage.
      ...(env.storage.efs
        ? { "Deployment/efs-csi-controller": ["privilegedContainers", "hostNamespaces", "allowedRegistries", "resourceLimits", "probes"], "DaemonSet/efs-csi-node": nodeAgent }
        : {}),
    });
    const fromAddons = addonAdmission(env);
    const withReasons = [...admission.exemptNamespaces, ...admission.exemptWorkloads, ...admission.probeExemptContainers, ...fromAddons.exemptNamespaces, ...fromAddons.exemptWorkloads, ...fromAddons.probeExemptContainers, ...eks];
    expect(withReasons).toHaveLength(props.exemptNamespaces.length + props.exemptWorkloads.length + props.probeExemptContainers.length);
    for (const e of withReasons) expect(e.reason.length).toBeGreaterThanOrEqual(20);
    for (const w of props.exemptWorkloads) expect([w.name, w.policies.length]).toEqual([w.name, 1]);
  });

  describe("kube-system: only the EKS managed add-ons' workloads are exempt, by name", () => {
    // What the bindings do: a policy whose namespace exemption names kube-system does not see it.
    const exemptHere = new Set(props.exemptNamespaces.filter((e) => e.namespace === "kube-system").flatMap((e) => e.policies));
    const defs = admissionPolicyDefinitions(props).filter((d) => !exemptHere.has(d.key));

    test("no policy's binding leaves kube-system out, and staging and prod refuse (Deny)", () => {
      expect([...exemptHere]).toEqual([]);
      expect(props.mode).toBe(name === "dev" ? "audit" : "enforce");
    });
    const ecr = `602401143452.dkr.ecr.${env.region}.amazonaws.com`;
    /** aws-node as the VPC CNI add-on runs it: privileged init, host network and paths, every taint, system-node-critical, a container without probes. */
    const awsNodeSpec = (): IPodSpec & { containers: Array<{ image?: string }> } => ({
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
      initContainers: [{ name: "aws-vpc-cni-init", image: `${ecr}/amazon-k8s-cni-init:v1.20.4-eksbuild.1`, securityContext: { privileged: true } }],
      containers: [
        { name: "aws-node", image: `${ecr}/amazon-k8s-cni:v1.20.4-eksbuild.1`, resources: { requests: { cpu: "25m" } }, securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } } },
        { name: "aws-eks-nodeagent", image: `${ecr}/amazon/aws-network-policy-agent:v1.2.7-eksbuild.1`, resources: { requests: { cpu: "25m" } }, securityContext: { privileged: true } },
      ],
      volumes: [{ name: "cni-bin-dir", hostPath: { path: "/opt/cni/bin" } }, { name: "xtables-lock", hostPath: { path: "/run/xtables.lock" } }],
    });
    const daemonSetPod = (name: string, spec: IPodSpec, owner: string) =>
      ({ ...pod(spec, { name }), metadata: { name, namespace: "kube-system", ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: owner, uid: "1", controller: true }] } });

    test("the aws-node DaemonSet, and its pods, are admitted", () => {
      expect(refusals(defs, { object: workload("DaemonSet", awsNodeSpec(), "aws-node"), namespace: "kube-system" })).toEqual({});
      expect(refusals(defs, { object: daemonSetPod("aws-node-x7k2p", awsNodeSpec(), "aws-node"), namespace: "kube-system" })).toEqual({});
    });

    test("a pod named evil, privileged, is refused; so is the same spec under any other workload's name", () => {
      const evil = pod(goodPodSpec({ containers: [goodContainer("evil", { securityContext: { privileged: true } })] }), { name: "evil" });
      expect(Object.keys(refusals(defs, { object: { ...evil, metadata: { name: "evil", namespace: "kube-system" } }, namespace: "kube-system" }))).toEqual(["privilegedContainers"]);
      expect(Object.keys(refusals(defs, { object: workload("DaemonSet", awsNodeSpec(), "aws-node-debug"), namespace: "kube-system" })).sort()).toEqual(
        ["allowedRegistries", "hostNamespaces", "hostPathVolumes", "privilegedContainers", "probes", "resourceLimits"],
      );
      // coredns is exempt from the registry only: a privileged coredns is refused.
      const coredns = workload("Deployment", goodPodSpec({ containers: [goodContainer("coredns", { image: `${ecr}/eks/coredns:v1.12.4-eksbuild.1`, securityContext: { privileged: true } })] }), "coredns");
      expect(Object.keys(refusals(defs, { object: coredns, namespace: "kube-system" }))).toEqual(["privilegedContainers"]);
    });

    test("image pinning, the mesh and Service exposure hold in kube-system, for the add-ons too", () => {
      expect(Object.keys(refusals(defs, { object: pod(goodPodSpec({ containers: [goodContainer("debug", { image: "busybox" })] })), namespace: "kube-system" })).sort()).toEqual(["allowedRegistries", "imageTags"]);
      const unpinned = awsNodeSpec();
      unpinned.containers[0]!.image = `${ecr}/amazon-k8s-cni:latest`;
      expect(Object.keys(refusals(defs, { object: workload("DaemonSet", unpinned, "aws-node"), namespace: "kube-system" }))).toEqual(["imageTags"]);
      expect(Object.keys(refusals(defs, { object: service({ type: "LoadBalancer" }), namespace: "kube-system" }))).toEqual(["serviceExposure"]);
    });
  });

  test("lets only the injected mesh sidecar go without a liveness probe, and nothing else by container name", () => {
    expect(props.probeExemptContainers.map((c) => [c.name, c.probes])).toEqual([["istio-proxy", ["livenessProbe"]]]);
  });

  test("exempts the chaos namespace only while a configured experiment needs privileged helper pods", () => {
    if (name === "prod") return;
    const podDeleteOnly: EnvironmentConfig = structuredClone(env);
    for (const t of podDeleteOnly.chaos.litmus.targets ?? []) (t as { experiments: unknown }).experiments = { "pod-delete": {} };
    expect(admissionPoliciesProps(podDeleteOnly).exemptNamespaces.map((e) => e.namespace)).not.toContain("litmus-chaos");
    expect(props.exemptNamespaces.map((e) => e.namespace)).toContain("litmus-chaos");
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
  expect(props.exemptWorkloads).toHaveLength(fromAddons.exemptWorkloads.length + eksManagedAddonExemptions({ efs: env.storage.efs }).length);
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
