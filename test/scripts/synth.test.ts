/**
 * `npm run synth` (scripts/synth.mjs) with a stand-in `terraform` first on PATH that logs each call: cdktf's
 * Terraform version check of the stacks with `moved` blocks (one per environment) runs once per synth, and
 * keeps its verdict for every stack.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesizedApp } from "../support/synthesized-app";

const root = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-script-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  /** Arguments of each call of the stand-in terraform. */
  readonly terraformCalls: string[];
  readonly out: string;
}

/** Synthesizes dev and staging (two stacks with `moved` blocks) with a terraform that reports `version`. */
function synthWithTerraform(name: string, version: string): Promise<Run> {
  const bin = path.join(tmp, name, "bin");
  const log = path.join(tmp, name, "terraform.log");
  const out = path.join(tmp, name, "out");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "terraform"), `#!/bin/sh\necho "$*" >> "${log}"\necho "Terraform v${version}"\necho "on linux_amd64"\n`, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1" };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(root, "scripts/synth.mjs"), "--env", "dev,staging", "--out", out], { cwd: root, env, encoding: "utf8" }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      if (code === null) return reject(error);
      const terraformCalls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
      resolve({ code, stderr, terraformCalls, out });
    });
  });
}

let runs: { current: Promise<Run>; old: Promise<Run> } | undefined;
function started() {
  if (!runs) {
    synthesizedApp(); // brings the bundle up to date first, so the runs below do not rebuild it concurrently
    runs = { current: synthWithTerraform("current", "1.10.5"), old: synthWithTerraform("old", "1.4.0") };
  }
  return runs;
}

describe("the Terraform version check", () => {
  test("runs terraform once for the whole synth, and every stack still pins Terraform >= 1.10", async () => {
    const run = await started().current;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.terraformCalls).toEqual(["version"]);
    const stacks = fs.readdirSync(path.join(run.out, "stacks"));
    expect(stacks.filter((s) => s.endsWith("-platform-resources")).sort()).toEqual(["dev-platform-resources", "staging-platform-resources"]);
    for (const stack of stacks) {
      const tf = JSON.parse(fs.readFileSync(path.join(run.out, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect({ stack, required: tf.terraform.required_version }).toEqual({ stack, required: ">= 1.10.0" });
    }
  });

  test("fails when the installed Terraform is too old for the moved blocks, and writes nothing", async () => {
    const run = await started().old;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("[dev-platform-resources] terraform version 1.4.0 is lower than the required version >=1.5");
    expect(run.terraformCalls).toEqual(["version"]);
    expect(fs.existsSync(run.out)).toBe(false);
  });
});
