import { memoryRequestProblem, resourcesProblems } from "../../../lib/kubernetes/resources";

const ok = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };

describe("container resources", () => {
  test("a CPU request, a memory request and a memory limit within it pass", () => {
    expect(resourcesProblems("x.resources", ok)).toEqual([]);
    expect(resourcesProblems("x.resources", { ...ok, limits: { memory: "128Mi" } })).toEqual([]);
  });

  test("fails when a request or the memory limit is missing, naming the field and whose pods", () => {
    expect(resourcesProblems("x.resources", { requests: { memory: "1Gi" } }, "Falco's pods")).toEqual([
      { path: "x.resources.requests.cpu", value: undefined, allowed: "a quantity: Falco's pods request CPU and memory and limit memory" },
      { path: "x.resources.limits.memory", value: undefined, allowed: "a quantity: Falco's pods request CPU and memory and limit memory" },
    ]);
  });

  test("fails when a value is not a Kubernetes quantity", () => {
    expect(resourcesProblems("x.resources", { ...ok, requests: { cpu: "lots", memory: "128Mi" } }).map((p) => [p.path, p.value])).toEqual([["x.resources.requests.cpu", "lots"]]);
  });

  test("fails when the memory request is over the limit (1Gi > 1000Mi), in units the quantities mean", () => {
    const over = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1000Mi" } };
    expect(memoryRequestProblem("p.resources", over)).toEqual({ path: "p.resources.requests.memory", value: "1Gi", allowed: "at most limits.memory (1000Mi)" });
    expect(resourcesProblems("p.resources", over)).toHaveLength(1);
    expect(memoryRequestProblem("p.resources", { requests: { memory: "1000Mi" }, limits: { memory: "1Gi" } })).toBeUndefined();
  });
});
