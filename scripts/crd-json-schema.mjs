#!/usr/bin/env node
// Converts one version of a CustomResourceDefinition into the JSON schema that `CustomResource` validates against
// (schemas/crds/<group>/<kind lowercase>_<version>.json), following the conventions in schemas/crds/SOURCES.md:
// the CRD's `openAPIV3Schema` as it is, `"additionalProperties": false` on every object node that lists
// `properties` (so a misspelt field is an error) except nodes marked `x-kubernetes-preserve-unknown-fields`
// (the API server keeps unknown fields there), the root left open, `metadata` typed only as an object, and the
// OpenAPI-only keyword `allowEmptyValue` dropped.
//
// Usage: node scripts/crd-json-schema.mjs <crd.yaml> <version> > out.json
// The input may be a chart template: lines holding Helm `{{ … }}` directives are dropped before parsing.
import fs from "node:fs";
import { parse } from "yaml";

const [file, version] = process.argv.slice(2);
if (!file || !version) {
  console.error("usage: node scripts/crd-json-schema.mjs <crd.yaml> <version>");
  process.exit(2);
}

const text = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => !line.includes("{{"))
  .join("\n");
const crd = parse(text);
if (crd?.kind !== "CustomResourceDefinition") {
  console.error(`${file}: not a CustomResourceDefinition (kind ${JSON.stringify(crd?.kind)})`);
  process.exit(1);
}
const served = (crd.spec.versions ?? []).find((v) => v.name === version);
const schema = served?.schema?.openAPIV3Schema;
if (!schema) {
  console.error(`${file}: no openAPIV3Schema for version ${version}; versions: ${(crd.spec.versions ?? []).map((v) => v.name).join(", ")}`);
  process.exit(1);
}

function close(node) {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "allowEmptyValue") continue;
    // `properties` maps field names to schemas: its keys are names, never keywords.
    out[key] = key === "properties" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, close(v)])) : close(value);
  }
  if (out.properties && out["x-kubernetes-preserve-unknown-fields"] !== true && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

const result = close(schema);
delete result.additionalProperties;
if (result.properties?.metadata) result.properties.metadata = { type: "object" };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
