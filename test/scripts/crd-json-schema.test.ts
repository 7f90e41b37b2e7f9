import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts", "crd-json-schema.mjs");

type Json = Record<string, any>;

/** A CRD as a chart template ships it: Helm directives around it, one open (preserve-unknown-fields) node. */
const CRD = `{{- if .Values.crds.enabled }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.io
  labels:
    {{- include "labels" . | nindent 4 }}
spec:
  group: example.io
  names: { kind: Widget, plural: widgets }
  scope: Cluster
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: { type: string }
            metadata: { type: object, properties: { name: { type: string } } }
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, allowEmptyValue: true }
                properties: { type: object, properties: { colour: { type: string } } }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true, properties: { known: { type: string } } }
{{- end }}
`;

function convert(text: string, version: string): { code: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crd-"));
  try {
    const file = path.join(dir, "crd.yaml");
    fs.writeFileSync(file, text);
    const r = spawnSync(process.execPath, [SCRIPT, file, version], { encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Object nodes with `properties` that are not closed, by JSON path (preserve-unknown-fields nodes and the root excepted). */
function openNodes(node: unknown, at = "", out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => openNodes(n, `${at}[${i}]`, out));
  else if (node !== null && typeof node === "object") {
    const n = node as Json;
    if (at !== "" && n.properties && typeof n.properties === "object" && n["x-kubernetes-preserve-unknown-fields"] !== true && n.additionalProperties !== false) out.push(at);
    for (const [k, v] of Object.entries(n)) openNodes(v, k === "properties" ? at : `${at}/${k}`, out);
    if (n.properties && typeof n.properties === "object") for (const [k, v] of Object.entries(n.properties as Json)) openNodes(v, `${at}.${k}`, out);
  }
  return [...new Set(out)];
}

describe("scripts/crd-json-schema.mjs", () => {
  test("closes every object node with properties, keeps preserve-unknown-fields nodes open, leaves the root and metadata open, drops allowEmptyValue", () => {
    const { code, stdout, stderr } = convert(CRD, "v1");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as Json;
    expect(schema.additionalProperties).toBeUndefined();
    expect(schema.properties.metadata).toEqual({ type: "object" });
    expect(schema.properties.spec.additionalProperties).toBe(false);
    // A field named `properties` is a field, not the keyword: its own schema is closed too.
    expect(schema.properties.spec.properties.properties).toEqual({ type: "object", properties: { colour: { type: "string" } }, additionalProperties: false });
    expect(schema.properties.spec.properties.extra.additionalProperties).toBeUndefined();
    expect(schema.properties.spec.properties.size).toEqual({ type: "integer" });
    expect(schema.properties.spec.required).toEqual(["size"]);
  });

  test("fails, naming the versions there are, when the version is not in the CRD", () => {
    const { code, stderr } = convert(CRD, "v2");
    expect(code).toBe(1);
    expect(stderr).toMatch(/no openAPIV3Schema for version v2; versions: v1/);
  });

  test("fails when the file is not a CRD", () => {
    const { code, stderr } = convert("apiVersion: v1\nkind: ConfigMap\n", "v1");
    expect(code).toBe(1);
    expect(stderr).toMatch(/not a CustomResourceDefinition \(kind "ConfigMap"\)/);
  });

  test.each(["cert-manager.io/clusterissuer_v1.json", "cert-manager.io/certificate_v1.json", "awspca.cert-manager.io/awspcaclusterissuer_v1beta1.json"])(
    "the committed %s follows the same conventions",
    (file) => {
      const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "crds", file), "utf8")) as Json;
      expect(schema.properties.metadata).toEqual({ type: "object" });
      expect(schema.properties.spec.additionalProperties).toBe(false);
      expect(openNodes(schema)).toEqual([]);
      expect(JSON.stringify(schema)).not.toMatch(/allowEmptyValue/);
    },
  );
});
