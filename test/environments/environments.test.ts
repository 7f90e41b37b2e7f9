import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS, environmentSources, loadEnvironments } from "../../environments";
import { dev } from "../../environments/dev";

const envDir = path.resolve(__dirname, "../../environments");
const names = ENVIRONMENTS.map((e) => e.name);

/** Every environment file: a module of environments/ exporting, under its own file name, a configuration. */
function environmentFiles(): string[] {
  return fs
    .readdirSync(envDir)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .filter((f) => {
      const exported = (require(path.join(envDir, f)) as Record<string, unknown>)[path.basename(f, ".ts")];
      return typeof exported === "object" && exported !== null && "account" in exported && "backend" in exported;
    });
}

describe("environments", () => {
  test("every environment file is listed, each named as its file, and they load and validate", () => {
    expect(environmentFiles().sort()).toEqual(names.map((n) => `${n}.ts`).sort());
    expect(loadEnvironments().map((e) => e.name)).toEqual(names);
    expect([...environmentSources().values()]).toEqual(names.map((n) => `environments/${n}.ts`));
  });

  test("selects environments by name", () => {
    for (const name of names) expect(loadEnvironments([name]).map((e) => e.name)).toEqual([name]);
  });

  test("fails when an unknown environment is asked for, naming the known ones", () => {
    // Not a valid environment name (no '_'), so no environment added later can make it known.
    expect(() => loadEnvironments(["no_such_env"])).toThrow(`environment "no_such_env": (environment): got "no_such_env"; allowed: one of ${names.join(", ")}`);
  });

  test("a configuration error names the environment's file", () => {
    const broken = { ...structuredClone(dev), tags: { ...dev.tags, Owner: "" } };
    const inputs = ENVIRONMENTS.map((e) => (e.name === "dev" ? broken : e));
    expect(() => loadEnvironments(undefined, inputs)).toThrow(/^environments\/dev\.ts: environment "dev": tags\.Owner: got ""/);
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
