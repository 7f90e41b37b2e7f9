#!/usr/bin/env node
// The fast synth path: bundle the TypeScript entry with esbuild (only when a source changed), then run the
// bundle in this process. No ts-node, no type-check (that is `npm run typecheck` / `npm test`), deep
// provider imports only. Arguments are passed to main.ts: `npm run synth -- --env dev`.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "dist", "synth", "main.cjs");
const SOURCE_DIRS = ["environments", "stacks", "constructs", "lib"];

function newestSourceMtime() {
  let newest = fs.statSync(path.join(root, "main.ts")).mtimeMs;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|ya?ml|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return Math.max(newest, fs.statSync(path.join(root, "package-lock.json")).mtimeMs);
}

export async function ensureBundle() {
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSourceMtime()) return bundle;
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(root, "main.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
    legalComments: "none",
  });
  return bundle;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await ensureBundle();
  // main.ts reads process.argv; the arguments after the script name are its own.
  process.argv = [process.argv[0], file, ...process.argv.slice(2)];
  createRequire(import.meta.url)(file);
}
