import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { Network } from "../constructs/network/network";
import { EnvironmentStack } from "./environment-stack";

/** `<env>-network`: the VPC, its subnets, NAT, flow logs and endpoints. */
export class NetworkStack extends EnvironmentStack {
  public readonly network: Network;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config, "network");
    this.network = new Network(this, "Network", {
      name: config.name,
      vpcCidr: config.network.vpcCidr,
      availabilityZones: config.availabilityZones.slice(0, config.network.azCount),
      natGateways: config.network.natGateways,
      intraSubnets: config.network.intraSubnets,
      interfaceEndpoints: config.network.interfaceEndpoints,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      clusterName: config.cluster.name,
      preventDestroy: config.protection.preventDestroy,
      organizationId: config.network.organizationId,
    });
  }
}
