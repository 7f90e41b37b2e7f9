/**
 * External binaries for jest (promtool, amtool, Alertmanager, Prometheus, Chromium), one policy for all:
 * found → the suite runs; missing with `CI=true` → the suite fails (CI installs them); missing elsewhere →
 * skipped with a message naming what to install.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A binary a suite needs: its name on PATH, an override variable, and how to install it. */
export interface BinarySpec {
  readonly name: string;
  readonly envVar: string;
  readonly install: string;
}

export const AMTOOL: BinarySpec = { name: "amtool", envVar: "AMTOOL", install: "apt-get install prometheus-alertmanager" };
export const ALERTMANAGER: BinarySpec = {
  name: "prometheus-alertmanager",
  envVar: "ALERTMANAGER",
  install: "apt-get install prometheus-alertmanager (or set ALERTMANAGER=/path/to/alertmanager)",
};
export const PROMETHEUS: BinarySpec = { name: "prometheus", envVar: "PROMETHEUS", install: "apt-get install prometheus" };
/** A real browser for the HTML report's rendering test (driven through puppeteer-core). */
export const CHROMIUM: BinarySpec = { name: "chromium", envVar: "CHROMIUM", install: "apt-get install chromium" };
export const PROMTOOL: BinarySpec = { name: "promtool", envVar: "PROMTOOL", install: "apt-get install prometheus (Debian/Ubuntu) or brew install prometheus (macOS)" };

/** Absolute path of the binary, or undefined. */
export function findBinary(spec: BinarySpec): string | undefined {
  const candidates = [process.env[spec.envVar], ...(process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, spec.name))];
  return candidates.find((p): p is string => p !== undefined && p !== "" && isExecutable(p));
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `describe` that runs only when every binary is there; see the module comment. */
export function describeWithBinaries(name: string, specs: readonly BinarySpec[], fn: () => void): void {
  const missing = specs.filter((s) => findBinary(s) === undefined);
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const what = missing.map((s) => `${s.name} not found (${s.install}, or set ${s.envVar})`).join("; ");
  if (process.env.CI === "true") {
    describe(name, () => {
      test(`${specs.map((s) => s.name).join(", ")} installed (required when CI=true)`, () => {
        throw new Error(what);
      });
    });
  } else {
    console.warn(`Skipped suite "${name}": ${what}.`);
    describe.skip(name, fn);
  }
}

/** Runs a binary to completion. */
export function runBinary(spec: BinarySpec, args: readonly string[]): { code: number; stdout: string; output: string } {
  const bin = findBinary(spec);
  if (bin === undefined) throw new Error(`${spec.name} not found; ${spec.install}`);
  const r = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
