import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CHAOS_EXPERIMENTS, EXPERIMENT_DEFINITIONS, EXPERIMENT_TUNABLE_DEFAULTS, experimentEnv, GO_RUNNER_IMAGE, unionPermissions, type PolicyRule } from "../../../lib/chaos/experiments";
import { LITMUS_IMAGE_TAG } from "../../../constructs/addons/litmus/litmus";

const FIXTURES = path.resolve(__dirname, "../../fixtures/chaos-charts");
interface Upstream {
  spec: { definition: { scope: string; permissions: PolicyRule[]; env: Array<{ name: string; value: string }> } };
  description: { message: string };
}
const upstream = (name: string) => parse(fs.readFileSync(path.join(FIXTURES, `${name}.fault.yaml`), "utf8")) as Upstream;

/** Every (group, resource, verb) a rule list grants. */
const grants = (rules: readonly PolicyRule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`)))));

describe("the experiment catalogue", () => {
  test.each(CHAOS_EXPERIMENTS)("%s: scope, permissions and description are upstream's", (name) => {
    const u = upstream(name);
    const d = EXPERIMENT_DEFINITIONS[name];
    expect(d.scope).toBe(u.spec.definition.scope);
    expect(d.permissions).toEqual(u.spec.definition.permissions);
    expect(d.description).toBe(u.description.message.trim());
  });

  test.each(CHAOS_EXPERIMENTS)("%s: the environment is upstream's, images pinned, pumba-only images left out", (name) => {
    const u = Object.fromEntries(upstream(name).spec.definition.env.map((e) => [e.name, e.value]));
    const ours = EXPERIMENT_DEFINITIONS[name].env;
    const expected = Object.fromEntries(Object.entries(u).filter(([k]) => k !== "TC_IMAGE" && k !== "STRESS_IMAGE").map(([k, v]) => [k, k === "LIB_IMAGE" ? GO_RUNNER_IMAGE : v]));
    expect(ours).toEqual(expected);
  });

  test("the go-runner image is the operator's version, from Docker Hub", () => {
    expect(GO_RUNNER_IMAGE).toBe(`docker.io/litmuschaos/go-runner:${LITMUS_IMAGE_TAG}`);
  });

  test("only the experiments that enter a pod's network or cgroup need a privileged helper", () => {
    expect(CHAOS_EXPERIMENTS.filter((e) => EXPERIMENT_DEFINITIONS[e].privilegedHelper)).toEqual(["pod-network-latency", "pod-cpu-hog"]);
  });
});

describe("unionPermissions", () => {
  test("grants exactly what the experiments declare, merged, whatever their order", () => {
    const union = unionPermissions(["pod-delete", "pod-cpu-hog"]);
    expect(grants(union)).toEqual(grants([...EXPERIMENT_DEFINITIONS["pod-delete"].permissions, ...EXPERIMENT_DEFINITIONS["pod-cpu-hog"].permissions]));
    expect(unionPermissions(["pod-cpu-hog", "pod-delete"])).toEqual(union);
  });

  test("leaves nodes out of a namespaced Role, and grants them only cluster-scoped", () => {
    expect([...grants(unionPermissions(["node-drain"]))].filter((g) => g.startsWith("/nodes"))).toEqual([]);
    expect(grants(unionPermissions(["node-drain"], { clusterScoped: true }))).toEqual(grants(EXPERIMENT_DEFINITIONS["node-drain"].permissions));
  });

  test("pod-delete alone cannot evict pods or touch nodes; node-drain can evict", () => {
    expect(grants(unionPermissions(["pod-delete"])).has("/pods/eviction:create")).toBe(false);
    expect(grants(unionPermissions(["node-drain"])).has("/pods/eviction:create")).toBe(true);
  });
});

describe("experimentEnv", () => {
  test("the platform's gentler defaults, overridden by the target's tunables", () => {
    expect(experimentEnv("pod-delete")).toEqual([
      { name: "TOTAL_CHAOS_DURATION", value: "30" },
      { name: "CHAOS_INTERVAL", value: "10" },
      { name: "FORCE", value: "false" },
      { name: "PODS_AFFECTED_PERC", value: "50" },
    ]);
    expect(experimentEnv("pod-network-latency", { latencyMs: 800 })).toContainEqual({ name: "NETWORK_LATENCY", value: "800" });
    expect(experimentEnv("pod-cpu-hog", { cpuCores: 2, cpuLoad: 80 })).toEqual(expect.arrayContaining([{ name: "CPU_CORES", value: "2" }, { name: "CPU_LOAD", value: "80" }]));
  });

  test("every variable it sets is one the experiment defines", () => {
    for (const name of CHAOS_EXPERIMENTS) {
      for (const v of experimentEnv(name)) expect(Object.keys(EXPERIMENT_DEFINITIONS[name].env)).toContain(v.name);
      expect(experimentEnv(name)).toHaveLength(Object.keys(EXPERIMENT_TUNABLE_DEFAULTS[name]).length);
    }
  });
});
