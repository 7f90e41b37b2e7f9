/**
 * `sre-platform diagram`: the DOT drawn from synthesized stacks (in process, over the suites' shared synth), and
 * the SVG as users get it, from one real `node dist/bin/sre-platform.js diagram` process (Graphviz's WebAssembly
 * build is an ES module, loaded by Node's own `import()`, which jest's module system does not provide).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environmentDot, parseDiagramArgs, DiagramUsageError, type SynthesizedStack } from "../../bin/diagram";
import { run } from "../../bin/sre-platform";
import { synthesizedApp } from "../support/synthesized-app";
import { LAYERS } from "../../stacks/environment-stack";
import { CLI, ensureCliBuilt } from "../support/cli-dist";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const meta = (p: string) => ({ "//": { metadata: { path: p } } });

describe("environmentDot", () => {
  const stacks: SynthesizedStack[] = [
    { name: "e-a", dependencies: [], json: { resource: { aws_vpc: { v: { cidr_block: "10.1.0.0/16", ...meta("e-a/Net/Vpc") } }, aws_subnet: { s1: meta("e-a/Net/S1"), s2: meta("e-a/Net/S2") } } } },
    {
      name: "e-b",
      dependencies: ["e-a"],
      json: {
        resource: {
          aws_eks_node_group: { ng: { labels: { "sre-platform.io/node-role": "system" }, scaling_config: { min_size: 2, max_size: 4 }, instance_types: ["m7i.large"], ...meta("e-b/Cluster/Ng") } },
          helm_release: { r: { chart: "falco", version: "9.1.0", namespace: "falco", ...meta("e-b/Falco/Release") } },
          aws_s3_backend: { x: meta("e-b/backend") },
        },
      },
    },
    { name: "e-c", dependencies: ["e-a", "e-b"], json: { resource: { kubernetes_manifest: { m: { manifest: { kind: 'Weird"<Kind>' }, ...meta("e-c/Policies/M") } } } } },
  ];
  const dot = environmentDot("e", stacks);

  test("a box per stack, a node per top-level construct with what it holds, a node per node group", () => {
    expect(dot.match(/subgraph "cluster_e-[abc]"/g)).toHaveLength(3);
    expect(dot).toContain("VPC 10.1.0.0/16");
    expect(dot).toContain("2 subnets, 0 NAT gateways");
    expect(dot).toContain('"e-b/Cluster/ng" [label=<<b>node group system</b><br/><font point-size="10" color="#33414e">2–4 nodes</font>');
    expect(dot).toContain("falco 9.1.0 → falco");
    expect(dot).not.toContain("e-b/backend"); // plumbing every stack has is left out
  });

  test("arrows follow the dependencies, without the ones a longer path implies", () => {
    const edges = [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)" \[ltail="cluster_([^"]+)", lhead="cluster_([^"]+)"\]/gm)].map((m) => `${m[3]}->${m[4]}`);
    expect(edges.sort()).toEqual(["e-a->e-b", "e-b->e-c"]);
  });

  test("text from the stacks is escaped for Graphviz", () => {
    expect(dot).toContain("Weird&quot;&lt;Kind&gt;");
  });
});

describe("diagram arguments", () => {
  const known = ["dev", "staging", "prod"];
  test.each([
    [["prd", "--out", "x.svg"], 'unknown environment "prd"; allowed: dev, staging, prod'],
    [["dev"], "diagram needs --out FILE (e.g. --out dev.svg)"],
    [["dev", "prod", "--out", "x.svg"], "diagram takes one environment, got dev prod; allowed: dev, staging, prod"],
    [["dev", "--out", "x.png", "--format", "png"], 'invalid --format "png"; allowed: svg, dot'],
    [["dev", "--outfile", "x"], "unknown option --outfile; allowed: --out, --format, --help"],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parseDiagramArgs(args, known)).toThrow(new DiagramUsageError(message));
  });

  test("a refused command line exits 2 with one line and writes nothing", async () => {
    let err = "";
    const code = await run(["diagram", "prd", "--out", path.join(tmp, "x.svg")], { out: () => undefined, err: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toBe('sre-platform: unknown environment "prd"; allowed: dev, staging, prod\n');
    expect(fs.existsSync(path.join(tmp, "x.svg"))).toBe(false);
  });
});

describe("the diagram of a committed environment", () => {
  beforeAll(ensureCliBuilt, 200_000);

  test("dev: every layer drawn, with the node groups and every Helm chart at its pinned version", () => {
    const out = synthesizedApp();
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
    const stacks: SynthesizedStack[] = LAYERS.map((l) => `dev-${l}`).map((name) => ({
      name,
      json: JSON.parse(fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8")),
      dependencies: manifest.stacks[name]!.dependencies,
    }));
    expect(stacks.map((s) => s.name).sort()).toEqual(LAYERS.map((l) => `dev-${l}`).sort());
    const dot = environmentDot("dev", stacks);
    for (const s of stacks) {
      expect(dot).toContain(`subgraph "cluster_${s.name}"`);
      for (const r of Object.values(s.json.resource?.["helm_release"] ?? {})) expect(dot).toContain(`${String(r["chart"])} ${String(r["version"])}`);
    }
    const nodeGroups = stacks.flatMap((s) => Object.values(s.json.resource?.["aws_eks_node_group"] ?? {}));
    expect(nodeGroups.length).toBeGreaterThan(0);
    expect(dot.match(/node group /g)).toHaveLength(nodeGroups.length);
  }, 60_000);

  test("as users run it: an SVG with a box per layer, written by one real process", async () => {
    const out = path.join(tmp, "prod.svg");
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "diagram", "prod", "--out", out], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(r).toEqual({ code: 0, stdout: `wrote ${out}: 9 stacks of prod\n`, stderr: "" });
    const svg = fs.readFileSync(out, "utf8");
    expect(svg).toMatch(/<svg width="\d+pt" height="\d+pt"/);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<g id="clust\d+" class="cluster">/g)).toHaveLength(LAYERS.length);
    for (const layer of LAYERS) expect(svg.replace(/&#45;/g, "-")).toContain(`>prod-${layer}</text>`);
  }, 120_000);
});
