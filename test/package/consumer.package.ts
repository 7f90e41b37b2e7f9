import { runner } from "./support";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Another team's cdktf app, as a new user would set it up: the folder `cdktf init --template=typescript`
 * lays out (its tsconfig.json, cdktf.json and package.json, read from the installed cdktf-cli's own
 * template), the development packages that template's install hook adds, installed from the registry exactly as
 * it names them (no versions: the newest), then the commands the README's "A new app" block runs after
 * `cdktf init`, then this package from the tarball `npm pack` builds in a fresh checkout, and the README's example
 * as main.ts. The tarball is unpacked into node_modules as npm would; its dependencies and the app's runtime
 * packages (cdktf, constructs, the providers, about 500 MB) and the cdktf CLI (installed globally by a user) are
 * linked from this repository's node_modules. One pack and one install for the suite; npm takes the development
 * packages from its cache when they are there.
 */
const root = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
const app = path.join(work, "team-a");
const template = path.join(root, "node_modules/cdktf-cli/bundle/templates/typescript");
const modules = path.join(app, "node_modules");
let tarball: string;
let tarFiles: string[];
let installed: Record<string, string>;

const run = runner(app);
const timings = run.timings;

function link(name: string): void {
  const target = path.join(modules, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules", name)), target, "dir");
}

function bin(name: string, target: string): void {
  fs.mkdirSync(path.join(modules, ".bin"), { recursive: true });
  fs.symlinkSync(path.relative(path.join(modules, ".bin"), path.join(modules, target)), path.join(modules, ".bin", name));
  fs.chmodSync(path.join(modules, target), 0o755);
}

/** The README's text. */
const readme = (): string => fs.readFileSync(path.join(root, "README.md"), "utf8");

/**
 * The packages `cdktf init --template=typescript` installs as development dependencies, read from the template's
 * install hook (`installDeps([...], true, ...)`), names only as it passes them to `npm install -D`.
 */
export function initDevDependencies(hook: string): string[] {
  const m = /installDeps\(\s*\[([^\]]*)\],\s*true\b/.exec(hook);
  if (!m) throw new Error("the cdktf-cli template's install hook no longer calls installDeps([...], true): read it again");
  return [...m[1]!.matchAll(/"([^"]+)"/g)].map((d) => d[1]!);
}

/** The `npm install` commands of the README's "A new app" block that follow `cdktf init`, as argument lists. */
export function readmeAppSetup(text: string): string[][] {
  const block = /^### A new app\n[\s\S]*?^```sh\n([\s\S]*?)^```$/m.exec(text);
  if (!block) throw new Error('README.md has no "### A new app" section with a ```sh block');
  const lines = block[1]!.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim());
  const init = lines.findIndex((l) => l.startsWith("cdktf init "));
  if (init < 0) throw new Error("the README's app block does not run cdktf init");
  // The development tools; the runtime packages (the providers, this package) are linked by the suite.
  return lines.slice(init + 1).filter((l) => /^npm install\s(.*\s)?(-D|--save-dev)(\s|$)/.test(l)).map((l) => l.split(/\s+/).slice(1));
}

/** The yaml-language-server modeline the README gives for a spec in an app's `slos/` folder. */
function readmeModeline(): string {
  const m = /^```yaml\n(# yaml-language-server: \$schema=\.\.\/node_modules\/\S+)\n/m.exec(readme());
  if (!m) throw new Error("README.md has no ```yaml block starting with a yaml-language-server modeline into node_modules");
  return m[1]!;
}

/** The fenced ```ts blocks of the README, in order. */
function readmeBlocks(): string[] {
  return [...readme().matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

beforeAll(() => {
  const started = Date.now();
  // A fresh checkout: the repository's files without dist/ (what git would clone, uncommitted changes
  // included), its dependencies linked. npm pack runs `prepare`, which must build dist/ from nothing.
  const checkout = path.join(work, "checkout");
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
  if (listed.status !== 0) throw new Error(`git ls-files failed:\n${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter((f) => f !== "" && fs.existsSync(path.join(root, f)) && fs.lstatSync(path.join(root, f)).isFile())) {
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(checkout, file));
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(checkout, "node_modules"), "dir");
  expect(fs.existsSync(path.join(checkout, "dist"))).toBe(false);
  const packed = run("npm", ["pack", "--json", "--pack-destination", work], { cwd: checkout });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(work, info.filename);
  tarFiles = info.files.map((f) => f.path).sort();

  // `cdktf init --template=typescript`: the template's files, its placeholders filled as the CLI fills them.
  fs.mkdirSync(app);
  fs.copyFileSync(path.join(template, "tsconfig.json"), path.join(app, "tsconfig.json"));
  const cdktfJson = fs
    .readFileSync(path.join(template, "cdktf.json"), "utf8")
    .replace("{{projectId}}", "00000000-0000-4000-8000-000000000000")
    .replace("{{sendCrashReports}}", "false")
    .replace("{{futureFlags}}", "");
  fs.writeFileSync(path.join(app, "cdktf.json"), cdktfJson);
  const pkg = JSON.parse(fs.readFileSync(path.join(template, "package.json"), "utf8").replace("{{ $base }}", "team-a"));
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(pkg, null, 2));
  // The template's hook: `npm install -D <its development packages>`, the newest of each, NODE_ENV=development.
  // Then the README's commands after `cdktf init` (pinning what the newest versions break).
  const npmOptions = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"];
  const devInstall = ["install", "-D", ...initDevDependencies(fs.readFileSync(path.join(template, ".hooks.sscaff.js"), "utf8")), ...npmOptions];
  for (const args of [devInstall, ...readmeAppSetup(readme()).map((a) => [...a, ...npmOptions])]) {
    const r = run("npm", args, { env: { NODE_ENV: "development" } });
    if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed:\n${r.stderr}`);
  }
  installed = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8")).devDependencies;

  // The package and the app's runtime packages, which npm is not asked about again (it would prune the links).
  const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const peers = Object.keys(own.peerDependencies);
  const withDeps = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8"));
  withDeps.dependencies = { "sre-platform": `file:${tarball}`, ...Object.fromEntries(peers.map((p) => [p, own.devDependencies[p]])) };
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(withDeps, null, 2));

  // Install: the tarball unpacked as node_modules/sre-platform with its bin linked; its dependencies and the peers linked.
  fs.mkdirSync(path.join(modules, "sre-platform"), { recursive: true });
  const untar = run("tar", ["-xzf", tarball, "-C", path.join(modules, "sre-platform"), "--strip-components=1"]);
  if (untar.status !== 0) throw new Error(untar.stderr);
  const shipped = JSON.parse(fs.readFileSync(path.join(modules, "sre-platform/package.json"), "utf8"));
  for (const dep of [...Object.keys(shipped.dependencies), ...peers, "cdktf-cli"]) link(dep);
  bin("sre-platform", path.join("sre-platform", shipped.bin["sre-platform"]));
  bin("cdktf", "cdktf-cli/bundle/bin/cdktf");

  // The README's example is the app; its SLO spec is a team's.
  const blocks = readmeBlocks();
  fs.writeFileSync(path.join(app, "main.ts"), blocks[0]!);
  blocks.slice(1).forEach((b, i) => fs.writeFileSync(path.join(app, `readme-${i + 1}.ts`), b));
  fs.mkdirSync(path.join(app, "slos"));
  fs.writeFileSync(
    path.join(app, "slos/orders.yaml"),
    `${readmeModeline()}
version: sre-platform/v1
service: orders
slos:
  - name: availability
    # Low enough that the fastest page pair can never fire: the compiler warns, and cdktf synth must show it.
    objective: 92
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{namespace="orders",job="orders",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{namespace="orders",job="orders"}[{{.window}}]))
    alerting:
      name: OrdersAvailability
`,
  );
  timings["pack and install"] = Date.now() - started;
}, 300_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(`consumer suite timings (ms): ${JSON.stringify(timings)}\n`);
});

describe("the tarball", () => {
  test("ships the constructs, stacks, lib, CLI, docs and the slo/ entry", () => {
    expect(tarFiles).toEqual(
      expect.arrayContaining([
        "README.md",
        "package.json",
        "slo/package.json",
        "observability/package.json",
        "docs/slo-compiler.md",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/constructs/network/network.js",
        "dist/constructs/cluster/cluster-access.js",
        "dist/constructs/observability/slo-rules.js",
        "dist/stacks/environment-stack.js",
        "dist/lib/slo/index.js",
        "dist/lib/slo/index.d.ts",
        "dist/lib/kubernetes/crd-validators.generated.js",
        "dist/bin/sre-platform.js",
        "schemas/slo/sre-platform-v1.schema.json",
        "CHANGELOG.md",
      ]),
    );
  });

  test("ships nothing environment-specific and no sources or tests", () => {
    const unwanted = tarFiles.filter((f) => /^(dist\/)?(environments|test|scripts)\/|^dist\/main\.|^dist\/synth\/|\.tsbuildinfo$|^[^/]+\.ts$|\/[^/]+(?<!\.d)\.ts$/.test(f));
    expect(unwanted).toEqual([]);
  });

  test("the JSON Schema the README's modeline names is where an app's spec finds it", () => {
    const target = /\$schema=(\S+)$/.exec(readmeModeline())![1]!;
    const schema = JSON.parse(fs.readFileSync(path.resolve(app, "slos", target), "utf8"));
    expect(schema.properties.version.const).toBe("sre-platform/v1");
  });

  test("every relative link of its Markdown files resolves inside it", () => {
    const broken: string[] = [];
    for (const doc of tarFiles.filter((f) => f.endsWith(".md"))) {
      const text = fs.readFileSync(path.join(modules, "sre-platform", doc), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target!));
        if (!tarFiles.some((f) => f === resolved || f.startsWith(`${resolved}/`))) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("an app as cdktf init sets it up", () => {
  test("has the development packages cdktf init installs, with the README's TypeScript pin applied", () => {
    const hook = initDevDependencies(fs.readFileSync(path.join(template, ".hooks.sscaff.js"), "utf8"));
    expect(hook).toEqual(expect.arrayContaining(["typescript", "ts-node", "@types/node"]));
    expect(Object.keys(installed).sort()).toEqual([...hook].sort());
    expect(readmeAppSetup(readme())).toEqual([["install", "--save-dev", "--save-exact", "typescript@5.9.3"]]);
    expect(installed.typescript).toBe("5.9.3");
    expect(JSON.parse(fs.readFileSync(path.join(modules, "typescript/package.json"), "utf8")).version).toBe("5.9.3");
  });

  test("type-checks the README's example and every other TypeScript block of the README (moduleResolution node10)", () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(app, "tsconfig.json"), "utf8"));
    expect(tsconfig.compilerOptions.module).toBe("CommonJS");
    expect(tsconfig.compilerOptions.moduleResolution).toBeUndefined();
    expect(readmeBlocks().length).toBeGreaterThanOrEqual(3);
    const r = run(path.join(modules, ".bin/tsc"), ["-p", ".", "--noEmit", "--incremental", "false"]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test.each(["node10", "node16", "nodenext", "bundler"] as const)("resolves sre-platform and its subpaths to the declarations under moduleResolution %s", (resolution) => {
    // Resolution is what differs between these settings; the node10 test above type-checks what it finds.
    const ts = require(path.join(root, "node_modules/typescript")) as typeof import("typescript");
    const kind = { node10: ts.ModuleResolutionKind.Node10, node16: ts.ModuleResolutionKind.Node16, nodenext: ts.ModuleResolutionKind.NodeNext, bundler: ts.ModuleResolutionKind.Bundler }[resolution];
    const module = resolution === "bundler" ? ts.ModuleKind.ESNext : resolution === "node10" ? ts.ModuleKind.CommonJS : ts.ModuleKind.Node16;
    const resolved = (name: string) => {
      const r = ts.resolveModuleName(name, path.join(app, "main.ts"), { moduleResolution: kind, module }, ts.sys, undefined, undefined, ts.ModuleKind.CommonJS);
      return r.resolvedModule ? path.relative(path.join(modules, "sre-platform"), fs.realpathSync(r.resolvedModule.resolvedFileName)) : undefined;
    };
    expect([resolved("sre-platform"), resolved("sre-platform/slo"), resolved("sre-platform/observability")]).toEqual([
      "dist/index.d.ts",
      "dist/lib/slo/index.d.ts",
      "dist/lib/observability/index.d.ts",
    ]);
  });

  test("resolves sre-platform/slo and sre-platform/observability at run time: Node's require and a bundler", () => {
    fs.writeFileSync(path.join(app, "slo-runtime.js"), `const slo = require("sre-platform/slo"); const obs = require("sre-platform/observability");\nconsole.log(typeof slo.compileSlos, typeof slo.loadSloFiles, typeof obs === "object" && Object.keys(obs).length > 0);\n`);
    const direct = run(process.execPath, ["slo-runtime.js"]);
    expect(direct.stderr).toBe("");
    expect(direct.stdout.trim()).toBe("function function true");
    const esbuild = require(path.join(root, "node_modules/esbuild")) as typeof import("esbuild");
    const bundled = esbuild.buildSync({ absWorkingDir: app, entryPoints: ["slo-runtime.js"], bundle: true, platform: "node", logLevel: "silent", outfile: "slo-bundle.js" });
    expect(bundled.errors).toEqual([]);
    const fromBundle = run(process.execPath, ["slo-bundle.js"]);
    expect(fromBundle.stdout.trim()).toBe("function function true");
  });

  test("cdktf synth runs the README's example through npx ts-node main.ts", () => {
    expect(JSON.parse(fs.readFileSync(path.join(app, "cdktf.json"), "utf8")).app).toBe("npx ts-node main.ts");
    // ts-node only transpiles here: the test above type-checked main.ts with the same tsconfig.
    const r = run(path.join(modules, ".bin/cdktf"), ["synth"], { env: { TS_NODE_TRANSPILE_ONLY: "true" } });
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
    expect(r.stdout).toMatch(/WARN \[team-a\/SloRules\]: .*slos\/orders\.yaml: orders-availability: .*the page alert's 1h\/5m pair can never fire/);
    const tf = JSON.parse(fs.readFileSync(path.join(app, "cdktf.out/stacks/team-a/cdk.tf.json"), "utf8"));
    const rule = Object.values(tf.resource.kubernetes_manifest as Record<string, { manifest: any; provider: string }>);
    expect(rule.map((m) => [m.manifest.kind, m.manifest.metadata.name, m.manifest.metadata.labels.release, m.provider])).toEqual([
      ["PrometheusRule", "slo-orders", "kube-prometheus-stack", "kubernetes"],
    ]);
    expect(tf.provider.kubernetes[0].exec[0].args).toEqual(expect.arrayContaining(["--role-arn", "arn:aws:iam::111111111111:role/team-a-deploy"]));
    expect(Object.keys(tf.resource.aws_s3_bucket)).toHaveLength(3);
    expect(tf.resource.aws_vpc).toBeUndefined();
  }, 120_000);

  test("sre-platform slo report without files says what it needs, outside this repository", () => {
    const none = run(path.join(modules, ".bin/sre-platform"), ["slo", "report"]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^sre-platform: no SLO files given; usage: sre-platform slo report <files or directories…>/);
    const report = run(path.join(modules, ".bin/sre-platform"), ["slo", "report", "slos"]);
    expect(report.status).toBe(0);
    expect(report.stderr).toMatch(/^warning: slos\/orders\.yaml: orders-availability: .*1h\/5m pair can never fire/);
    expect(report.stdout).toMatch(/^orders-availability/);
  });
});
