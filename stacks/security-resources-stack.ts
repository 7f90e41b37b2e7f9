import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { MeshPolicies } from "../constructs/addons/istio/mesh-policies";
import { PlatformIssuer, PlatformIssuerSource } from "../constructs/addons/cert-manager/platform-issuer";
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
  /** The cluster-wide issuer every platform certificate asks for. */
  public readonly platformIssuer: PlatformIssuer;

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
    this.platformIssuer = new PlatformIssuer(this, "PlatformIssuer", {
      certManager: inputs.security.certManager,
      source: issuerSource(config, inputs.security),
      region: config.region,
      access: this.access,
    });
  }
}

function issuerSource(config: EnvironmentConfig, security: SecurityStack): PlatformIssuerSource {
  const issuer = config.security.certManager.issuer;
  switch (issuer.type) {
    case "selfSignedCA":
      return { type: "selfSignedCA", commonName: issuer.commonName, validityDays: issuer.validityDays };
    case "acme":
      return { type: "acme", server: issuer.server, email: issuer.email };
    case "awsPrivateCA":
      // SecurityStack builds the issuer add-on exactly when the configuration asks for AWS Private CA.
      if (!security.awsPrivateCaIssuer) throw new Error(`${security.node.path}: security.certManager.issuer is awsPrivateCA but the security layer has no AWS Private CA issuer`);
      return { type: "awsPrivateCA", privateCa: security.awsPrivateCaIssuer };
  }
}
