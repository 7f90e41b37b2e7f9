import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { EnvironmentStack } from "./environment-stack";
import type { PlatformResourcesStack } from "./platform-resources-stack";

/** What the security layer needs from the layers below. */
export interface SecurityStackInputs {
  readonly cluster: ICluster;
  /** The layer before this one; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
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

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityStackInputs) {
    super(scope, config, "security");
    this.addDependency(inputs.platformResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
  }
}
