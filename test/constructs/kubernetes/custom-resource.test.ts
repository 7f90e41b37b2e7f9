import { Testing } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { CustomResource } from "../../../constructs/kubernetes/custom-resource";
import { twoStacks, validNodePool } from "./fixtures";

describe("CustomResource", () => {
  test("applies the object as a kubernetes_manifest in a stack that depends on the CRD's stack", () => {
    const { crStack, crdStack, installer } = twoStacks();
    const cr = new CustomResource(crStack, "Workloads", { manifest: validNodePool(), installedBy: installer });
    expect(Testing.synth(crStack)).toHaveResourceWithProperties(Manifest, { manifest: expect.objectContaining({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "workloads" } }) });
    expect(crStack.dependencies).toEqual([crdStack]);
    expect(cr.installerStack).toBe(crdStack);
  });

  test("waits for the conditions asked for, and for nothing by default", () => {
    const { crStack, installer } = twoStacks();
    new CustomResource(crStack, "Waits", { manifest: validNodePool(), installedBy: installer, waitForConditions: [{ type: "Ready", status: "True" }] });
    new CustomResource(crStack, "NoWait", { manifest: { ...validNodePool(), metadata: { name: "other" } }, installedBy: installer });
    const manifests = JSON.parse(Testing.synth(crStack)).resource.kubernetes_manifest as Record<string, Record<string, any>>;
    const byName = Object.fromEntries(Object.values(manifests).map((m) => [m.manifest.metadata.name, m.wait]));
    expect(byName).toEqual({ workloads: { condition: [{ type: "Ready", status: "True" }] }, other: undefined });
  });

  test("accepts the live value of the computed fields asked for, keeping the provider's own, and sets none by default", () => {
    const { crStack, installer } = twoStacks();
    new CustomResource(crStack, "Computed", { manifest: validNodePool(), installedBy: installer, computedFields: ["spec.limits"] });
    new CustomResource(crStack, "Plain", { manifest: { ...validNodePool(), metadata: { name: "other" } }, installedBy: installer });
    const manifests = JSON.parse(Testing.synth(crStack)).resource.kubernetes_manifest as Record<string, Record<string, any>>;
    const byName = Object.fromEntries(Object.values(manifests).map((m) => [m.manifest.metadata.name, m.computed_fields]));
    expect(byName).toEqual({ workloads: ["metadata.labels", "metadata.annotations", "spec.limits"], other: undefined });
  });

  test("fails when it is built in the stack that installs its CRD", () => {
    const { crdStack, installer } = twoStacks();
    expect(() => new CustomResource(crdStack, "Workloads", { manifest: validNodePool(), installedBy: installer })).toThrow(
      /^crds\/Workloads: installedBy: got "crds\/Karpenter"; allowed: a release in an earlier stack/,
    );
  });

  test("fails at synth when a field breaks the CRD schema, naming the construct path and the field", () => {
    const { crStack, installer } = twoStacks();
    const bad = validNodePool();
    const manifest = { ...bad, spec: { ...bad.spec, disruption: { ...bad.spec.disruption, budgets: [{ nodes: "all of them" }] } } };
    expect(() => new CustomResource(crStack, "Workloads", { manifest, installedBy: installer })).toThrow(
      /^resources\/Workloads: manifest\.spec\.disruption\.budgets\[0\]\.nodes: got "all of them"; allowed: a value that must match pattern/,
    );
  });

  test("fails when the installer does not install the kind's CRD", () => {
    const { crStack, installer } = twoStacks();
    expect(() => new CustomResource(crStack, "Widget", { manifest: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }, installedBy: installer })).toThrow(
      /manifest\.apiVersion: got "example\.com\/v1\/Widget"; allowed: a kind whose CRD the installer \(crds\/Karpenter\) installs: karpenter\.sh\/v1\/NodePool, karpenter\.k8s\.aws\/v1\/EC2NodeClass/,
    );
    // A kind the platform knows, but from another add-on's chart: the stack order would not hold its CRD.
    const rule = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "r", namespace: "monitoring" }, spec: { groups: [] } };
    expect(() => new CustomResource(crStack, "Rule", { manifest: rule, installedBy: installer })).toThrow(/manifest\.apiVersion: got "monitoring\.coreos\.com\/v1\/PrometheusRule"; allowed: a kind whose CRD the installer/);
  });

  test("fails when the object has no valid name", () => {
    const { crStack, installer } = twoStacks();
    expect(() => new CustomResource(crStack, "Workloads", { manifest: { ...validNodePool(), metadata: { name: "Work_Loads" } }, installedBy: installer })).toThrow(
      /manifest\.metadata\.name: got "Work_Loads"; allowed: a Kubernetes object name/,
    );
  });

  test("fails when the namespace is not a namespace name", () => {
    const { crStack, installer } = twoStacks();
    expect(() => new CustomResource(crStack, "Workloads", { manifest: { ...validNodePool(), metadata: { name: "w", namespace: "Bad NS" } }, installedBy: installer })).toThrow(
      /manifest\.metadata\.namespace: got "Bad NS"/,
    );
  });
});
