#!/usr/bin/env node
// npm runs `prepare` before `npm pack` and `npm publish`, after `npm install`/`npm ci` here, and, for a git
// dependency, in the clone it packs (only `prepare`: npm does not run `prepack` there). It compiles the
// package into dist/ (a fresh clone has none), then drops compiled files whose source is gone, because tsc
// never deletes outputs and package.json `files` would ship a stale module. The precompiled CRD validators
// (scripts/crd-validators.mjs) are generated JavaScript, not tsc output: they are copied into dist/ beside
// the module that loads them. `npm run build` runs this script too.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ensureCrdValidators, GENERATED } from "./crd-validators.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

await ensureCrdValidators();
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
fs.copyFileSync(GENERATED, path.join(dist, path.relative(root, GENERATED)));

let removed = 0;
function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path.relative(dist, file) !== "synth") prune(file);
      continue;
    }
    const m = /^(.*)\.(js|d\.ts)$/.exec(path.relative(dist, file));
    if (m && !fs.existsSync(path.join(root, `${m[1]}.ts`)) && !fs.existsSync(path.join(root, `${m[1]}.js`))) {
      fs.rmSync(file);
      removed++;
    }
  }
}
prune(dist);
if (removed > 0) process.stdout.write(`prepare: removed ${removed} compiled file(s) whose source is gone\n`);
