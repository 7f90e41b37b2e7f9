import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { COST_ALLOCATION_TAGS } from "../lib/config/cost-schema";
import { budgetTagFilter } from "../lib/config/validate-cost";
import { Network } from "../constructs/network/network";
import { CostAllocationTags } from "../constructs/cost/cost-allocation-tags";
import { CostBudget } from "../constructs/cost/cost-budget";
import { EnvironmentStack } from "./environment-stack";

/**
 * `<env>-network`: the VPC, its subnets, NAT, flow logs and endpoints; and, deployed first, what the environment's
 * account holds once: the environment's monthly budget with its encrypted notification topic (`cost.budget`) and the
 * activation of its cost-allocation tags (`cost.activateAllocationTags`).
 */
export class NetworkStack extends EnvironmentStack {
  public readonly network: Network;
  /** The environment's budget; undefined without `cost.budget`. */
  public readonly budget?: CostBudget;
  /** The activated cost-allocation tags; undefined unless `cost.activateAllocationTags`. */
  public readonly costAllocationTags?: CostAllocationTags;

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

    const budget = config.cost?.budget;
    const filter = budgetTagFilter(config);
    if (budget !== undefined && filter !== undefined) {
      this.budget = new CostBudget(this, "Budget", {
        name: `${config.name}-monthly`,
        monthlyLimitUsd: budget.monthlyLimitUsd,
        thresholds: budget.thresholds,
        emails: budget.emails,
        costFilterTag: { key: filter.key, value: filter.value },
        preventDestroy: config.protection.preventDestroy,
      });
    }
    if (config.cost?.activateAllocationTags === true) {
      const keys = [...new Set<string>([...COST_ALLOCATION_TAGS, ...(filter ? [filter.key] : [])])];
      this.costAllocationTags = new CostAllocationTags(this, "CostAllocationTags", { tagKeys: keys });
    }
  }
}
