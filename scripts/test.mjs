#!/usr/bin/env node
// `npm test`: type-check everything once, build the package (the consumer-import and CLI tests run the
// compiled output, as users do), then run jest, which only transpiles. Extra arguments go to jest.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function step(title, cmd, args, extraEnv = {}) {
  const started = Date.now();
  process.stdout.write(`\n> ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...extraEnv } });
  if (r.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`  ${title}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

step("type-check (tsc --noEmit)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
step("build (scripts/prepare.mjs: CRD validators, tsc -p tsconfig.build.json)", process.execPath, [path.join(root, "scripts", "prepare.mjs")]);
// The CLI tests need dist current; the build above is the one check (an incremental build leaves unchanged outputs
// with their old times, so a check by file times in the tests would build again).
step("jest", bin("jest"), process.argv.slice(2), { SRE_PLATFORM_DIST_BUILT: "1" });
