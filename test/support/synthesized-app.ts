/**
 * The whole app as `npm run synth` writes it (every environment, every stack, the compiled SLO rules),
 * synthesized ONCE per jest run and read by every suite that needs it: the first suite to ask runs
 * scripts/synth.mjs into the run's private temp directory (set by test/setup/global-setup.js); the others,
 * in this or another worker, wait for it and read the same files. Suites that need no synth pay nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const BASE = path.join(process.env.SRE_PLATFORM_TEST_TMP ?? os.tmpdir(), "synthesized-app");
const OUT = path.join(BASE, "out");
const RESULT = path.join(BASE, "result.json");
const LOCK = path.join(BASE, "lock");
const WAIT_MS = 180_000;

type Json = Record<string, any>;

interface SynthResult {
  readonly code: number | null;
  readonly stderr: string;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A clean environment, as a user's shell would give `npm run synth` (no jest or CI variables). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CHECKPOINT_DISABLE: "1" };
  for (const key of ["PATH", "HOME", "TMPDIR"]) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}

function synthesizeOnce(): SynthResult {
  fs.mkdirSync(BASE, { recursive: true });
  if (!fs.existsSync(RESULT)) {
    let owner = false;
    try {
      fs.mkdirSync(LOCK); // atomic: exactly one process synthesizes
      owner = true;
    } catch {
      // another worker is synthesizing
    }
    if (owner) {
      const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/synth.mjs"), "--out", OUT], {
        cwd: ROOT,
        env: childEnv(),
        encoding: "utf8",
        timeout: WAIT_MS,
      });
      fs.writeFileSync(`${RESULT}.tmp`, JSON.stringify({ code: r.status, stderr: r.stderr ?? String(r.error) }));
      fs.renameSync(`${RESULT}.tmp`, RESULT);
    }
    for (const started = Date.now(); !fs.existsSync(RESULT); sleep(100)) {
      if (Date.now() - started > WAIT_MS) throw new Error(`waited ${WAIT_MS / 1000} s for the shared synth in ${BASE}`);
    }
  }
  return JSON.parse(fs.readFileSync(RESULT, "utf8")) as SynthResult;
}

/** The output folder of the shared synth (`stacks/`, `slo/`, `manifest.json`); throws if the synth failed. */
export function synthesizedApp(): string {
  const r = synthesizeOnce();
  if (r.code !== 0) throw new Error(`npm run synth failed (exit ${r.code}):\n${r.stderr}`);
  return OUT;
}

/** One synthesized stack's Terraform JSON, e.g. `synthesizedStack("prod-cluster")`. */
export function synthesizedStack(id: string): Json {
  return JSON.parse(fs.readFileSync(path.join(synthesizedApp(), "stacks", id, "cdk.tf.json"), "utf8")) as Json;
}

/** The stacks cdktf's manifest lists, with the stacks each depends on. */
export function synthesizedManifest(): { stacks: Record<string, { dependencies: string[] }> } {
  return JSON.parse(fs.readFileSync(path.join(synthesizedApp(), "manifest.json"), "utf8"));
}
