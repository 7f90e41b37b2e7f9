/**
 * In the spirit of aws-cdk's `props-default-doc` lint: every optional property of an exported interface in
 * constructs/ and stacks/ documents its default with a TSDoc `@default` tag (a literal, or `- what happens`),
 * so a reader of the API knows what they get by leaving it out. Read with the TypeScript compiler API.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["constructs", "stacks"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

function isExported(node: ts.Node): boolean {
  return (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

/** `file: Interface.property` for every optional property of an exported interface without `@default`. */
function undocumentedDefaults(file: string, text: string = fs.readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && isExported(node)) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || member.questionToken === undefined) continue;
        const documented = ts.getJSDocTags(member).some((t) => t.tagName.text === "default" && ts.getTextOfJSDocComment(t.comment)?.trim());
        if (!documented) missing.push(`${path.relative(ROOT, file)}: ${node.name.text}.${member.name.getText(source)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return missing;
}

describe("props documentation", () => {
  const files = SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)));

  test("every optional property of an exported interface says its @default", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => undocumentedDefaults(f))).toEqual([]);
  });

  test("the check finds an optional property without @default, and one whose @default is empty", () => {
    const text = [
      "export interface FooProps {",
      "  /** Documented. @default 3 */ readonly a?: number;",
      "  /** Says what it is, not what you get without it. */ readonly b?: string;",
      "  /** @default */ readonly c?: boolean;",
      "  readonly required: string;",
      "}",
      "interface Internal { readonly d?: number }",
    ].join("\n");
    expect(undocumentedDefaults(path.join(ROOT, "constructs/foo.ts"), text)).toEqual(["constructs/foo.ts: FooProps.b", "constructs/foo.ts: FooProps.c"]);
  });
});
