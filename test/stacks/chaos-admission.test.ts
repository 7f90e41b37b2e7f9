/**
 * The pods chaos starts, as the operator, runner and experiment build them, judged by staging's admission policies
 * (enforce): the runner, the experiment job, the privileged helper pods and the scheduler's job are admitted in the
 * chaos namespace, and the same privileged helper is refused in a team namespace.
 */
import { admissionPoliciesProps } from "../../stacks/security-stack";
import { ENVIRONMENTS } from "../../environments";
import { admissionPolicyDefinitions } from "../../lib/security/admission/policies";
import { chaosExperimentManifest, CHAOS_NAMESPACE, GO_RUNNER_UID } from "../../constructs/addons/litmus/chaos-experiments";
import { KUBECTL_IMAGE } from "../../constructs/addons/litmus/chaos-schedule";
import { LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG } from "../../constructs/addons/litmus/litmus";
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from "../../lib/kubernetes/security-context";
import { refusals } from "../lib/security/admission/support/evaluate";
import { pod, workload } from "../lib/security/admission/support/samples";

const staging = ENVIRONMENTS.find((e) => e.name === "staging")!;
const props = admissionPoliciesProps(staging);
/** The policies that see a namespace: those its exemptions do not name. */
const policiesIn = (namespace: string) => {
  const exempt = new Set(props.exemptNamespaces.filter((e) => e.namespace === namespace).flatMap((e) => e.policies));
  return admissionPolicyDefinitions(props).filter((d) => !exempt.has(d.key));
};
/** What the namespace's LimitRange writes into a container without resources, before validation. */
const limitRange = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } };

const runner = pod({ restartPolicy: "OnFailure", serviceAccountName: "chaos-payments", containers: [{ name: "chaos-runner", image: `${LITMUS_IMAGE_REGISTRY}/chaos-runner:${LITMUS_IMAGE_TAG}`, resources: limitRange }] });
const experiment = (() => {
  const d = (chaosExperimentManifest("pod-delete", CHAOS_NAMESPACE).spec as any).definition;
  return workload("Job", { restartPolicy: "Never", securityContext: d.securityContext.podSecurityContext, containers: [{ name: "pod-delete", image: d.image, command: d.command, args: d.args, securityContext: d.securityContext.containerSecurityContext, resources: limitRange }] }, "pod-delete-abc12");
})();
// litmus-go 3.29.0's network-chaos helper: privileged, hostPID, NET_ADMIN/SYS_ADMIN, the containerd socket.
const helper = pod({
  restartPolicy: "Never",
  hostPID: true,
  nodeName: "ip-10-0-1-1.eu-west-1.compute.internal",
  volumes: [{ name: "cri-socket", hostPath: { path: "/run/containerd/containerd.sock" } }],
  containers: [{
    name: "pod-network-latency-helper",
    image: `${LITMUS_IMAGE_REGISTRY}/go-runner:${LITMUS_IMAGE_TAG}`,
    securityContext: { privileged: true, capabilities: { add: ["NET_ADMIN", "SYS_ADMIN"] } },
    volumeMounts: [{ name: "cri-socket", mountPath: "/run/containerd/containerd.sock" }],
    resources: limitRange,
  }],
});
const scheduler = workload("CronJob", {
  restartPolicy: "Never",
  securityContext: hardenedPodSecurityContext({ user: GO_RUNNER_UID, group: GO_RUNNER_UID }),
  nodeSelector: { "sre-platform.io/node-role": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  containers: [{ name: "kubectl", image: KUBECTL_IMAGE, securityContext: hardenedContainerSecurityContext({ user: GO_RUNNER_UID, group: GO_RUNNER_UID }), resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } }],
}, "chaos-checkout-api-pods");

describe("staging's admission policies and the pods chaos starts", () => {
  test("enforces in staging", () => {
    expect(props.mode).toBe("enforce");
  });

  test.each([
    ["the chaos runner", runner],
    ["the experiment job", experiment],
    ["a privileged helper pod", helper],
    ["the scheduler's CronJob", scheduler],
  ])("admits %s in the chaos namespace", (_what, object) => {
    expect(refusals(policiesIn(CHAOS_NAMESPACE), { object, namespace: CHAOS_NAMESPACE })).toEqual({});
  });

  test("refuses the same helper pod in a team namespace", () => {
    expect(Object.keys(refusals(policiesIn("payments"), { object: helper, namespace: "payments" })).sort()).toEqual(["hostNamespaces", "hostPathVolumes", "privilegedContainers"]);
  });

  test("refuses an experiment image from upstream's download-counting gateway or unpinned", () => {
    const at = (image: string) => pod({ restartPolicy: "Never", containers: [{ name: "x", image, resources: limitRange }] });
    expect(Object.keys(refusals(policiesIn(CHAOS_NAMESPACE), { object: at("litmuschaos.docker.scarf.sh/litmuschaos/go-runner:3.29.0"), namespace: CHAOS_NAMESPACE }))).toEqual(["allowedRegistries"]);
    expect(Object.keys(refusals(policiesIn(CHAOS_NAMESPACE), { object: at(`${LITMUS_IMAGE_REGISTRY}/go-runner:latest`), namespace: CHAOS_NAMESPACE }))).toEqual(["imageTags"]);
  });
});
