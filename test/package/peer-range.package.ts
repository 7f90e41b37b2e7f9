import { runner } from "./support";
import { installedClosure, narrowerEngines } from "../support/engines";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The bottom of every peer dependency range: an app with the lowest cdktf, constructs and provider
 * versions package.json accepts, this package from `npm pack`, and every construct built, type-checked
 * against those versions' declarations and synthesized with their code. Run by `npm run test:package` (CI
 * runs it after `npm test`): installing the providers unpacks about 500 MB, too slow for every `npm test`.
 * npm takes the packages from its cache when they are there and from the registry otherwise.
 */
const root = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "peers-"));
const app = path.join(work, "oldest");
const modules = path.join(app, "node_modules");
const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };

/** `^1.2.3` → `1.2.3`; the ranges are all caret ranges, whose lowest version is the one named. */
function bottom(range: string): string {
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (!m) throw new Error(`peer range ${range} is not a caret range; teach this test its lowest version`);
  return m[1]!;
}
const bottoms = Object.fromEntries(Object.entries(own.peerDependencies).map(([name, range]) => [name, bottom(range)]));

const runIn = runner(app, 1);
const timings = runIn.timings;
const run = (cmd: string, args: readonly string[], cwd = app) => runIn(cmd, args, { cwd });

beforeAll(() => {
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "oldest", private: true, dependencies: bottoms }, null, 2));
  const install = run("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"]);
  if (install.status !== 0) throw new Error(`npm install of the lowest peers failed:\n${install.stderr}`);
  const packed = run("npm", ["pack", "--json", "--pack-destination", work], root);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as [{ filename: string }];
  fs.mkdirSync(path.join(modules, "sre-platform"));
  const untar = run("tar", ["-xzf", path.join(work, info.filename), "-C", path.join(modules, "sre-platform"), "--strip-components=1"]);
  if (untar.status !== 0) throw new Error(untar.stderr);
  // The package's own dependencies and the compiler come from this repository.
  const shipped = JSON.parse(fs.readFileSync(path.join(modules, "sre-platform/package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(shipped.dependencies), "typescript", "@types/node"]) {
    fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules", dep)), path.join(modules, dep), "dir");
  }
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "CommonJS", target: "ES2018", lib: ["es2018"], strict: true, skipLibCheck: true, outDir: "out" }, files: ["all.ts"] }),
  );
  fs.mkdirSync(path.join(app, "slos"));
  fs.writeFileSync(
    path.join(app, "slos/api.yaml"),
    `version: sre-platform/v1
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{job="api"}[{{.window}}]))
    alerting:
      name: ApiAvailability
`,
  );
  // Every construct the package offers, wired as the platform's own stacks wire them.
  fs.writeFileSync(
    path.join(app, "all.ts"),
    `import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAccess, ClusterAutoscaler, EksCluster, MetricsServer, Network, NodeAutoscaling, SloRules, Storage, StorageClasses } from "sre-platform";

const app = new App({ outdir: "cdktf.out" });
const stack = new TerraformStack(app, "oldest");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
const network = new Network(stack, "Network", { vpcCidr: "10.60.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], clusterName: "oldest" });
const cluster = new EksCluster(stack, "Cluster", {
  network, clusterName: "oldest", kubernetesVersion: "1.33", deployRoleArn: "arn:aws:iam::111111111111:role/deploy",
  nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 3 }],
});
const storage = new Storage(stack, "Storage", { network, cluster, keyAdministration: { adminRoleArns: ["arn:aws:iam::111111111111:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111111111111:role/break-glass" } });
const access = new ClusterAccess(stack, "ClusterAccess", { cluster, roleArn: "arn:aws:iam::111111111111:role/deploy" });
new NodeAutoscaling(stack, "NodeAutoscaling", { cluster, autoscaler: "karpenter", karpenter: { nodeRoleArn: cluster.nodeRoleArn, createNodeAccessEntry: false }, access });
new ClusterAutoscaler(stack, "ClusterAutoscaler", { cluster, access });
new MetricsServer(stack, "MetricsServer", { cluster, access });
new StorageClasses(stack, "StorageClasses", { gp3: { kmsKeyId: cluster.volumeKmsKeyArn }, efs: storage.efs ? { fileSystemId: storage.efs.fileSystemId } : undefined, access });
new SloRules(stack, "SloRules", { specs: ["slos"], prometheus: { namespace: "monitoring", releaseLabel: "kube-prometheus-stack" }, access });
app.synth();
`,
  );
}, 600_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(`peer-range suite timings (ms): ${JSON.stringify(timings)}\n`);
});

test("installs the lowest version of every peer range", () => {
  const installed = Object.fromEntries(Object.keys(bottoms).map((name) => [name, JSON.parse(fs.readFileSync(path.join(modules, name, "package.json"), "utf8")).version]));
  expect(installed).toEqual(bottoms);
});

test("the Node.js range package.json declares holds for the lowest peers and everything they bring", () => {
  const declared = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  expect(narrowerEngines(declared, installedClosure(Object.keys(bottoms), app).values())).toEqual([]);
});

test("every construct type-checks against the lowest peers' declarations and synthesizes with their code", () => {
  const tsc = run(process.execPath, [path.join(modules, "typescript/bin/tsc"), "-p", "."]);
  expect(tsc.stdout + tsc.stderr).toBe("");
  const synth = run(process.execPath, ["out/all.js"]);
  expect(synth.stderr).toBe("");
  expect(synth.status).toBe(0);
  const tf = JSON.parse(fs.readFileSync(path.join(app, "cdktf.out/stacks/oldest/cdk.tf.json"), "utf8"));
  const types = Object.keys(tf.resource);
  expect(types).toEqual(expect.arrayContaining(["aws_vpc", "aws_eks_cluster", "aws_eks_node_group", "aws_efs_file_system", "aws_s3_bucket", "helm_release", "kubernetes_manifest", "kubernetes_storage_class_v1"]));
  expect(Object.keys(tf.provider)).toEqual(expect.arrayContaining(["aws", "helm", "kubernetes"]));
}, 300_000);
