#!/usr/bin/env node
// The fast synth path: bundle the TypeScript entry with esbuild (only when a source changed), then run the
// bundle in this process with a V8 code cache, which spares compiling the bundle (15 MB with the CRD validators).
// No ts-node, no type-check (that is `npm run typecheck` / `npm test`), deep provider imports only.
// The CRD validators are precompiled first (scripts/crd-validators.mjs) and bundled like any module.
// Arguments are passed to main.ts: `npm run synth -- --env dev`.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import Module from "node:module";
import { fileURLToPath } from "node:url";
import { ensureCrdValidators } from "./crd-validators.mjs";

// cdktf's version check (HashiCorp checkpoint) logs an error offline; the project's commands never ask for it.
process.env.CHECKPOINT_DISABLE ??= "1";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "dist", "synth", "main.cjs");
const codeCache = `${bundle}.v8-cache`;
const SOURCE_DIRS = ["environments", "stacks", "constructs", "lib"];

function newestSourceMtime() {
  let newest = fs.statSync(path.join(root, "main.ts")).mtimeMs;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|js|ya?ml|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return Math.max(newest, fs.statSync(path.join(root, "package-lock.json")).mtimeMs);
}

export async function ensureBundle() {
  await ensureCrdValidators();
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSourceMtime()) return bundle;
  fs.rmSync(codeCache, { force: true });
  const esbuild = await import("esbuild");
  // Written aside and renamed, so a synth running at the same time reads the old or the new bundle.
  const tmp = `${bundle}.tmp-${process.pid}`;
  await esbuild.build({
    entryPoints: [path.join(root, "main.ts")],
    outfile: tmp,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
    legalComments: "none",
  });
  fs.renameSync(tmp, bundle);
  return bundle;
}

/** Runs a CommonJS bundle as `node file` would, compiling it from (and refreshing) the V8 code cache. */
function runWithCodeCache(file, args) {
  const source = fs.readFileSync(file, "utf8");
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds the functions the synth actually compiled.
    process.once("exit", () => {
      try {
        fs.writeFileSync(codeCache, script.createCachedData());
      } catch {
        // a read-only checkout only loses the speed-up
      }
    });
  }
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  process.argv = [process.argv[0], file, ...args];
  script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, path.dirname(file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runWithCodeCache(await ensureBundle(), process.argv.slice(2));
}
