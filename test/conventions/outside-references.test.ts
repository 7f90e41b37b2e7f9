/**
 * Comments and documents point only at what a clone of this repository has: a relative path in a comment
 * (one starting with `../`) must reach a file or folder of the repository, and a document named by its file
 * name (`*.md`) must be one of the repository's. Web links are fine.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|mjs|cjs|js|md)$/.test(f) && fs.existsSync(path.join(ROOT, f)));
}

/** The comments of a script, or the whole text of a Markdown document. */
function commentsOf(file: string, text: string): string[] {
  if (file.endsWith(".md")) return [text];
  // Comments are trivia around tokens: collect the leading and trailing ranges of every node, once each.
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const seen = new Set<number>();
  const out: string[] = [];
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) if (!seen.has(r.pos)) (seen.add(r.pos), out.push(text.slice(r.pos, r.end)));
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.pos));
  return out;
}

function insideRepository(target: string): boolean {
  const rel = path.relative(ROOT, target);
  // A module path may leave out its extension.
  return !rel.startsWith("..") && !path.isAbsolute(rel) && ["", ".ts", ".js", ".mjs"].some((ext) => fs.existsSync(target + ext));
}

/** `file: reference` for every reference that leaves the repository or names a document it does not have. */
function outsideReferences(file: string, text: string, documents: ReadonlySet<string>): string[] {
  const found: string[] = [];
  if (!text.includes("../") && !text.includes(".md")) return found;
  for (const comment of commentsOf(file, text)) {
    const withoutUrls = comment.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "");
    for (const [ref] of withoutUrls.matchAll(/(?:\.\.\/)+[\w.\-/{}*<>]*/g)) {
      // A path into an installed package (an app's node_modules) is the package's, not beside the repository.
      if (ref.includes("/node_modules/")) continue;
      const target = ref.replace(/[{<*].*$/, "");
      const fromFile = path.resolve(ROOT, path.dirname(file), target);
      const fromRoot = path.resolve(ROOT, target);
      if (!insideRepository(fromFile) && !insideRepository(fromRoot)) found.push(`${file}: ${ref}`);
    }
    for (const [doc] of withoutUrls.matchAll(/\b[\w-]+\.md\b/g)) {
      if (!documents.has(doc)) found.push(`${file}: ${doc}`);
    }
  }
  return found;
}

describe("references in comments and documents", () => {
  const files = trackedFiles();
  const documents = new Set(execFileSync("git", ["ls-files", "*.md"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => path.basename(f)));

  test("no comment or document points outside the repository", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => outsideReferences(f, fs.readFileSync(path.join(ROOT, f), "utf8"), documents))).toEqual([]);
  });

  test("the check finds a path beside the repository and a document it does not have, but not code, links or a path into node_modules", () => {
    const text = [
      "// see ../shared/design/ARCHITECTURE.md",
      "// an app names the schema as $schema=../node_modules/sre-platform/schemas/x.json",
      "/** The schema in `../../schemas` and README.md and https://example.com/../x.md */",
      'const p = "../shared/data"; // code, not a comment',
      "const re = /\\/\\*not a comment/;",
    ].join("\n");
    expect(outsideReferences("lib/example.ts", text, new Set(["README.md"]))).toEqual([
      "lib/example.ts: ../shared/design/ARCHITECTURE.md",
      "lib/example.ts: ARCHITECTURE.md",
      "lib/example.ts: ../../schemas",
    ]);
  });
});
