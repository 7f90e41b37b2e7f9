import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { MeshPolicies } from "../constructs/addons/istio/mesh-policies";
import { EnvironmentStack } from "./environment-stack";
import type { SecurityStack } from "./security-stack";

/** What the security-resources layer needs. */
export interface SecurityResourcesStackInputs {
  readonly cluster: ICluster;
  /** The stack whose charts install the mesh and certificate CRDs; this stack deploys after it. */
  readonly security: SecurityStack;
}

/**
 * `<env>-security-resources`: the custom resources of the security layer's controllers (mesh-wide mTLS and
 * authorization policies, DestinationRules, certificate issuers), after the stack whose charts install their CRDs.
 */
export class SecurityResourcesStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly meshPolicies: MeshPolicies;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityResourcesStackInputs) {
    super(scope, config, "security-resources");
    this.addDependency(inputs.security);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const m = config.security.mesh;
    this.meshPolicies = new MeshPolicies(this, "MeshPolicies", {
      installedBy: inputs.security.mesh.base,
      access: this.access,
      expose: m.expose,
      webhooks: m.webhooks,
      optOut: {
        permissiveMtls: m.optOut.permissiveMtls !== undefined,
        defaultDenyAuthorization: m.optOut.defaultDenyAuthorization !== undefined,
        istioMutualDestinationRule: m.optOut.istioMutualDestinationRule !== undefined,
      },
    });
  }
}
