import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import {
  Litmus, LITMUS_CHART_VERSION, LITMUS_DEFAULTS, LITMUS_IMAGE_TAG, LitmusProps, validateLitmusProps,
} from "../../../../constructs/addons/litmus/litmus";
import { litmusAddon } from "../../../../constructs/addons/litmus/addon";
import { ENVIRONMENTS } from "../../../../environments";
import { validateEnvironment } from "../../../../lib/config/validate-environment";
import { fakeCluster } from "../fake-cluster";

const ROOT = path.resolve(__dirname, "../../../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const FIXTURE = `litmus-core-${LITMUS_CHART_VERSION}.values.yaml`;
const chartDefaults = () => parse(read(`test/fixtures/helm-values/${FIXTURE}`)) as Record<string, unknown>;

function build(props: Partial<LitmusProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const addon = new Litmus(stack, "Litmus", { cluster: fakeCluster(), ...props });
  const json = Testing.synth(stack);
  const release = Object.values(JSON.parse(json).resource.helm_release)[0] as { values: string[] };
  return { addon, json, values: parse(release.values[0]!) as Record<string, any> };
}

/** Every leaf path of a values document (objects walked, arrays and scalars are leaves). */
function leafPaths(v: unknown, at: string[] = []): string[][] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [at];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leafPaths(x, [...at, k]));
}

describe("Litmus", () => {
  test("pins litmus-core from litmuschaos' repository into the litmus namespace", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(Release, {
      name: "litmus",
      chart: "litmus-core",
      repository: "https://litmuschaos.github.io/litmus-helm/",
      version: "3.29.0",
      namespace: "litmus",
    });
  });

  test("declares the ChaosEngine and ChaosExperiment CRDs it installs, and the registry takes them from the chart", () => {
    expect(LITMUS_DEFAULTS.crds).toEqual({
      "litmuschaos.io/v1alpha1/ChaosEngine": "litmuschaos.io/chaosengine_v1alpha1.json",
      "litmuschaos.io/v1alpha1/ChaosExperiment": "litmuschaos.io/chaosexperiment_v1alpha1.json",
    });
    expect(litmusAddon.crds).toBe(LITMUS_DEFAULTS.crds);
    expect(build().addon.crds).toEqual(LITMUS_DEFAULTS.crds);
  });

  test("pulls the operator and runner from Docker Hub's litmuschaos organisation at the chart's own image tag", () => {
    const { values } = build();
    const upstream = chartDefaults() as { operator: { image: { tag: string } }; runner: { image: { tag: string } } };
    expect(values.operator.image).toEqual({ repository: "docker.io/litmuschaos/chaos-operator", tag: upstream.operator.image.tag, pullPolicy: "IfNotPresent" });
    expect(values.runner.image).toEqual({ repository: "docker.io/litmuschaos/chaos-runner", tag: upstream.runner.image.tag });
    for (const image of [values.operator.image, values.runner.image]) {
      expect(litmusAddon.registries.some((r) => image.repository.startsWith(`${r}/`))).toBe(true);
      expect(litmusAddon.images).toContain(image.repository);
    }
    expect(litmusAddon.workloads![0]!.containers[0]!.image).toBe(`${values.operator.image.repository}:${values.operator.image.tag}`);
  });

  test("turns usage analytics and the exporter off, and watches every namespace", () => {
    const { values } = build();
    expect(values.policies).toEqual({ monitoring: { disabled: true } });
    expect(values.exporter).toEqual({ enabled: false });
    expect(values.operatorMode).toBe("standard");
  });

  test("sizes the operator with the workload profile and removes the chart's CPU limit", () => {
    const { values } = build();
    expect(values.replicaCount).toBe(1);
    expect(values.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi", cpu: null } });
    const sized = build({ resources: { requests: { cpu: "20m", memory: "48Mi" }, limits: { memory: "96Mi" } } }).values;
    expect(sized.resources).toEqual({ requests: { cpu: "20m", memory: "48Mi" }, limits: { memory: "96Mi", cpu: null } });
  });

  test("places the operator on the system nodes: a required node affinity on their label and their taint tolerated", () => {
    const { values } = build({ systemNodePlacement: { nodeLabels: { "sre-platform.io/node-role": "system" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "system", effect: "NoSchedule" }] } });
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "sre-platform.io/node-role", operator: "In", values: ["system"] }] },
    ]);
    expect(values.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "system", effect: "NoSchedule" }]);
    expect(build().values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("writes only keys the pinned chart's values.yaml has (a misspelt key would be ignored by the chart)", () => {
    const upstream = chartDefaults();
    const has = (p: string[]) => p.reduce<unknown>((v, k) => (v !== null && typeof v === "object" && k in (v as object) ? (v as Record<string, unknown>)[k] : undefined), upstream) !== undefined;
    // Leaves under these are the chart's own free-form objects (toYaml'd into the pod spec).
    const freeForm = new Set(["affinity", "tolerations"]);
    const unknown = leafPaths(build().values).filter((p) => !freeForm.has(p[0]!) && !has(p));
    expect(unknown).toEqual([]);
  });

  test("fails when the operator is given a CPU limit or a memory request above its limit, naming the field", () => {
    expect(validateLitmusProps({ cluster: fakeCluster(), resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } } })).toContainEqual(
      expect.objectContaining({ path: "resources.limits.cpu", value: "100m" }),
    );
    expect(validateLitmusProps({ cluster: fakeCluster(), resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "128Mi" } } })).toContainEqual(
      expect.objectContaining({ path: expect.stringMatching(/^resources\./) }),
    );
    expect(() => build({ resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } } })).toThrow(/resources\.limits\.cpu/);
  });

  test("fails when a node label key is not a Kubernetes label key", () => {
    expect(validateLitmusProps({ cluster: fakeCluster(), systemNodePlacement: { nodeLabels: { "not a key": "x" } } })).toContainEqual(
      expect.objectContaining({ path: 'systemNodePlacement.nodeLabels["not a key"]' }),
    );
  });
});

describe("the chart's CRDs are the pinned chart's", () => {
  // Helm installs `crds/` once and never upgrades it: the committed schemas must come from the chart version pinned.
  test("the pinned version is the one constant every record of it names", () => {
    expect(LITMUS_DEFAULTS.version).toBe(LITMUS_CHART_VERSION);
    const sources = read("schemas/crds/SOURCES.md").split("\n");
    for (const file of Object.values(LITMUS_DEFAULTS.crds!)) {
      const row = sources.find((l) => l.startsWith(`| ${file} |`));
      expect({ file, installedBy: row?.split("|").slice(1, -1).pop()?.trim() }).toEqual({ file, installedBy: `litmus-core chart ${LITMUS_CHART_VERSION} (\`crds/\`)` });
    }
    expect(read("test/fixtures/helm-values/SOURCES.md")).toContain(`| ${FIXTURE} |`);
  });

  test("the README's CRD upgrade commands fetch and apply the CRDs of exactly the pinned chart version", () => {
    const readme = read("constructs/addons/litmus/README.md");
    const block = /## Upgrading the chart[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(block).toContain(`helm pull litmus-core --repo ${LITMUS_DEFAULTS.repository} --version ${LITMUS_CHART_VERSION} --untar`);
    expect(block).toMatch(/kubectl apply --server-side --force-conflicts -f litmus-core\/crds\//);
    // No other chart version anywhere in the commands: a bump must rewrite them.
    expect([...block.matchAll(/--version (\S+)/g)].map((m) => m[1])).toEqual([LITMUS_CHART_VERSION]);
  });

  test("the committed chart defaults are litmus-core's at that version (its images carry the chart's appVersion)", () => {
    const upstream = chartDefaults() as { operator: { image: { tag: string } } };
    expect(upstream.operator.image.tag).toBe(LITMUS_IMAGE_TAG);
  });

  test("each committed schema is the CRD of its kind at v1alpha1", () => {
    for (const [kind, file] of Object.entries(LITMUS_DEFAULTS.crds!)) {
      const schema = JSON.parse(read(`schemas/crds/${file}`)) as { properties?: Record<string, unknown> };
      expect({ kind, hasSpec: schema.properties?.spec !== undefined, file: path.basename(file) }).toEqual({
        kind, hasSpec: true, file: `${kind.split("/")[2]!.toLowerCase()}_v1alpha1.json`,
      });
    }
  });
});

describe("chaos.litmus in the environments", () => {
  const byName = Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, e]));

  test("runs in dev and staging, each with its reason, and not in prod", () => {
    expect(Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, litmusAddon.enabled(e)]))).toEqual({ dev: true, staging: true, prod: false });
    for (const env of ENVIRONMENTS.filter((e) => litmusAddon.enabled(e))) expect(env.chaos.litmus.optIn!.reason.length).toBeGreaterThanOrEqual(20);
  });

  test("fails when an opt-in gives no real reason, naming the field", () => {
    const input = structuredClone(byName.prod!) as any;
    input.chaos.litmus.optIn = { reason: "testing" };
    const { problems } = validateEnvironment(input);
    expect(problems).toContainEqual(expect.objectContaining({ path: "chaos.litmus.optIn.reason", value: "testing" }));
  });

  test("fails on an unknown key in the section, naming it", () => {
    const input = structuredClone(byName.dev!) as any;
    input.chaos.litmus.enabled = true;
    const { problems } = validateEnvironment(input);
    expect(problems.map((p) => p.path)).toContain("chaos.litmus.enabled");
  });
});
