/** Node.js engine ranges of installed packages, compared with the range this package declares. */
import * as fs from "node:fs";
import * as path from "node:path";

// semver is what npm itself uses to compare engine ranges.
export const semver = require("semver") as { subset(sub: string, dom: string): boolean; validRange(range: string): string | null };

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** The package.json Node would load for `name` required from `from`, or undefined when it is not installed. */
function manifestFile(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "node_modules", name, "package.json");
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every installed package reachable from `roots` through `dependencies`, by its package.json path. */
export function installedClosure(roots: readonly string[], from: string): Map<string, Manifest> {
  const seen = new Map<string, Manifest>();
  const visit = (name: string, dir: string, optional: boolean): void => {
    const file = manifestFile(name, dir);
    if (!file) {
      if (optional) return;
      throw new Error(`${name} (needed from ${dir}) is not installed`);
    }
    if (seen.has(file)) return;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    seen.set(file, manifest);
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, path.dirname(file), false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, path.dirname(file), true);
  };
  for (const name of roots) visit(name, from, false);
  return seen;
}

/** `name@version requires <range>` for each package whose Node.js range does not hold all of `declared`. */
export function narrowerEngines(declared: string, packages: Iterable<Manifest>): string[] {
  const out = new Set<string>();
  for (const p of packages) {
    const range = p.engines?.node;
    if (range === undefined) continue;
    if (semver.validRange(range) === null || !semver.subset(declared, range)) out.add(`${p.name}@${p.version} requires node ${range}`);
  }
  return [...out].sort();
}

