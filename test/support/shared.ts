/**
 * The reference data beside this repository (`../shared`: Sloth's and Pyrra's golden files, upstream CRD
 * schemas). CI always has it; a clone on its own does not. Tests that read it go through {@link withShared}:
 * present or `CI=true` → they run (and fail loudly in CI if it is missing); otherwise they are skipped with
 * a notice, so `npm test` on a lone clone still passes the rest.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const SHARED_DIR = path.resolve(__dirname, "../../../shared");

/** A path inside `../shared`. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

const available = fs.existsSync(sharedPath("slo")) && fs.existsSync(sharedPath("schemas"));

/** `test`/`it` (or `describe`) when `../shared` is there or in CI; its `.skip` with a notice otherwise. */
export function withShared<T extends jest.It | jest.Describe>(fn: T, what: string): T {
  if (available || process.env.CI === "true") return fn;
  console.warn(`Skipped ${what}: the reference data ../shared (Sloth golden files, upstream CRD schemas) is not beside this repository.`);
  return fn.skip as T;
}
