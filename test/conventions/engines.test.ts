/**
 * What package.json declares about Node.js is true: every Node.js version in its `engines.node` range satisfies
 * the `engines.node` of every package an install brings along (the runtime dependencies, the peer dependencies at
 * the versions pinned here, and all of their dependencies, as installed in node_modules), so
 * `npm install --engine-strict` succeeds wherever the range says it may.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installedClosure, narrowerEngines, semver, type Manifest } from "../support/engines";

const ROOT = path.resolve(__dirname, "../..");

describe("engines.node", () => {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest & { peerDependencies: Record<string, string> };
  const declared = own.engines?.node ?? "";

  test("is a valid range", () => {
    expect(semver.validRange(declared)).not.toBeNull();
  });

  test("lies within the range of every runtime and peer dependency and everything they bring", () => {
    const closure = installedClosure([...Object.keys(own.dependencies ?? {}), ...Object.keys(own.peerDependencies)], ROOT);
    expect(closure.size).toBeGreaterThan(50);
    expect([...closure.values()].some((m) => m.name === "@kubernetes-models/base")).toBe(true);
    expect(narrowerEngines(declared, closure.values())).toEqual([]);
  });

  test("the check names a dependency that needs more than the range declares", () => {
    const packages: Manifest[] = [
      { name: "a", version: "1.0.0", engines: { node: ">=22" } },
      { name: "b", version: "2.0.0", engines: { node: ">=16 || 14 >=14.17" } },
      { name: "c", version: "3.0.0" },
      { name: "d", version: "4.0.0", engines: { node: "^20.9 || >=22" } },
    ];
    expect(narrowerEngines(">=20", packages)).toEqual(["a@1.0.0 requires node >=22", "d@4.0.0 requires node ^20.9 || >=22"]);
    expect(narrowerEngines(">=22", packages)).toEqual([]);
  });
});
