import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The folder of this package's package.json, found by walking up from the running file, so data files
 * (environments/slos/*.yaml) resolve the same from TypeScript sources, tsc output (dist/…) and the
 * esbuild bundle (dist/synth/main.cjs), whatever the current directory is.
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "sre-platform") return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`sre-platform: no package.json named "sre-platform" above ${from}`);
    dir = parent;
  }
}
