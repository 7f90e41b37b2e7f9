import { Testing, TerraformElement, TerraformStack } from "cdktf";
import { ClusterAutoscaler } from "../../../constructs/addons/cluster-autoscaler/cluster-autoscaler";
import { Karpenter } from "../../../constructs/addons/karpenter/karpenter";
import { IstioMesh } from "../../../constructs/addons/istio/istio-mesh";
import { MetricsServer } from "../../../constructs/addons/metrics-server/metrics-server";
import { StorageClasses } from "../../../constructs/addons/storage-classes/storage-classes";
import { Falco } from "../../../constructs/addons/falco/falco";
import { fakeCluster } from "./fake-cluster";

// Construct ids are Terraform addresses: changing one destroys and re-creates the resource in production.
// These lists make every such change a visible, deliberate edit in review.
function paths(build: (stack: TerraformStack) => void): string[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  build(stack);
  return stack.node
    .findAll()
    .filter((c): c is TerraformElement => c instanceof TerraformElement && c.node.path !== stack.node.path)
    .map((c) => c.node.path.replace(/^test\//, ""))
    .sort();
}

describe("construct ids", () => {
  test("MetricsServer", () => {
    expect(paths((s) => new MetricsServer(s, "MetricsServer", { cluster: fakeCluster() }))).toEqual(["MetricsServer/Helm/Release"]);
  });

  test("Karpenter", () => {
    expect(paths((s) => new Karpenter(s, "Karpenter", { cluster: fakeCluster(), nodeRoleArn: "arn:aws:iam::111122223333:role/n" }))).toEqual([
      "Karpenter/CapacityReservationInterruptionRule",
      "Karpenter/CapacityReservationInterruptionTarget",
      "Karpenter/ClusterSecurityGroupDiscoveryTag",
      "Karpenter/HealthEventRule",
      "Karpenter/HealthEventTarget",
      "Karpenter/Helm/Irsa/Policy",
      "Karpenter/Helm/Irsa/PolicyAttachment",
      "Karpenter/Helm/Irsa/PolicyDocument",
      "Karpenter/Helm/Irsa/Role",
      "Karpenter/Helm/Irsa/Trust",
      "Karpenter/Helm/Release",
      "Karpenter/InstanceStateChangeRule",
      "Karpenter/InstanceStateChangeTarget",
      "Karpenter/InterruptionQueue",
      "Karpenter/InterruptionQueuePolicy",
      "Karpenter/InterruptionQueuePolicyDocument",
      "Karpenter/NodeAccessEntry",
      "Karpenter/RebalanceRule",
      "Karpenter/RebalanceTarget",
      "Karpenter/SpotInterruptionRule",
      "Karpenter/SpotInterruptionTarget",
    ]);
  });

  test("ClusterAutoscaler", () => {
    expect(paths((s) => new ClusterAutoscaler(s, "ClusterAutoscaler", { cluster: fakeCluster() }))).toEqual([
      "ClusterAutoscaler/Helm/Irsa/Policy",
      "ClusterAutoscaler/Helm/Irsa/PolicyAttachment",
      "ClusterAutoscaler/Helm/Irsa/PolicyDocument",
      "ClusterAutoscaler/Helm/Irsa/Role",
      "ClusterAutoscaler/Helm/Irsa/Trust",
      "ClusterAutoscaler/Helm/Release",
    ]);
  });

  test("IstioMesh", () => {
    expect(paths((s) => new IstioMesh(s, "IstioMesh", { cluster: fakeCluster() }))).toEqual([
      "IstioMesh/Base/Release",
      "IstioMesh/Cni/Release",
      "IstioMesh/Gateway/Release",
      "IstioMesh/Istiod/Release",
      "IstioMesh/IstiodMetricsFromNodes",
      "IstioMesh/IstiodWebhookFromControlPlane",
      "IstioMesh/IstiodXdsFromNodes",
      "IstioMesh/SidecarAgentFromNodes",
    ]);
  });

  test("StorageClasses", () => {
    expect(paths((s) => new StorageClasses(s, "StorageClasses", { efs: { fileSystemId: "fs-0123456789abcdef0" } }))).toEqual([
      "StorageClasses/Efs",
      "StorageClasses/Gp2NotDefault",
      "StorageClasses/Gp3",
    ]);
  });

  test("Falco", () => {
    expect(paths((s) => new Falco(s, "Falco", { cluster: fakeCluster() }))).toEqual(["Falco/Helm/Release", "Falco/SidekickDisruptionBudget"]);
  });
});
