import {
  hardenedContainerSecurityContext, hardenedPodSecurityContext, missingContainerHardening, missingPodHardening,
} from "../../../lib/kubernetes/security-context";

describe("hardened security contexts", () => {
  test("the shared definitions pass their own checks, as nobody unless ids are given", () => {
    expect(missingContainerHardening(hardenedContainerSecurityContext())).toEqual([]);
    expect(missingPodHardening(hardenedPodSecurityContext())).toEqual([]);
    expect(hardenedPodSecurityContext({ user: 1000, group: 2000 })).toEqual(expect.objectContaining({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 }));
    expect(hardenedContainerSecurityContext().runAsUser).toBe(65534);
  });

  test("each fresh object is independent, so a chart's merge never changes another's", () => {
    const a = hardenedContainerSecurityContext();
    (a.capabilities.drop as string[]).push("X");
    expect(hardenedContainerSecurityContext().capabilities.drop).toEqual(["ALL"]);
  });

  const good = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };
  test.each([
    ["runAsNonRoot", { ...good, runAsNonRoot: false }],
    ["allowPrivilegeEscalation", { ...good, allowPrivilegeEscalation: undefined }],
    ["privileged", { ...good, privileged: true }],
    ["readOnlyRootFilesystem", { ...good, readOnlyRootFilesystem: false }],
    ["capabilities.drop", { ...good, capabilities: { drop: ["NET_RAW"] } }],
    ["capabilities.add", { ...good, capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } }],
    ["seccompProfile", { ...good, seccompProfile: { type: "Unconfined" } }],
  ])("a container context fails when %s is missing or weakened", (setting, context) => {
    expect(missingContainerHardening(context)).toEqual([setting]);
  });

  test("runAsNonRoot and seccomp count from the pod level, as Kubernetes applies them", () => {
    const { runAsNonRoot: _r, seccompProfile: _s, ...container } = good;
    expect(missingContainerHardening(container)).toEqual(["runAsNonRoot", "seccompProfile"]);
    expect(missingContainerHardening(container, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } })).toEqual([]);
  });

  test.each([
    ["runAsNonRoot", { seccompProfile: { type: "RuntimeDefault" } }],
    ["runAsUser", { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } }],
    ["seccompProfile", { runAsNonRoot: true }],
  ])("a pod context fails when %s is missing or root", (setting, context) => {
    expect(missingPodHardening(context)).toEqual([setting]);
  });
});
