import { ENVIRONMENTS } from "../../../environments";
import { dev } from "../../../environments/dev";
import { staging } from "../../../environments/staging";
import { prod } from "../../../environments/prod";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { estimateCost, platformResourceCounts } from "../../../lib/cost/sizing";
import { HOURS_PER_MONTH, PRICE_DATE, PRICES, type RegionPrices, vcpusOf } from "../../../lib/cost/prices";
import { synthesizedStack } from "../../support/synthesized-app";
import { LAYERS } from "../../../stacks/environment-stack";

type Json = Record<string, any>;

/** Round prices, so every expected figure below is worked out by hand. */
const ROUND: RegionPrices = {
  instanceHour: { "a1.large": 0.1, "a1.xlarge": 0.2, "b1.xlarge": 0.4 },
  natGatewayHour: 0.05,
  publicIpv4Hour: 0.01,
  interfaceEndpointAzHour: 0.01,
  eksClusterHour: 0.1,
  networkLoadBalancerHour: 0.02,
  gp3GbMonth: 0.1,
  efsStandardGbMonth: 0.3,
  s3StandardGbMonth: 0.02,
  kmsKeyMonth: 1,
};

function env(change: (c: Json) => void): EnvironmentConfig {
  const c = structuredClone(dev) as Json;
  c.region = "xx-test-1";
  c.network.natGateways = "per-az";
  c.network.azCount = 2;
  c.network.interfaceEndpoints = ["sts", "logs"];
  // Held apart from what dev turns on later: only the keys and buckets the comments below count.
  c.observability.logs.enabled = false;
  delete c.observability.managedPrometheus;
  delete c.observability.tracing;
  delete c.backup;
  c.cluster.nodeGroups = [{ ...c.cluster.nodeGroups[0], name: "system", instanceTypes: ["a1.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 50 }];
  change(c);
  return c as EnvironmentConfig;
}
const line = (e: ReturnType<typeof estimateCost>, component: string) => e.lines.find((l) => l.component === component)!;

describe("estimateCost", () => {
  const prices = { "xx-test-1": ROUND };

  test("prices every sized thing at 730 hours a month", () => {
    const e = estimateCost(env(() => undefined), prices);
    // 2 nodes × (0.1 × 730 + 50 GiB × 0.1) = 2 × 78 = 156; at max 3 × 78 = 234.
    expect(line(e, "node group system")).toMatchObject({ count: 2, monthlyUsd: 156, maxMonthlyUsd: 234 });
    // 2 gateways × (0.05 + 0.01) × 730 = 87.6.
    expect(line(e, "NAT gateways")).toMatchObject({ count: 2, monthlyUsd: 87.6 });
    // 2 endpoints × 2 AZs × 0.01 × 730 = 29.2.
    expect(line(e, "interface endpoints")).toMatchObject({ count: 4, monthlyUsd: 29.2 });
    expect(line(e, "ingress load balancer")).toMatchObject({ count: 1, monthlyUsd: 14.6 });
    expect(line(e, "EKS control plane")).toMatchObject({ count: 1, monthlyUsd: 73 });
    // dev's keys: flow logs, budget topic, cluster secrets and volumes, backups, artifacts, EFS.
    expect(line(e, "KMS keys")).toMatchObject({ count: 7, monthlyUsd: 7 });
    expect(line(e, "S3 buckets")).toMatchObject({ count: 3, monthlyUsd: 0 });
    expect(e.monthlyUsd).toBeCloseTo(367.4, 2);
    expect(e.maxMonthlyUsd).toBeCloseTo(445.4, 2);
    expect(e.priceDate).toBe(PRICE_DATE);
  });

  test("an environment with Amazon Managed Prometheus lists the workspace, billed by use, and its two keys", () => {
    const off = estimateCost(env(() => undefined), prices);
    const on = estimateCost(env((c) => (c.observability.managedPrometheus = { enabled: true, logRetentionDays: 30 })), prices);
    expect(off.lines.find((l) => l.component === "Amazon Managed Prometheus")).toBeUndefined();
    expect(line(on, "Amazon Managed Prometheus")).toMatchObject({ count: 1, monthlyUsd: 0 });
    // The workspace's key and its alert topics' key.
    expect(line(on, "KMS keys").count - line(off, "KMS keys").count).toBe(2);
  });

  test("one NAT gateway for all zones when the environment says single", () => {
    const e = estimateCost(env((c) => (c.network.natGateways = "single")), prices);
    expect(line(e, "NAT gateways")).toMatchObject({ count: 1, monthlyUsd: 43.8 });
  });

  test("a spot group is priced at its dearest type's on-demand price, an upper bound", () => {
    const e = estimateCost(env((c) => Object.assign(c.cluster.nodeGroups[0], { instanceTypes: ["a1.large", "a1.xlarge"], capacityType: "SPOT", desiredSize: 1 })), prices);
    // 1 × (0.2 × 730 + 5) = 151.
    expect(line(e, "node group system")).toMatchObject({ count: 1, monthlyUsd: 151 });
    expect(line(e, "node group system").detail).toContain("spot (priced at on-demand: at most this)");
  });

  test("a Karpenter pool costs nothing until pods need it, and at most its CPU limit at the dearest family's rate", () => {
    const e = estimateCost(env((c) => {
      c.platform.autoscaler = "karpenter";
      c.platform.karpenter = { nodePools: [{ ...structuredClone(staging.platform.karpenter!.nodePools[0]), instanceFamilies: ["a1", "b1"], limits: { cpu: 8, memoryGiB: 32 } }] };
    }), prices);
    // b1.xlarge: 0.4 / 4 vCPU = 0.1 per vCPU-hour; 8 × 0.1 × 730 = 584.
    expect(line(e, "Karpenter pool workloads")).toMatchObject({ count: 0, monthlyUsd: 0, maxMonthlyUsd: 584 });
  });

  test("a type without a price is named and left out; a region without prices gets sizing only", () => {
    const unpriced = estimateCost(env((c) => (c.cluster.nodeGroups[0].instanceTypes = ["z9.large"])), prices);
    expect(line(unpriced, "node group system").monthlyUsd).toBeUndefined();
    expect(unpriced.warnings).toEqual([expect.stringMatching(/^node group system: no xx-test-1 price for z9\.large in lib\/cost\/prices\.ts: not estimated$/)]);
    const noRegion = estimateCost(env(() => undefined), {});
    expect(noRegion.monthlyUsd).toBeUndefined();
    expect(noRegion.lines.every((l) => l.monthlyUsd === undefined)).toBe(true);
    expect(noRegion.warnings[0]).toMatch(/^no prices for region xx-test-1/);
  });

  test("warns when the estimate exceeds the budget, and not when it does not", () => {
    const over = estimateCost(env((c) => (c.cost.budget.monthlyLimitUsd = 300)), prices);
    expect(over.warnings).toEqual(["the estimate at the configured size, $367.40 a month, exceeds the budget of $300.00 (cost.budget.monthlyLimitUsd)"]);
    expect(estimateCost(env((c) => (c.cost.budget.monthlyLimitUsd = 368)), prices).warnings).toEqual([]);
    expect(over.budget).toEqual({ monthlyLimitUsd: 300, filter: "user:Environment$dev", thresholds: dev.cost!.budget.thresholds });
  });

  test("no budget, no budget warning", () => {
    const e = estimateCost(env((c) => delete c.cost), prices);
    expect(e.budget).toBeUndefined();
    expect(e.warnings).toEqual([]);
  });
});

describe("the price table", () => {
  test("prices every instance type and Karpenter family the environments use, in their regions", () => {
    for (const c of ENVIRONMENTS) {
      const p = PRICES[c.region];
      expect({ region: c.region, priced: p !== undefined }).toEqual({ region: c.region, priced: true });
      for (const t of c.cluster.nodeGroups.flatMap((g) => g.instanceTypes)) expect({ t, price: p!.instanceHour[t] }).toEqual({ t, price: expect.any(Number) });
      for (const f of c.platform.karpenter?.nodePools.flatMap((pool) => pool.instanceFamilies) ?? []) expect({ f, price: p!.instanceHour[`${f}.xlarge`] }).toEqual({ f, price: expect.any(Number) });
      expect(estimateCost(c).warnings).toEqual([]);
    }
    expect(vcpusOf("m7i.xlarge")).toBe(4);
    expect(HOURS_PER_MONTH).toBe(730);
  });
});

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("the counts of %s match its synthesized stacks", (name, config) => {
  const resources = LAYERS.flatMap((layer) => Object.entries<Json>(synthesizedStack(`${name}-${layer}`).resource ?? {}).flatMap(([type, byName]) => Object.values<Json>(byName).map((r) => ({ type, r }))));
  const count = (type: string, where: (r: Json) => boolean = () => true) => resources.filter((x) => x.type === type && where(x.r)).length;

  test("every counted resource is one the stacks create", () => {
    const counts = platformResourceCounts(config);
    const interfaceEndpoints = resources.filter((x) => x.type === "aws_vpc_endpoint" && x.r.vpc_endpoint_type === "Interface").map((x) => x.r);
    expect({
      eksClusters: count("aws_eks_cluster"),
      nodeGroups: count("aws_eks_node_group"),
      natGateways: count("aws_nat_gateway"),
      publicIpv4Addresses: count("aws_eip"),
      interfaceEndpoints: interfaceEndpoints.length,
      interfaceEndpointAzs: interfaceEndpoints.reduce((n, e) => n + (e.subnet_ids as unknown[]).length, 0),
      kmsKeys: count("aws_kms_key"),
      ampWorkspaces: count("aws_prometheus_workspace"),
      backupVaults: count("aws_backup_vault"),
      s3Buckets: count("aws_s3_bucket"),
      efsFileSystems: count("aws_efs_file_system"),
      // Made by EKS's service controller for the mesh's gateway Service: one gateway release.
      networkLoadBalancers: count("helm_release", (r) => r.chart === "gateway"),
    }).toEqual({ ...counts });
  });
});

test("the committed environments' estimates stay within their budgets at the configured size", () => {
  for (const c of [dev, staging, prod]) expect({ env: c.name, warnings: estimateCost(c).warnings }).toEqual({ env: c.name, warnings: [] });
});
