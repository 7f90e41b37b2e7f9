import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import type { MeshPolicies } from "../constructs/addons/istio/mesh-policies";
import type { PlatformIssuer } from "../constructs/addons/cert-manager/platform-issuer";
import { certManagerAddon, istioAddon } from "../constructs/addons/registry";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentAddons } from "./addon-layer";
import type { SecurityStack } from "./security-stack";

/** What the security-resources layer needs. */
export interface SecurityResourcesStackInputs {
  readonly cluster: ICluster;
  /** The stack whose charts install the mesh and certificate CRDs; this stack deploys after it. */
  readonly security: SecurityStack;
  readonly addons: EnvironmentAddons;
}

/**
 * `<env>-security-resources`: the custom resources the registry's add-ons contribute after the security layer's charts
 * installed their CRDs (mesh-wide mTLS and authorization policies, DestinationRules, certificate issuers).
 */
export class SecurityResourcesStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityResourcesStackInputs) {
    super(scope, config, "security-resources");
    this.addDependency(inputs.security);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access);
  }

  public get meshPolicies(): MeshPolicies {
    return this.addons.contribution<MeshPolicies>(istioAddon, this.layer)!;
  }

  /** The cluster-wide issuer every platform certificate asks for. */
  public get platformIssuer(): PlatformIssuer {
    return this.addons.contribution<PlatformIssuer>(certManagerAddon, this.layer)!;
  }
}
