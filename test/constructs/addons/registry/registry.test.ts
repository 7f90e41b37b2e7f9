/**
 * The add-on registry itself: one line per add-on, each descriptor complete and consistent with the others, so the
 * lists derived from it (namespaces, CRD schemas, registries, exemptions, workloads) are sound.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ADDONS, addonNamespaces, registeredCrdSchemas } from "../../../../constructs/addons/registry";
import { layerIndex, RELEASE_LAYERS, RESOURCE_LAYERS } from "../../../../lib/platform/layers";
import { ENVIRONMENTS } from "../../../../environments";

const ROOT = path.resolve(__dirname, "../../../..");

test("every add-on is listed once, by a unique kebab-case name, with a summary", () => {
  const names = ADDONS.map((a) => a.name);
  expect(new Set(names).size).toBe(names.length);
  for (const a of ADDONS) expect({ name: a.name, kebab: /^[a-z][a-z0-9-]*$/.test(a.name), summary: a.summary.length >= 20 }).toEqual({ name: a.name, kebab: true, summary: true });
});

test("every add-on folder with a descriptor is in the registry, and every registered add-on's README mentions it", () => {
  const folders = fs.readdirSync(path.join(ROOT, "constructs/addons"), { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, "constructs/addons", d.name, "addon.ts"))).map((d) => d.name);
  const source = fs.readFileSync(path.join(ROOT, "constructs/addons/registry/index.ts"), "utf8");
  for (const folder of folders) expect({ folder, registered: source.includes(`from "../${folder}/addon"`) }).toEqual({ folder, registered: true });
  const readme = fs.readFileSync(path.join(ROOT, "constructs/addons/README.md"), "utf8");
  for (const a of ADDONS) expect({ addon: a.name, inReadme: readme.includes(a.name) }).toEqual({ addon: a.name, inReadme: true });
});

test("each namespace belongs to one add-on, and is made no later than the add-on's own layer needs it", () => {
  const all = addonNamespaces();
  const names = all.map(({ namespace }) => namespace.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  // A namespace made after its add-on's releases would leave them to create it without a baseline.
  for (const { addon, namespace } of all) {
    const made = namespace.createdIn ?? addon.layer;
    expect({ namespace: namespace.name, beforeOrWith: layerIndex(made) <= layerIndex(addon.layer) }).toEqual({ namespace: namespace.name, beforeOrWith: true });
  }
});

test("releases go to release layers and custom resources to -resources layers (after their CRDs: layer-invariants), and a CRD has one installer", () => {
  for (const a of ADDONS) {
    expect(RELEASE_LAYERS).toContain(a.layer);
    for (const r of a.resources ?? []) expect({ addon: a.name, layer: r.layer, resourcesLayer: (RESOURCE_LAYERS as readonly string[]).includes(r.layer) }).toEqual({ addon: a.name, layer: r.layer, resourcesLayer: true });
  }
  const kinds = ADDONS.flatMap((a) => Object.keys(a.crds ?? {}));
  expect(kinds.filter((k, i) => kinds.indexOf(k) !== i)).toEqual([]);
  expect(Object.keys(registeredCrdSchemas()).length).toBe(kinds.length);
});

test("every enabled add-on's namespaces have their baseline in every committed environment", () => {
  for (const env of ENVIRONMENTS) {
    for (const { addon, namespace } of addonNamespaces(ADDONS.filter((a) => a.enabled(env)))) {
      expect({ env: env.name, addon: addon.name, namespace: namespace.name, configured: env.security.namespaces.platform[namespace.name] !== undefined }).toEqual({ env: env.name, addon: addon.name, namespace: namespace.name, configured: true });
    }
  }
});
