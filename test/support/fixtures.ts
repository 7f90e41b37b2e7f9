/**
 * Where tests find the files they read: all inside this repository, so a clone on its own runs every test.
 * Fixtures copied from upstream live under `test/fixtures/` with a SOURCES.md naming where each came from.
 */
import * as path from "node:path";

/** The repository's root folder. */
export const REPOSITORY_ROOT = path.resolve(__dirname, "../..");

/** A path inside the repository, from its root (`schemas/crds/...`). */
export function repositoryPath(...parts: string[]): string {
  return path.join(REPOSITORY_ROOT, ...parts);
}

/** A path inside `test/fixtures/`. */
export function fixturePath(...parts: string[]): string {
  return path.join(REPOSITORY_ROOT, "test/fixtures", ...parts);
}
