import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";
import { registeredCrdSchemas } from "../../../constructs/addons/registry";
import { validNodePool } from "../../constructs/kubernetes/fixtures";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

type Mutable = Record<string, any>;
const NODE_POOL = "karpenter.sh/nodepool_v1.json";

function nodePoolWith(mutate: (m: Mutable) => void): Mutable {
  const m = structuredClone(validNodePool()) as Mutable;
  mutate(m);
  return m;
}

describe("crdSchemaProblems", () => {
  test("every listed schema file is committed and named in SOURCES.md", () => {
    const root = path.resolve(__dirname, "../../../schemas/crds");
    const sources = fs.readFileSync(path.join(root, "SOURCES.md"), "utf8");
    for (const file of Object.values(registeredCrdSchemas())) {
      expect(fs.existsSync(path.join(root, file))).toBe(true);
      expect(sources).toContain(`| ${file} |`);
    }
  });

  test("every committed schema file is declared by a registered add-on's chart (none left behind)", () => {
    const root = path.resolve(__dirname, "../../../schemas/crds");
    const committed = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => fs.readdirSync(path.join(root, d.name)).map((f) => `${d.name}/${f}`));
    expect(committed.filter((f) => !Object.values(registeredCrdSchemas()).includes(f))).toEqual([]);
  });

  test("SOURCES.md names a release tag for every schema and the blob of the committed file", () => {
    const root = path.resolve(__dirname, "../../../schemas/crds");
    const rows = fs.readFileSync(path.join(root, "SOURCES.md"), "utf8").split("\n").filter((l) => /^\| [a-z0-9.-]+\/[a-z0-9]+_v[0-9a-z]+\.json \|/.test(l));
    expect(rows.map((r) => r.split("|")[1]!.trim()).sort()).toEqual(Object.values(registeredCrdSchemas()).sort());
    let source = "";
    for (const row of rows) {
      const [file, from, , , blob] = row.split("|").slice(1).map((c) => c.trim());
      source = from === "same" ? source : from!;
      expect({ file, source }).toEqual({ file, source: expect.stringMatching(/ tag [^ ]+ = [0-9a-f]{40}/) });
      const bytes = fs.readFileSync(path.join(root, file!));
      const gitBlob = crypto.createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
      expect({ file, blob }).toEqual({ file, blob: gitBlob });
    }
  });

  test("accepts a valid NodePool", () => {
    expect(crdSchemaProblems(validNodePool() as never, NODE_POOL)).toEqual([]);
  });

  test("names a value outside the CRD's enum with the allowed values", () => {
    const problems = crdSchemaProblems(nodePoolWith((m) => (m.spec.disruption.consolidationPolicy = "Sometimes")) as never, NODE_POOL);
    expect(problems).toEqual([{ path: "manifest.spec.disruption.consolidationPolicy", value: "Sometimes", allowed: 'one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"' }]);
  });

  test("names a misspelt field with the known ones", () => {
    const problems = crdSchemaProblems(nodePoolWith((m) => (m.spec.template.spec.requirements[0].operater = "In")) as never, NODE_POOL);
    expect(problems).toContainEqual(expect.objectContaining({ path: "manifest.spec.template.spec.requirements[0].operater", allowed: expect.stringMatching(/^no field "operater" here \(known fields: .*operator/) }));
  });

  test("names a missing required field", () => {
    const problems = crdSchemaProblems(nodePoolWith((m) => delete m.spec.template.spec.nodeClassRef) as never, NODE_POOL);
    expect(problems).toContainEqual({ path: "manifest.spec.template.spec.nodeClassRef", value: undefined, allowed: "a value (required by the CRD schema)" });
  });

  test("applies the CRD's patterns (Go regexps) to strings", () => {
    const problems = crdSchemaProblems(nodePoolWith((m) => (m.spec.disruption.budgets[0].nodes = "ten")) as never, NODE_POOL);
    expect(problems.map((p) => p.path)).toEqual(["manifest.spec.disruption.budgets[0].nodes"]);
  });

  test("skips values only Terraform knows", () => {
    const token = "${TfToken[TOKEN.1]}";
    const m = nodePoolWith((x) => (x.spec.disruption.budgets[0].nodes = token));
    expect(crdSchemaProblems(m as never, NODE_POOL, { isUnknown: (v) => v === token })).toEqual([]);
    expect(crdSchemaProblems(m as never, NODE_POOL)).not.toEqual([]);
  });

  test("refuses a file outside schemas/crds", () => {
    expect(() => crdSchemaProblems(validNodePool() as never, "../../package.json")).toThrow(/not a CRD schema file of schemas\/crds/);
  });

  test("checks PodMonitors against the operator the pinned kube-prometheus-stack installs (0.93.1)", () => {
    const podMonitor = (spec: Mutable) => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "m", namespace: "n" },
      spec: { selector: {}, podMetricsEndpoints: [{ port: "metrics" }], ...spec },
    });
    expect(crdSchemaProblems(podMonitor({ sampleLimit: 1000 }) as never, "monitoring.coreos.com/podmonitor_v1.json")).toEqual([]);
    // 0.89's schema had no lower bound on the per-scrape limits; 0.93.1 refuses a negative one.
    expect(crdSchemaProblems(podMonitor({ sampleLimit: -1 }) as never, "monitoring.coreos.com/podmonitor_v1.json").map((p) => p.path)).toEqual(["manifest.spec.sampleLimit"]);
  });
});
