import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { shared } from "./defaults";
import { nodeRoleLabels } from "../lib/kubernetes/labels";

/**
 * staging: prod's shape at a smaller size. Three AZs, a NAT gateway per AZ, a private API endpoint,
 * on-demand system nodes plus spot workload nodes, so failover and upgrades rehearse what prod does.
 */
export const staging: EnvironmentConfig = {
  name: "staging",
  account: "222222222222",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { ...shared.network, reservedCidrs: [...shared.network.reservedCidrs], interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"], vpcCidr: "10.20.0.0/16", azCount: 3, natGateways: "per-az" },
  cluster: {
    ...shared.cluster,
    publicAccessCidrs: [],
    adminRoleArns: ["arn:aws:iam::222222222222:role/platform-admin"],
    name: "staging-platform",
    deletionProtection: false,
    nodeGroups: [
      {
        name: "system",
        instanceTypes: ["m7i.large"],
        capacityType: "ON_DEMAND",
        minSize: 2,
        maxSize: 3,
        desiredSize: 2,
        diskSizeGiB: 50,
        labels: nodeRoleLabels("system"),
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
      {
        name: "workloads",
        instanceTypes: ["m7i.large", "m6i.large", "m7a.large"],
        capacityType: "SPOT",
        minSize: 1,
        maxSize: 6,
        desiredSize: 2,
        diskSizeGiB: 80,
        labels: nodeRoleLabels("workloads"),
        taints: [],
      },
    ],
  },
  storage: { ...shared.storage },
  platform: { ...shared.platform },
  protection: { preventDestroy: false },
  backend: { ...shared.backend, keyPrefix: "sre-platform/staging" },
  tags: { ...shared.tags, Environment: "staging" },
  slo: { specs: [...shared.slo.specs] },
};
