import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Another team's project, as it would use this package: `sre-platform` resolved from node_modules through
 * package.json `exports`, the compiled JavaScript in dist/ (built by `npm test` before jest), and the
 * declarations type-checked by tsc with Node's own module resolution.
 */
const root = path.resolve(__dirname, "../..");
const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));

beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist/index.js"))) {
    throw new Error("dist/index.js is missing: run `npm run build` (npm test builds before jest)");
  }
  fs.mkdirSync(path.join(consumer, "node_modules"));
  fs.symlinkSync(root, path.join(consumer, "node_modules", "sre-platform"), "dir");
  // The consumer installs cdktf and the providers itself (they are peers of this package).
  for (const peer of ["cdktf", "constructs", "@cdktf"]) {
    fs.symlinkSync(path.join(root, "node_modules", peer), path.join(consumer, "node_modules", peer), "dir");
  }
  fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "team-stack", private: true }));
});
afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

function run(file: string) {
  return spawnSync(process.execPath, [file], { cwd: consumer, encoding: "utf8" });
}

test("a consumer's JavaScript imports the constructs and composes them with an existing VPC and cluster", () => {
  const script = path.join(consumer, "main.js");
  fs.writeFileSync(
    script,
    `
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { Network, EksCluster, Storage } = require("sre-platform");
const app = new App({ outdir: "out" });
const stack = new TerraformStack(app, "team");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
const network = Network.fromNetworkAttributes(stack, "Vpc", {
  vpcId: "vpc-0123", vpcCidrBlock: "10.50.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"],
  publicSubnetIds: ["subnet-p1", "subnet-p2"], privateSubnetIds: ["subnet-a", "subnet-b"],
});
const cluster = EksCluster.fromClusterAttributes(stack, "Cluster", {
  clusterName: "shared", clusterArn: "arn:aws:eks:eu-west-1:111111111111:cluster/shared",
  clusterEndpoint: "https://example.eks.amazonaws.com", clusterCertificateAuthorityData: "Y2E=",
  clusterSecurityGroupId: "sg-0123", oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X",
  oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/X", kubernetesVersion: "1.33",
});
new Storage(stack, "Storage", {
  network, cluster, namePrefix: "team-a",
  keyAdministration: { adminRoleArns: ["arn:aws:iam::111111111111:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111111111111:role/break-glass" },
});
app.synth();
const tf = require("./out/stacks/team/cdk.tf.json");
console.log(JSON.stringify({
  efsMountTargets: Object.values(tf.resource.aws_efs_mount_target).map((m) => m.subnet_id),
  buckets: Object.keys(tf.resource.aws_s3_bucket).length,
}));
`,
  );
  const r = run(script);
  expect(r.stderr).not.toMatch(/Error|at .+:\d+:\d+/);
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  expect(out.efsMountTargets.sort()).toEqual(["subnet-a", "subnet-b"]);
  expect(out.buckets).toBeGreaterThanOrEqual(3);
});

test("the SLO compiler is importable on its own from sre-platform/slo", () => {
  const script = path.join(consumer, "slo.js");
  fs.writeFileSync(
    script,
    `
const slo = require("sre-platform/slo");
console.log(typeof slo.loadSloFiles, typeof slo.compileSlos, typeof slo.emitRulesYaml);
`,
  );
  const r = run(script);
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe("function function function");
});

test("a consumer's TypeScript type-checks against the published declarations", () => {
  fs.writeFileSync(
    path.join(consumer, "stack.ts"),
    `
import { App, TerraformStack } from "cdktf";
import { Network, EksCluster, type INetwork, type ICluster, type NetworkProps } from "sre-platform";
import { compileSlos, type SloDefinition } from "sre-platform/slo";
const app = new App();
const stack = new TerraformStack(app, "typed");
const props: NetworkProps = { vpcCidr: "10.60.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] };
const net: INetwork = new Network(stack, "Net", props);
const imported: ICluster = EksCluster.fromClusterAttributes(stack, "C", {} as ICluster);
const defs: SloDefinition[] = [];
compileSlos(defs);
void net; void imported;
`,
  );
  fs.writeFileSync(
    path.join(consumer, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, module: "node16", moduleResolution: "node16", target: "ES2022", noEmit: true, skipLibCheck: true, types: [] }, files: ["stack.ts"] }),
  );
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", consumer], { cwd: consumer, encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});
