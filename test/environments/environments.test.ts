import { ENVIRONMENTS, loadEnvironments } from "../../environments";

describe("environments", () => {
  test("dev, staging and prod load and validate, in deployment order", () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
  });

  test("selects environments by name", () => {
    expect(loadEnvironments(["prod"]).map((e) => e.name)).toEqual(["prod"]);
  });

  test("fails when an unknown environment is asked for, naming the known ones", () => {
    expect(() => loadEnvironments(["qa"])).toThrow(/environment "qa": \(environment\): got "qa"; allowed: one of dev, staging, prod/);
  });

  const byName = Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, e]));

  test("dev is cheap: two AZs, one NAT, spot nodes, public endpoint only for an allow-list", () => {
    const dev = byName.dev!;
    expect(dev.network.azCount).toBe(2);
    expect(dev.network.natGateways).toBe("single");
    expect(dev.cluster.nodeGroups.every((g) => g.capacityType === "SPOT")).toBe(true);
    expect(dev.cluster.publicAccessCidrs.length).toBeGreaterThan(0);
    expect(dev.protection.preventDestroy).toBe(false);
  });

  test("prod: three AZs, NAT per AZ, private endpoint, on-demand system and spot workload nodes, protected", () => {
    const prod = byName.prod!;
    expect(prod.network.azCount).toBe(3);
    expect(prod.network.natGateways).toBe("per-az");
    expect(prod.cluster.publicAccessCidrs).toEqual([]);
    expect(prod.cluster.nodeGroups.map((g) => g.capacityType).sort()).toEqual(["ON_DEMAND", "SPOT"]);
    expect(prod.cluster.deletionProtection).toBe(true);
    expect(prod.protection.preventDestroy).toBe(true);
  });

  test("staging mirrors prod's protection and retention; only dev is unprotected, and says why", () => {
    const { staging, prod, dev } = byName;
    expect([staging!.protection.preventDestroy, staging!.cluster.deletionProtection]).toEqual([prod!.protection.preventDestroy, prod!.cluster.deletionProtection]);
    expect([staging!.storage.reclaimPolicy, prod!.storage.reclaimPolicy]).toEqual(["Retain", "Retain"]);
    expect(dev!.protection.unprotectedReason).toMatch(/\S/);
  });

  test("each environment keeps its state in a bucket and under a KMS key of its own account", () => {
    const buckets = ENVIRONMENTS.map((e) => e.backend.bucket);
    expect(new Set(buckets).size).toBe(ENVIRONMENTS.length);
    for (const e of ENVIRONMENTS) expect(e.backend.kmsKeyId.split(":")[4]).toBe(e.account);
  });

  test("staging mirrors prod's shape at a smaller size", () => {
    const staging = byName.staging!;
    const prod = byName.prod!;
    expect(staging.network.azCount).toBe(prod.network.azCount);
    expect(staging.network.natGateways).toBe(prod.network.natGateways);
    expect(staging.cluster.publicAccessCidrs).toEqual([]);
    // The system group is prod's; workloads are spot-first in both, staging's on Karpenter (rehearsed before prod).
    expect(staging.cluster.nodeGroups.map((g) => [g.name, g.capacityType])).toEqual([["system", "ON_DEMAND"]]);
    expect(prod.cluster.nodeGroups.find((g) => g.name === "system")!.capacityType).toBe("ON_DEMAND");
    for (const g of staging.cluster.nodeGroups) expect(g.maxSize).toBeLessThanOrEqual(prod.cluster.nodeGroups.find((p) => p.name === g.name)!.maxSize);
    expect(staging.platform.karpenter!.nodePools[0]!.capacityTypes[0]).toBe("spot");
    expect(prod.cluster.nodeGroups.find((g) => g.name === "workloads")!.capacityType).toBe("SPOT");
    expect(staging.observability.prometheus.storageGiB).toBeLessThan(prod.observability.prometheus.storageGiB);
  });
});
