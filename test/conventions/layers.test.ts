/**
 * Data flows one way: environments/ → stacks/ → constructs/ → lib/. A file may import only from its own layer and
 * the layers below; lib/ and environments/ import no cdktf at all (environments are data: the CLI reads them
 * without loading cdktf or a provider). Constructs never read `process.env`. Checked on the import statements of
 * every source file, so a new file is covered the day it is added.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
type Layer = "environments" | "stacks" | "constructs" | "lib";

/** What each layer may NOT import: project folders above it, and packages. */
const FORBIDDEN: Record<Layer, { readonly folders: readonly Layer[]; readonly packages: RegExp | undefined }> = {
  lib: { folders: ["constructs", "stacks", "environments"], packages: /^(cdktf|constructs|@cdktf\/.*)$/ },
  environments: { folders: ["constructs", "stacks"], packages: /^(cdktf|constructs|@cdktf\/.*)$/ },
  constructs: { folders: ["stacks", "environments"], packages: undefined },
  stacks: { folders: ["environments"], packages: undefined },
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Module specifiers of `import … from "x"`, `export … from "x"`, `import("x")` and `require("x")`. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\b(?:import|export)\s[^;'"]*?from\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s+["']([^"']+)["']/gm]) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

function violations(layer: Layer): string[] {
  const rule = FORBIDDEN[layer];
  const out: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, layer))) {
    const text = fs.readFileSync(file, "utf8");
    const rel = path.relative(ROOT, file);
    for (const spec of importsOf(text)) {
      if (spec.startsWith(".")) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0] as Layer;
        if (rule.folders.includes(target)) out.push(`${rel} imports ${spec} (${layer}/ may not import ${target}/)`);
      } else if (rule.packages?.test(spec)) {
        out.push(`${rel} imports ${spec} (${layer}/ imports no cdktf)`);
      }
    }
    if (layer === "constructs" && /\bprocess\.env\b/.test(text)) out.push(`${rel} reads process.env (constructs take props)`);
  }
  return out;
}

describe("layers depend downward only", () => {
  test.each(Object.keys(FORBIDDEN) as Layer[])("%s/", (layer) => {
    expect(violations(layer)).toEqual([]);
  });

  test("the import scan finds every form of import", () => {
    const text = 'import { a } from "../constructs/x";\nimport type { B } from "cdktf";\nexport * from "@cdktf/provider-aws/lib/vpc";\nconst c = require("../stacks/y");\nimport "./side-effect";\nconst d = await import("constructs");';
    expect(importsOf(text).sort()).toEqual(["../constructs/x", "../stacks/y", "./side-effect", "@cdktf/provider-aws/lib/vpc", "cdktf", "constructs"].sort());
  });
});
