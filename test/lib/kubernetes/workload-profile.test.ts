import { resolveWorkloadProfile, validateWorkloadProfile, nodePlacementProblems, zoneSpreadConstraints, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

const SIZED = { resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } };

describe("resolveWorkloadProfile", () => {
  test("one replica: no disruption budget, no spread, no autoscaling, system nodes, nobody", () => {
    const p = resolveWorkloadProfile({ ...SIZED, spreadAcrossZones: true });
    expect([p.replicas, p.maxReplicas, p.autoscaling, p.disruptionBudget, p.zoneSpread]).toEqual([1, 1, false, undefined, false]);
    expect(p.placement).toEqual({ nodeLabels: { "eks.amazonaws.com/capacityType": "ON_DEMAND" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] });
    expect([p.podSecurityContext.runAsUser, p.containerSecurityContext.readOnlyRootFilesystem]).toEqual([65534, true]);
  });

  test("two replicas and up get minAvailable 1 and the zone spread when asked", () => {
    const p = resolveWorkloadProfile({ ...SIZED, replicas: 3, maxReplicas: 6, spreadAcrossZones: true, runAs: { user: 1337, group: 1337 } });
    expect([p.disruptionBudget, p.zoneSpread, p.autoscaling, p.containerSecurityContext.runAsUser]).toEqual([{ minAvailable: 1 }, true, true, 1337]);
    expect(zoneSpreadConstraints(p, { app: "x" })).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "x" } } },
    ]);
    expect(zoneSpreadConstraints(resolveWorkloadProfile({ ...SIZED, replicas: 3 }), { app: "x" })).toEqual([]);
  });

  test("a budget said otherwise wins: a larger minAvailable, or none", () => {
    expect(resolveWorkloadProfile({ ...SIZED, replicas: 3, disruptionBudget: { minAvailable: 2 } }).disruptionBudget).toEqual({ minAvailable: 2 });
    expect(resolveWorkloadProfile({ ...SIZED, replicas: 3, disruptionBudget: false }).disruptionBudget).toBeUndefined();
  });

  test("the resources carry no CPU limit", () => {
    expect(resolveWorkloadProfile(SIZED).resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } });
  });
});

describe("validateWorkloadProfile", () => {
  test("a sized profile has no problem", () => {
    expect(validateWorkloadProfile("gateway", { ...SIZED, replicas: 2, maxReplicas: 4, disruptionBudget: { minAvailable: 1 } })).toEqual([]);
  });

  const rules: Array<[string, WorkloadProfile, string, RegExp]> = [
    ["replicas is below one", { ...SIZED, replicas: 0 }, "gateway.replicas", /whole number, at least 1/],
    ["replicas is fractional", { ...SIZED, replicas: 1.5 }, "gateway.replicas", /whole number/],
    ["maxReplicas is below replicas", { ...SIZED, replicas: 3, maxReplicas: 2 }, "gateway.maxReplicas", /at least replicas \(3\)/],
    ["the memory limit is missing", { resources: { requests: { cpu: "1", memory: "1Gi" } } }, "gateway.resources.limits.memory", /request CPU and memory and limit memory/],
    ["a quantity is malformed", { resources: { requests: { cpu: "lots", memory: "1Gi" }, limits: { memory: "1Gi" } } }, "gateway.resources.requests.cpu", /Kubernetes quantity/],
    ["the memory request is over the limit", { resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "1Gi" } } }, "gateway.resources.requests.memory", /at most limits.memory/],
    ["a CPU limit is given", { resources: { ...SIZED.resources, limits: { cpu: "1", memory: "64Mi" } } }, "gateway.resources.limits.cpu", /no CPU limit/],
    ["the budget keeps every replica", { ...SIZED, replicas: 2, disruptionBudget: { minAvailable: 2 } }, "gateway.disruptionBudget.minAvailable", /0 to replicas - 1 \(1\)/],
  ];
  test.each(rules)("fails when %s", (_n, profile, path, allowed) => {
    const problems = validateWorkloadProfile("gateway", profile);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]!.allowed).toMatch(allowed);
  });

  test("an empty prefix gives top-level paths", () => {
    expect(validateWorkloadProfile("", { ...SIZED, replicas: 0 }).map((p) => p.path)).toEqual(["replicas"]);
  });
});

describe("nodePlacementProblems", () => {
  test("fails when the labels are empty or a key is not a label key", () => {
    expect(nodePlacementProblems("systemNodePlacement", { nodeLabels: {} }).map((p) => p.path)).toEqual(["systemNodePlacement.nodeLabels"]);
    expect(nodePlacementProblems("systemNodePlacement", { nodeLabels: { "bad key!": "x" } }).map((p) => p.path)).toEqual(['systemNodePlacement.nodeLabels["bad key!"]']);
    expect(nodePlacementProblems("systemNodePlacement", undefined)).toEqual([]);
  });
});
