import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SLO_SPEC_FOLDER, sloSpecFiles, sloSpecsLeftOut } from "../../../lib/slo/spec-folder";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spec-folder-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An app root with the given files in its spec folder. */
function appWith(name: string, files: readonly string[]): string {
  const root = path.join(tmp, name);
  fs.mkdirSync(path.join(root, SLO_SPEC_FOLDER), { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(root, SLO_SPEC_FOLDER, f), "version: sre-platform/v1\n");
  return root;
}

describe("sloSpecFiles", () => {
  test("without a list: every YAML file of environments/slos, sorted, nothing else", () => {
    const root = appWith("folder", ["b.yaml", "a.yml", "notes.md"]);
    expect(sloSpecFiles(root)).toEqual([path.join(root, SLO_SPEC_FOLDER, "a.yml"), path.join(root, SLO_SPEC_FOLDER, "b.yaml")]);
  });

  test("an explicit list replaces the folder, resolved against the root", () => {
    const root = appWith("listed", ["a.yaml", "b.yaml"]);
    expect(sloSpecFiles(root, [`${SLO_SPEC_FOLDER}/b.yaml`])).toEqual([path.join(root, SLO_SPEC_FOLDER, "b.yaml")]);
  });

  test("no folder: no files (the loader then names what is missing)", () => {
    expect(sloSpecFiles(path.join(tmp, "nothing-here"))).toEqual([]);
  });
});

describe("sloSpecsLeftOut", () => {
  test("names the folder's specs an explicit list leaves out, relative to the root", () => {
    const root = appWith("left-out", ["a.yaml", "b.yaml", "c.yaml"]);
    expect(sloSpecsLeftOut(root, [`${SLO_SPEC_FOLDER}/a.yaml`])).toEqual([`${SLO_SPEC_FOLDER}/b.yaml`, `${SLO_SPEC_FOLDER}/c.yaml`]);
    expect(sloSpecsLeftOut(root, [SLO_SPEC_FOLDER])).toEqual([]);
  });

  test("the folder itself leaves nothing out", () => {
    expect(sloSpecsLeftOut(appWith("none-left", ["a.yaml"]))).toEqual([]);
  });
});
