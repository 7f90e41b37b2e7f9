import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { IstioMesh } from "../constructs/addons/istio/istio-mesh";
import { ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE, meshNamespaceLabels } from "../lib/security/namespaces";
import { EnvironmentStack } from "./environment-stack";
import type { PlatformResourcesStack } from "./platform-resources-stack";
import { systemNodePlacement } from "./platform-stack";

/** What the security layer needs from the layers below. */
export interface SecurityStackInputs {
  readonly cluster: ICluster;
  /** The layer before this one; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
}

/** Pod Security Standards level a namespace enforces (the namespace baseline owns these labels once it lands). */
function podSecurity(level: "privileged" | "baseline" | "restricted"): Record<string, string> {
  return { "pod-security.kubernetes.io/enforce": level, "pod-security.kubernetes.io/warn": level, "pod-security.kubernetes.io/audit": level };
}

/**
 * `<env>-security`: the zero-trust controllers and core policy objects — the mesh (Istio base, istiod, CNI, ingress
 * gateway), runtime detection (Falco), cert-manager, the namespace baseline and the admission policy. Their charts
 * install the CRDs of the mesh and certificate resources, which therefore live one layer later, in
 * `<env>-security-resources`. Before observability, so the monitoring stack lands on namespaces and policies
 * that already hold.
 */
export class SecurityStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly mesh: IstioMesh;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityStackInputs) {
    super(scope, config, "security");
    this.addDependency(inputs.platformResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const managed = { "app.kubernetes.io/managed-by": "sre-platform" };
    // The CNI node agent (a DaemonSet here) needs host paths, root and NET_ADMIN/SYS_ADMIN to set up each pod's
    // redirection: only `privileged` admits it. istiod itself meets `restricted`.
    const istioSystem = new NamespaceV1(this, "IstioSystemNamespace", {
      provider: this.access.kubernetesProvider,
      metadata: { name: ISTIO_SYSTEM_NAMESPACE, labels: { ...managed, ...podSecurity("privileged"), ...meshNamespaceLabels("none") } },
    });
    // The gateway is an injected pod (template `gateway`): its namespace is in the mesh, and it meets `restricted`.
    const istioIngress = new NamespaceV1(this, "IstioIngressNamespace", {
      provider: this.access.kubernetesProvider,
      metadata: { name: ISTIO_INGRESS_NAMESPACE, labels: { ...managed, ...podSecurity("restricted"), ...meshNamespaceLabels("sidecar") } },
    });
    const m = config.security.mesh;
    this.mesh = new IstioMesh(this, "IstioMesh", {
      cluster: inputs.cluster,
      access: this.access,
      createNamespaces: false,
      dependsOn: [istioSystem, istioIngress],
      istiod: m.istiod,
      gateway: m.gateway,
      cni: m.cni,
      spreadAcrossZones: m.spreadAcrossZones,
      internetFacingIngress: m.optOut.privateIngress !== undefined,
      systemNodePlacement: systemNodePlacement(config.cluster.nodeGroups),
    });
  }
}
