import { validateEnvironments } from "../../../../lib/config/validate-environment";
import { configErrorsWith, type Mutable } from "../../../support/config-errors";
import { dev } from "../../../../environments/dev";

/** dev with its `security.admission` changed, validated as a user's file would be; the messages, one per line. */
const messages = (mutate: (a: Mutable) => void): string[] => configErrorsWith(dev, (c) => mutate(c.security.admission));

/** A user's own exemptions (the platform's add-ons bring theirs from the registry), to break in the rules below. */
const withOwnExemptions = (mutate: (a: Mutable) => void) => (a: Mutable) => {
  a.exemptWorkloads.push({ namespace: "payments", kind: "Deployment", name: "legacy-batch", policies: ["probes"], reason: "a vendor image without health endpoints, replaced next quarter" });
  a.probeExemptContainers.push({ name: "vendor-agent", probes: ["livenessProbe"], reason: "a vendor sidecar that restarts itself and offers no liveness endpoint" });
  mutate(a);
};

const REASON = "a reason that is long enough to be on record";

/** A user's own namespace exemption (the shipped environments exempt no namespace: not even kube-system), to break below. */
const withOwnNamespaceExemption = (mutate: (a: Mutable) => void) => (a: Mutable) => {
  a.exemptNamespaces.push({ namespace: "legacy-tools", policies: ["probes"], reason: "vendor tools without health endpoints, retired next quarter" });
  mutate(a);
};

describe("security.admission", () => {
  test("the shipped dev configuration is valid", () => {
    expect(messages(() => undefined)).toEqual([]);
  });

  test("an opt-out with its reason, and exemptions with theirs, are accepted", () => {
    expect(messages((a) => ((a.optOut = { probes: { reason: REASON } }), a.exemptNamespaces.push({ namespace: "falco", policies: ["privilegedContainers"], reason: REASON })))).toEqual([]);
  });

  const rules: Array<[string, (a: Mutable) => void, RegExp]> = [
    ["the mode is unknown", (a) => (a.mode = "warn"), /security\.admission\.mode: .*audit.*enforce/],
    ["no registry is allowed", (a) => (a.allowedRegistries = []), /security\.admission\.allowedRegistries: /],
    ["a registry has a scheme", (a) => (a.allowedRegistries = ["https://quay.io"]), /security\.admission\.allowedRegistries\[0\]: .*a registry host with a dot or port/],
    ["a registry is Docker Hub shorthand", (a) => (a.allowedRegistries = ["bitnami"]), /security\.admission\.allowedRegistries\[0\]: .*a registry host/],
    ["a registry is listed twice", (a) => (a.allowedRegistries = ["quay.io", "quay.io"]), /security\.admission\.allowedRegistries: .*each registry at most once/],
    ["a repository entry is a whole registry", (a) => (a.allowedRepositories = ["ghcr.io"]), /security\.admission\.allowedRepositories\[0\]: .*the repository's path/],
    ["a repository entry carries a tag", (a) => (a.allowedRepositories = ["ghcr.io/org/repo:1.0"]), /security\.admission\.allowedRepositories\[0\]: .*no scheme, tag, digest/],
    ["a repository entry ends with a slash", (a) => (a.allowedRepositories = ["ghcr.io/org/repo/"]), /security\.admission\.allowedRepositories\[0\]: /],
    ["a repository is listed twice", (a) => (a.allowedRepositories = ["ghcr.io/org/repo", "ghcr.io/org/repo"]), /security\.admission\.allowedRepositories: .*each repository at most once/],
    ["a namespace exemption has no reason", withOwnNamespaceExemption((a) => delete a.exemptNamespaces[0].reason), /security\.admission\.exemptNamespaces\[0\]\.reason: /],
    ["a namespace exemption's reason is a word", withOwnNamespaceExemption((a) => (a.exemptNamespaces[0].reason = "needed")), /exemptNamespaces\[0\]\.reason: .*at least 20 characters/],
    ["a namespace exemption names no policy", withOwnNamespaceExemption((a) => (a.exemptNamespaces[0].policies = [])), /exemptNamespaces\[0\]\.policies: /],
    ["a namespace exemption names an unknown policy", withOwnNamespaceExemption((a) => (a.exemptNamespaces[0].policies = ["everything"])), /exemptNamespaces\[0\]\.policies\[0\]: .*privilegedContainers/],
    ["a namespace exemption names a policy twice", withOwnNamespaceExemption((a) => (a.exemptNamespaces[0].policies = ["probes", "probes"])), /exemptNamespaces\[0\]\.policies: .*each policy at most once/],
    ["an exempt namespace is not a namespace name", withOwnNamespaceExemption((a) => (a.exemptNamespaces[0].namespace = "Kube-System")), /exemptNamespaces\[0\]\.namespace: .*RFC 1123 label/],
    ["a namespace is exempted twice", withOwnNamespaceExemption((a) => a.exemptNamespaces.push({ ...a.exemptNamespaces[0] })), /exemptNamespaces\[\d\]\.namespace: .*legacy-tools is listed twice/],
    ["a workload exemption has no reason", withOwnExemptions((a) => delete a.exemptWorkloads[0].reason), /exemptWorkloads\[0\]\.reason: /],
    ["a workload's kind cannot be recognised", withOwnExemptions((a) => (a.exemptWorkloads[0].kind = "Pod")), /exemptWorkloads\[0\]\.kind: .*Deployment.*StatefulSet.*DaemonSet/],
    ["a workload's name is not an object name", withOwnExemptions((a) => (a.exemptWorkloads[0].name = "Node Exporter")), /exemptWorkloads\[0\]\.name: .*RFC 1123 subdomain/],
    ["a workload exemption names no policy", withOwnExemptions((a) => (a.exemptWorkloads[0].policies = [])), /exemptWorkloads\[0\]\.policies: /],
    ["a workload exemption names the Services policy", withOwnExemptions((a) => (a.exemptWorkloads[0].policies = ["serviceExposure"])), /exemptWorkloads\[0\]\.policies\[0\]: .*probes/],
    ["a workload is exempted twice", withOwnExemptions((a) => a.exemptWorkloads.push({ ...a.exemptWorkloads[0] })), /exemptWorkloads\[\d\]: .*is listed twice/],
    ["a probe-exempt container is not a container name", withOwnExemptions((a) => (a.probeExemptContainers[0].name = "Istio Proxy")), /probeExemptContainers\[0\]\.name: .*RFC 1123 label/],
    ["a probe-exempt container names no probe", withOwnExemptions((a) => (a.probeExemptContainers[0].probes = [])), /probeExemptContainers\[0\]\.probes: /],
    ["a probe-exempt container names an unknown probe", withOwnExemptions((a) => (a.probeExemptContainers[0].probes = ["startupProbe"])), /probeExemptContainers\[0\]\.probes\[0\]: .*readinessProbe.*livenessProbe/],
    ["a probe-exempt container has no reason", withOwnExemptions((a) => delete a.probeExemptContainers[0].reason), /probeExemptContainers\[0\]\.reason: /],
    ["a probe-exempt container asks for another policy", withOwnExemptions((a) => (a.probeExemptContainers[0].policies = ["privilegedContainers"])), /probeExemptContainers\[0\]\.policies: .*no field/],
    ["an opt-out flag is unknown", (a) => (a.optOut = { rootFilesystem: { reason: REASON } }), /security\.admission\.optOut\.rootFilesystem: .*no field "rootFilesystem"/],
    ["an opt-out has no reason", (a) => (a.optOut = { probes: {} }), /security\.admission\.optOut\.probes\.reason: /],
    ["an opt-out is a plain boolean", (a) => (a.optOut = { probes: true }), /security\.admission\.optOut\.probes: /],
    ["an unknown key is given", (a) => (a.enabled = false), /security\.admission\.enabled: got false; allowed: no field "enabled" here/],
  ];
  test.each(rules)("fails when %s, naming the field", (_what, mutate, message) => {
    const lines = messages(mutate);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(message);
  });

  test("fails when the section is missing: every environment states its admission mode", () => {
    const copy = structuredClone(dev) as Mutable;
    delete copy.security.admission;
    expect(() => validateEnvironments([copy])).toThrow(/security\.admission: /);
  });
});
