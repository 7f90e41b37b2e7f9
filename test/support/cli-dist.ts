/**
 * The compiled CLI, `dist/bin/sre-platform.js`, current for the tests that run it as users do. `npm test` builds first
 * and says so (SRE_PLATFORM_DIST_BUILT=1); otherwise, when dist is missing or older than a source, this builds it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
export const CLI = join(ROOT, "dist/bin/sre-platform.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or stale; for a `beforeAll` with a long timeout. */
export function ensureCliBuilt(): void {
  if (process.env.SRE_PLATFORM_DIST_BUILT === "1" && existsSync(CLI)) return; // scripts/test.mjs has just built it
  // Everything the CLI can reach: its own code, the compiler, the environments it validates and what they import.
  const sources = Math.max(...["bin", "lib", "environments", "constructs", "stacks"].map((d) => newestSource(join(ROOT, d))));
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= sources) return;
  // tsc still emits when other parts of the tree have type errors; `npm run typecheck` reports those.
  spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing after "tsc -p tsconfig.build.json"; run "npm run build" and look at its errors`);
  // The build is incremental and leaves an output whose text did not change untouched, old as it is: mark the CLI as
  // built now, or every later run would find it older than a source edited since and build again (4 s for nothing).
  const now = new Date();
  utimesSync(CLI, now, now);
}
