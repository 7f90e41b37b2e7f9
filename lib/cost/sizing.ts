import type { EnvironmentConfig } from "../config/environment-schema";
import { budgetTagFilter } from "../config/validate-cost";
import { HOURS_PER_MONTH, PRICE_DATE, PRICE_SOURCE, PRICES, type RegionPrices, vcpusOf } from "./prices";

/**
 * An environment's sizing and its estimated monthly cost, from its configuration alone (no AWS call, no synth): what
 * `sre-platform cost <env>` prints. The counts of what the stacks create (`platformResourceCounts`) are held against the
 * synthesized stacks by a test, so they cannot drift from the constructs.
 */

/** How many of each billed thing the environment's stacks create, derived from its configuration. */
export interface PlatformResourceCounts {
  readonly eksClusters: number;
  readonly nodeGroups: number;
  readonly natGateways: number;
  /** The NAT gateways' Elastic IPs. */
  readonly publicIpv4Addresses: number;
  readonly interfaceEndpoints: number;
  /** Interface endpoints × the AZs each has a network interface in: what is billed by the hour. */
  readonly interfaceEndpointAzs: number;
  readonly kmsKeys: number;
  /** AWS Backup vaults: the environment's and its off-region copy's (`backup.awsBackup`). */
  readonly backupVaults: number;
  /** Amazon Managed Prometheus workspaces (`observability.managedPrometheus`). */
  readonly ampWorkspaces: number;
  readonly s3Buckets: number;
  readonly efsFileSystems: number;
  /** The ingress gateway's load balancer, made by EKS's service controller (not a Terraform resource). */
  readonly networkLoadBalancers: number;
}

/** Counts of {@link PlatformResourceCounts} from the configuration, as the stacks build them. */
export function platformResourceCounts(c: EnvironmentConfig): PlatformResourceCounts {
  const natGateways = c.network.natGateways === "per-az" ? c.network.azCount : 1;
  const amp = c.observability.managedPrometheus?.enabled === true;
  const traces = c.observability.tracing?.enabled === true;
  const awsBackup = c.backup?.awsBackup;
  const replica = c.backup?.bucket?.replicaRegion !== undefined;
  const smsTopics = (c.alerting?.sms ? 1 : 0) + Object.values(c.alerting?.teams ?? {}).filter((t) => t.sms !== undefined).length;
  return {
    eksClusters: 1,
    nodeGroups: c.cluster.nodeGroups.length,
    natGateways,
    publicIpv4Addresses: natGateways,
    interfaceEndpoints: c.network.interfaceEndpoints.length,
    interfaceEndpointAzs: c.network.interfaceEndpoints.length * c.network.azCount,
    // network: the flow logs' key (and the budget topic's); cluster: secrets and volumes; storage: backups, artifacts (and
    // EFS, traces, the backups replica's, AWS Backup's vaults' and notifications'); observability: the log groups' key,
    // the AMP workspace's and its alert topics', each SMS topic's.
    kmsKeys:
      1 + (c.cost?.budget ? 1 : 0) + 2 + 2 + (c.storage.efs ? 1 : 0) + (traces ? 1 : 0) + (replica ? 1 : 0) +
      (awsBackup ? 2 + (awsBackup.offRegionCopy ? 1 : 0) : 0) +
      (c.observability.logs.enabled ? 1 : 0) + (amp ? 1 + (c.alerting ? 1 : 0) : 0) + smsTopics,
    backupVaults: awsBackup ? 1 + (awsBackup.offRegionCopy ? 1 : 0) : 0,
    ampWorkspaces: amp ? 1 : 0,
    // storage: logs, backups, artifacts (and traces, and the backups' replica).
    s3Buckets: 3 + (traces ? 1 : 0) + (replica ? 1 : 0),
    efsFileSystems: c.storage.efs ? 1 : 0,
    networkLoadBalancers: 1,
  };
}

/** One row of the sizing table. */
export interface CostLine {
  readonly section: "nodes" | "network" | "storage" | "managed services";
  /** What it is: `node group system`, `NAT gateways`. */
  readonly component: string;
  /** How it is sized: instance types, capacity type, min/desired/max; per-unit prices of what is billed by use. */
  readonly detail: string;
  /** How many run (nodes at the desired size, gateways, endpoint-AZs, keys…). */
  readonly count: number;
  /** Estimated monthly cost at the configured (desired) size; undefined without a price. */
  readonly monthlyUsd?: number;
  /** Estimated monthly cost at the most the configuration lets it grow to; undefined without a price. */
  readonly maxMonthlyUsd?: number;
}

/** What `sre-platform cost` reports for an environment. */
export interface CostEstimate {
  readonly environment: string;
  readonly region: string;
  readonly priceDate: string;
  readonly priceSource: string;
  readonly lines: readonly CostLine[];
  /** The sum at the configured size; undefined when the region has no prices. */
  readonly monthlyUsd?: number;
  /** The sum at the largest configured size; undefined when the region has no prices. */
  readonly maxMonthlyUsd?: number;
  /** The environment's budget (`cost.budget`), if it has one. */
  readonly budget?: { readonly monthlyLimitUsd: number; readonly filter: string; readonly thresholds: readonly { readonly type: string; readonly percent: number }[] };
  /** What was left out of the estimate and why (a type without a price, the estimate over the budget). */
  readonly warnings: readonly string[];
  /** What is billed by use and not estimated. */
  readonly notEstimated: readonly string[];
}

const round = (n: number): number => Math.round(n * 100) / 100;
const perMonth = (hourly: number, count = 1): number => hourly * HOURS_PER_MONTH * count;

/** The environment's sizing and estimated monthly cost. */
export function estimateCost(c: EnvironmentConfig, prices: Readonly<Record<string, RegionPrices>> = PRICES): CostEstimate {
  const p = prices[c.region];
  const warnings: string[] = [];
  if (p === undefined) warnings.push(`no prices for region ${c.region} (priced: ${Object.keys(prices).join(", ")}): sizing only, no estimate`);
  const counts = platformResourceCounts(c);
  const lines: CostLine[] = [];
  const priced = (monthly: number, max = monthly) => (p === undefined ? {} : { monthlyUsd: round(monthly), maxMonthlyUsd: round(max) });

  // Nodes.
  for (const g of c.cluster.nodeGroups) {
    const known = g.instanceTypes.map((t) => p?.instanceHour[t]);
    const missing = g.instanceTypes.filter((_, i) => known[i] === undefined);
    // On-demand groups launch the first type listed; spot ones whichever has capacity, so the dearest is the bound.
    const hourly = g.capacityType === "ON_DEMAND" ? known[0] : missing.length === 0 ? Math.max(...(known as number[])) : undefined;
    if (p !== undefined && hourly === undefined) warnings.push(`node group ${g.name}: no ${c.region} price for ${missing.join(", ")} in lib/cost/prices.ts: not estimated`);
    const disk = p === undefined ? 0 : g.diskSizeGiB * p.gp3GbMonth;
    const capacity = g.capacityType === "SPOT" ? "spot (priced at on-demand: at most this)" : "on-demand";
    lines.push({
      section: "nodes",
      component: `node group ${g.name}`,
      detail: `${g.instanceTypes.join(", ")}; ${capacity}; min ${g.minSize} / desired ${g.desiredSize} / max ${g.maxSize}; ${g.diskSizeGiB} GiB gp3 each`,
      count: g.desiredSize,
      ...(hourly === undefined ? {} : priced(g.desiredSize * (perMonth(hourly) + disk), g.maxSize * (perMonth(hourly) + disk))),
    });
  }
  for (const pool of c.platform.karpenter?.nodePools ?? []) {
    // The most a pool may launch is its CPU limit; priced at the dearest per-vCPU rate of its families' xlarge size.
    const rates = pool.instanceFamilies.map((f) => {
      const hourly = p?.instanceHour[`${f}.xlarge`];
      return hourly === undefined ? undefined : hourly / vcpusOf(`${f}.xlarge`)!;
    });
    const missing = pool.instanceFamilies.filter((_, i) => rates[i] === undefined);
    if (p !== undefined && missing.length > 0) warnings.push(`Karpenter pool ${pool.name}: no ${c.region} price for ${missing.map((f) => `${f}.xlarge`).join(", ")} in lib/cost/prices.ts: its maximum is not estimated`);
    lines.push({
      section: "nodes",
      component: `Karpenter pool ${pool.name}`,
      detail: `families ${pool.instanceFamilies.join(", ")}; ${pool.capacityTypes.join(" or ")}${pool.capacityTypes.includes("spot") ? " (priced at on-demand)" : ""}; none until pods need them, at most ${pool.limits.cpu} vCPU / ${pool.limits.memoryGiB} GiB (root volumes extra)`,
      count: 0,
      ...(p === undefined || missing.length > 0 ? {} : priced(0, pool.limits.cpu * Math.max(...(rates as number[])) * HOURS_PER_MONTH)),
    });
  }

  // Network.
  lines.push({
    section: "network",
    component: "NAT gateways",
    detail: `${c.network.natGateways === "per-az" ? `one per AZ (${c.network.azCount})` : "one for all AZs"}, each with an Elastic IP; data processed is extra`,
    count: counts.natGateways,
    ...(p ? priced(perMonth(p.natGatewayHour + p.publicIpv4Hour, counts.natGateways)) : {}),
  });
  lines.push({
    section: "network",
    component: "interface endpoints",
    detail: counts.interfaceEndpoints === 0 ? "none (the S3 gateway endpoint is free)" : `${c.network.interfaceEndpoints.join(", ")} × ${c.network.azCount} AZs; the S3 gateway endpoint is free`,
    count: counts.interfaceEndpointAzs,
    ...(p ? priced(perMonth(p.interfaceEndpointAzHour, counts.interfaceEndpointAzs)) : {}),
  });
  lines.push({
    section: "network",
    component: "ingress load balancer",
    detail: `the mesh's gateway, a Network Load Balancer (${c.security.mesh.optOut.privateIngress ? "internet-facing" : "internal"}); capacity units are extra`,
    count: counts.networkLoadBalancers,
    ...(p ? priced(perMonth(p.networkLoadBalancerHour, counts.networkLoadBalancers)) : {}),
  });

  // Storage: billed by what is stored, which configuration does not know.
  if (counts.efsFileSystems > 0) {
    lines.push({ section: "storage", component: "EFS", detail: `one file system${p ? `, $${p.efsStandardGbMonth}/GB-month stored` : ""}`, count: counts.efsFileSystems, ...(p ? priced(0) : {}) });
  }
  lines.push({ section: "storage", component: "S3 buckets", detail: `logs, backups, artifacts${c.observability.tracing?.enabled ? ", traces" : ""}${c.backup?.bucket?.replicaRegion ? `, the backups' replica in ${c.backup.bucket.replicaRegion}` : ""}${p ? `, $${p.s3StandardGbMonth}/GB-month stored` : ""}`, count: counts.s3Buckets, ...(p ? priced(0) : {}) });

  if (counts.backupVaults > 0) {
    lines.push({
      section: "storage",
      component: "AWS Backup",
      detail: `${counts.backupVaults === 1 ? "one vault" : `${counts.backupVaults} vaults (one off-region)`}; billed by the recovery points' size, warm and cold, and cross-region copies`,
      count: counts.backupVaults,
      ...(p ? priced(0) : {}),
    });
  }

  // Managed services.
  lines.push({
    section: "managed services",
    component: "EKS control plane",
    detail: `Kubernetes ${c.cluster.kubernetesVersion}, standard support`,
    count: counts.eksClusters,
    ...(p ? priced(perMonth(p.eksClusterHour)) : {}),
  });
  if (counts.ampWorkspaces > 0) {
    lines.push({
      section: "managed services",
      component: "Amazon Managed Prometheus",
      detail: "one workspace, its rule namespaces and alert manager; billed by samples ingested, stored and queried",
      count: counts.ampWorkspaces,
      ...(p ? priced(0) : {}),
    });
  }
  lines.push({ section: "managed services", component: "KMS keys", detail: "customer-managed, yearly rotation; requests are extra", count: counts.kmsKeys, ...(p ? priced(p.kmsKeyMonth * counts.kmsKeys) : {}) });

  const sum = (f: (l: CostLine) => number | undefined) => round(lines.reduce((n, l) => n + (f(l) ?? 0), 0));
  const monthlyUsd = p ? sum((l) => l.monthlyUsd) : undefined;
  const maxMonthlyUsd = p ? sum((l) => l.maxMonthlyUsd) : undefined;
  const filter = budgetTagFilter(c);
  const budget = c.cost?.budget && filter ? { monthlyLimitUsd: c.cost.budget.monthlyLimitUsd, filter: filter.filter, thresholds: c.cost.budget.thresholds } : undefined;
  if (budget && monthlyUsd !== undefined && monthlyUsd > budget.monthlyLimitUsd) {
    warnings.push(`the estimate at the configured size, $${monthlyUsd.toFixed(2)} a month, exceeds the budget of $${budget.monthlyLimitUsd.toFixed(2)} (cost.budget.monthlyLimitUsd)`);
  }
  return {
    environment: c.name,
    region: c.region,
    priceDate: PRICE_DATE,
    priceSource: PRICE_SOURCE,
    lines,
    ...(monthlyUsd !== undefined ? { monthlyUsd, maxMonthlyUsd } : {}),
    ...(budget ? { budget } : {}),
    warnings,
    notEstimated: [
      "data transfer, NAT and endpoint data processing, load balancer capacity units",
      "what is stored: EBS volumes of claims, EFS, S3, snapshots, AWS Backup recovery points, replication",
      "CloudWatch Logs (flow logs, control-plane logs, container and node logs), KMS and API requests, support plans, tax",
      "Amazon Managed Prometheus samples ingested, stored and queried; SNS notifications",
    ],
  };
}
