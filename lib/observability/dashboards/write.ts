import * as fs from "node:fs";
import * as path from "node:path";
import type { GeneratedDashboard } from "./common";

/**
 * Writes each dashboard to `<dir>/<name>.json` (created if missing), pretty-printed with a trailing newline.
 * @returns the paths written, in order
 * @throws Error when two dashboards share a name (one would silently overwrite the other)
 */
export function writeDashboards(dir: string, dashboards: readonly GeneratedDashboard[]): string[] {
  const names = dashboards.map((d) => d.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`writeDashboards: dashboard names must be unique; repeated: ${[...new Set(twice)].join(", ")}`);
  fs.mkdirSync(dir, { recursive: true });
  return dashboards.map((d) => {
    const file = path.join(dir, `${d.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(d.dashboard, null, 2)}\n`);
    return file;
  });
}
