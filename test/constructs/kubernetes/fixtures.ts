import { KARPENTER_DEFAULTS } from "../../../constructs/addons/karpenter/karpenter";
import { App, TerraformStack, Testing } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";

/** Two stacks as the platform builds them: one installs a CRD chart, the other holds custom resources. */
export function twoStacks(): { app: App; crdStack: TerraformStack; crStack: TerraformStack; installer: Release & { readonly crds: Readonly<Record<string, string>> } } {
  const app = Testing.app();
  const crdStack = new TerraformStack(app, "crds");
  const crStack = new TerraformStack(app, "resources");
  // A release that says which CRDs it installs, as every platform add-on does (HelmChartDefaults.crds).
  const installer = Object.assign(new Release(crdStack, "Karpenter", { name: "karpenter", chart: "karpenter", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" }), {
    crds: KARPENTER_DEFAULTS.crds!,
  });
  return { app, crdStack, crStack, installer };
}

/** A NodePool the Karpenter v1 CRD accepts. */
export function validNodePool(): INodePool {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "workloads" },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "workloads" },
          requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }],
          expireAfter: "720h",
        },
      },
      disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] },
      limits: { cpu: "10" },
    },
  };
}
