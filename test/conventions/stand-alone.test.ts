/**
 * The tests stand alone: a clone of this repository runs every test, so no test or script reads a file
 * outside it. Every path written as a string in test/ and scripts/ that climbs with `../` must land on a file
 * or folder of the repository, counted from the file that names it and from the repository's root (scripts
 * resolve against either). Upstream data the tests compare with is copied into `test/fixtures/` with a
 * SOURCES.md.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

/** Climbing strings that are data, never read, each with why. */
const NOT_READ: Record<string, readonly string[]> = {
  // Import specifiers the layer check parses out of a sample text.
  "test/conventions/layers.test.ts": ["../constructs/x", "../stacks/y"],
  // A path the CRD schema loader must refuse to read, because it leaves schemas/crds.
  "test/lib/kubernetes/crd-schemas.test.ts": ["../../package.json"],
  // Paths a process opens inside a container, in the Falco condition evaluator's events.
  "test/lib/security/falco/evasions.test.ts": ["../../etc/./shadow", "../../etc/shadow"],
  // The bootstrap stack's local state as Terraform resolves it from the stack's folder under cdktf.out.
  "test/stacks/bootstrap-stack.test.ts": ["../../../terraform-bootstrap/"],
  // This list.
  "test/conventions/stand-alone.test.ts": ["../constructs/x", "../stacks/y", "../../package.json", "../../etc/./shadow", "../../etc/shadow", "../../../terraform-bootstrap/"],
};

/** The tracked test and script sources. */
function sources(): string[] {
  return execFileSync("git", ["ls-files", "test", "scripts"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|mts|cts|mjs|cjs|js)$/.test(f) && fs.existsSync(path.join(ROOT, f)));
}

/** The relative path-like string literals of a source (no spaces, starting with `../`). */
function pathLiterals(file: string, text: string): string[] {
  const kind = /\.(ts|mts|cts)$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (/^\.\.\/[\w.\-/@*]*$/.test(node.text)) found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function insideRepository(target: string): boolean {
  const rel = path.relative(ROOT, target);
  return !rel.startsWith("..") && !path.isAbsolute(rel) && ["", ".ts", ".js", ".mjs", ".json"].some((ext) => fs.existsSync(target + ext));
}

/** `file: literal` for every climbing path that reaches nothing inside the repository. */
export function outsidePaths(file: string, text: string): string[] {
  return pathLiterals(file, text)
    .filter((p) => !(NOT_READ[file] ?? []).includes(p))
    .filter((p) => {
      const target = p.replace(/[*].*$/, "");
      return !insideRepository(path.resolve(ROOT, path.dirname(file), target)) && !insideRepository(path.resolve(ROOT, target));
    })
    .map((p) => `${file}: ${p}`);
}

describe("the tests stand alone", () => {
  test("no test or script names a path outside the repository", () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => outsidePaths(f, fs.readFileSync(path.join(ROOT, f), "utf8")))).toEqual([]);
  });

  test("nothing in test/ or scripts/ names the reference folder beside the repository", () => {
    const named = sources().filter((f) => f !== "test/conventions/stand-alone.test.ts" && /["'`][^"'`\n]*\.\.\/shared\b/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(named).toEqual(["test/conventions/outside-references.test.ts"]);
  });

  test("the check finds a folder beside the repository, from a test or from a script's root, but not the repository's own files", () => {
    const text = [
      'export const SHARED = path.resolve(__dirname, "../../../shared");',
      'const golden = path.resolve(root, "../shared/slo/sloth-golden");',
      'import { compileSlos } from "../../../lib/slo/compile";',
      'const schema = path.join(__dirname, "../../../schemas/crds");',
      'const words = "see ../x in prose";',
    ].join("\n");
    expect(outsidePaths("test/lib/slo/example.test.ts", text)).toEqual([
      "test/lib/slo/example.test.ts: ../../../shared",
      "test/lib/slo/example.test.ts: ../shared/slo/sloth-golden",
    ]);
  });
});
