/**
 * Where an app's SLO specs live and which files an environment compiles: one rule for the synth and the CLI.
 * A spec added to the folder is compiled everywhere without being registered anywhere else.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { expandSloPaths } from "./load";

/** The folder, relative to the app's root, whose `*.yaml`/`*.yml` files are the SLO specs. */
export const SLO_SPEC_FOLDER = "environments/slos";

/**
 * The SLO spec files an environment compiles, as absolute paths.
 * @param root the app's root folder (the one holding `environments/`)
 * @param specs an explicit list (files or folders, relative to `root`) that replaces the folder; omit it to
 *   compile every spec in {@link SLO_SPEC_FOLDER}
 * @returns the files, folders expanded into their YAML files (sorted); an empty list when the folder is missing
 */
export function sloSpecFiles(root: string, specs?: readonly string[]): string[] {
  if (specs !== undefined) return expandSloPaths(specs.map((s) => resolve(root, s)));
  const folder = join(root, SLO_SPEC_FOLDER);
  return existsSync(folder) ? expandSloPaths([folder]) : [];
}

/**
 * Specs in {@link SLO_SPEC_FOLDER} that an explicit list leaves out, relative to `root`: they compile no rules
 * for that environment, which is worth a warning (a new file is usually meant everywhere).
 * @param root the app's root folder
 * @param specs the environment's explicit list; none means the folder, which leaves nothing out
 */
export function sloSpecsLeftOut(root: string, specs?: readonly string[]): string[] {
  if (specs === undefined) return [];
  const listed = new Set(sloSpecFiles(root, specs));
  return sloSpecFiles(root).filter((f) => !listed.has(f)).map((f) => shownPath(root, f));
}

/** `file` relative to `root` when inside it, else as given. */
function shownPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
