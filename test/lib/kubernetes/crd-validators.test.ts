/**
 * The precompiled CRD validators (scripts/crd-validators.mjs, ajv standalone code) against validators compiled
 * here at run time from the same schema files with the same options: same verdict, same errors, on the
 * platform's own custom resources (good), the fixtures and their mutations (bad), and objects derived from
 * every schema with right and with wrong leaf types (deep, both).
 */
import Ajv, { ValidateFunction } from "ajv";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CRD_AJV_OPTIONS, crdCompilerFingerprint } from "../../../lib/kubernetes/crd-ajv";
import { registeredCrdSchemas } from "../../../constructs/addons/registry";

/** The kinds the platform creates, by `apiVersion/kind`, as the installing charts declare them. */
const CRD_SCHEMA_FILES = registeredCrdSchemas();
import { validNodePool } from "../../constructs/kubernetes/fixtures";
import { synthesizedManifest, synthesizedStack } from "../../support/synthesized-app";

type Json = Record<string, any>;

const ROOT = path.resolve(__dirname, "../../..");
const SCHEMAS = path.join(ROOT, "schemas", "crds");
const GENERATED = path.join(ROOT, "lib", "kubernetes", "crd-validators.generated.js");
const SCRIPT = path.join(ROOT, "scripts", "crd-validators.mjs");

interface Generated {
  readonly compiler: string;
  readonly digests: Record<string, string>;
  readonly validators: Record<string, ValidateFunction>;
}

/** Schema files as found on disk, independently of the generator's own walk. */
function filesOnDisk(): string[] {
  return fs
    .readdirSync(SCHEMAS, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

let generated: Generated;
const runtime = new Map<string, ValidateFunction>();
const ajv = new Ajv(CRD_AJV_OPTIONS);

function runtimeValidator(file: string): ValidateFunction {
  let v = runtime.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), "utf8")) as object);
    runtime.set(file, v);
  }
  return v;
}

beforeAll(() => {
  // What `npm run synth` and `npm run build` do first: regenerate the module if a schema is newer than it.
  const r = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  generated = require(GENERATED) as Generated;
});

/** Compares one object under both validators and returns the verdict. */
function sameVerdict(file: string, object: unknown): boolean {
  const pre = generated.validators[file]!;
  const run = runtimeValidator(file);
  const verdict = run(object);
  expect({ file, valid: pre(object), errors: pre.errors }).toEqual({ file, valid: verdict, errors: run.errors });
  return verdict;
}

/**
 * An object with every property the schema declares, down to `depth` levels: leaves of the declared type
 * (the first enum value where there is one), or with `wrongTypes` of another type, so that type, enum,
 * pattern, length, required and unknown-field checks all fire somewhere.
 */
function derived(schema: Json | undefined, wrongTypes: boolean, depth = 0): unknown {
  if (!schema || typeof schema !== "object") return "x";
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (Array.isArray(schema.enum) && !wrongTypes) return schema.enum[0];
  switch (type) {
    case "object": {
      if (depth > 12) return {};
      const out: Json = wrongTypes ? { notInTheSchema: true } : {};
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Json)) out[key] = derived(sub as Json, wrongTypes, depth + 1);
      return out;
    }
    case "array":
      return [derived(schema.items as Json, wrongTypes, depth + 1)];
    case "string":
      return wrongTypes ? 7 : "x";
    case "integer":
      return wrongTypes ? "seven" : 7;
    case "number":
      return wrongTypes ? "seven" : 1.5;
    case "boolean":
      return wrongTypes ? "yes" : true;
    default:
      return wrongTypes ? [] : "x";
  }
}

describe("precompiled CRD validators", () => {
  test("cover every schema file under schemas/crds, including every kind's", () => {
    const files = filesOnDisk();
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(generated.validators).sort()).toEqual(files);
    for (const file of Object.values(CRD_SCHEMA_FILES)) expect(files).toContain(file);
  });

  test("record the digest of the bytes they were generated from, and the compiler in use", () => {
    for (const file of filesOnDisk()) {
      expect(generated.digests[file]).toBe(createHash("sha256").update(fs.readFileSync(path.join(SCHEMAS, file))).digest("hex"));
    }
    expect(generated.compiler).toBe(crdCompilerFingerprint());
  });

  test("are reproducible: regenerating gives the same module byte for byte", () => {
    const r = spawnSync(process.execPath, [SCRIPT, "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("agree with run-time compilation on every custom resource the platform synthesizes", () => {
    let checked = 0;
    for (const id of Object.keys(synthesizedManifest().stacks)) {
      for (const resource of Object.values((synthesizedStack(id).resource?.kubernetes_manifest ?? {}) as Json)) {
        const manifest = (resource as Json).manifest as Json;
        const file = CRD_SCHEMA_FILES[`${manifest.apiVersion}/${manifest.kind}`];
        if (!file) continue; // a core kind, validated by its typed model instead
        expect(sameVerdict(file, manifest)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  test("agree with run-time compilation on the NodePool fixture and its broken variants", () => {
    const file = CRD_SCHEMA_FILES["karpenter.sh/v1/NodePool"]!;
    const variants: Array<(m: Json) => void> = [
      (m) => (m.spec.disruption.consolidationPolicy = "Sometimes"),
      (m) => (m.spec.template.spec.requirements[0].operater = "In"),
      (m) => delete m.spec.template.spec.nodeClassRef,
      (m) => (m.spec.disruption.budgets[0].nodes = "ten"),
      (m) => (m.spec.limits = "lots"),
    ];
    expect(sameVerdict(file, validNodePool())).toBe(true);
    for (const mutate of variants) {
      const m = structuredClone(validNodePool()) as Json;
      mutate(m);
      expect(sameVerdict(file, m)).toBe(false);
    }
  });

  test.each(filesOnDisk())("agree with run-time compilation on objects derived from %s", (file) => {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), "utf8")) as Json;
    expect(sameVerdict(file, derived(schema, true))).toBe(false);
    sameVerdict(file, derived(schema, false));
    sameVerdict(file, {});
    sameVerdict(file, { spec: "not an object" });
    sameVerdict(file, null);
  });
});

describe("crdSchemaProblems loads", () => {
  const ENUM_PROBLEM = [{ path: "manifest.spec.disruption.consolidationPolicy", value: "Sometimes", allowed: 'one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"' }];
  const broken = (): Json => {
    const m = structuredClone(validNodePool()) as Json;
    m.spec.disruption.consolidationPolicy = "Sometimes";
    return m;
  };

  /** Runs `body` on a fresh copy of crd-schemas (and of ajv, whose compile calls it counts). */
  function isolated(body: (problems: (o: unknown) => unknown) => void): number {
    let compiles = 0;
    jest.isolateModules(() => {
      const fresh = require("ajv") as typeof import("ajv");
      const compile = fresh.default.prototype.compile;
      jest.spyOn(fresh.default.prototype, "compile").mockImplementation(function (this: Ajv, ...args: Parameters<Ajv["compile"]>) {
        compiles++;
        return compile.apply(this, args);
      });
      const { crdSchemaProblems } = require("../../../lib/kubernetes/crd-schemas") as typeof import("../../../lib/kubernetes/crd-schemas");
      body((o) => crdSchemaProblems(o as never, CRD_SCHEMA_FILES["karpenter.sh/v1/NodePool"]!));
    });
    return compiles;
  }

  afterEach(() => jest.restoreAllMocks());

  test("the precompiled validator, compiling nothing, while the schema file is the one it was generated from", () => {
    const compiles = isolated((problems) => {
      expect(problems(validNodePool())).toEqual([]);
      expect(problems(broken())).toEqual(ENUM_PROBLEM);
    });
    expect(compiles).toBe(0);
  });

  test("a validator compiled at run time when the file's bytes differ from those the module was generated from", () => {
    const actual = jest.requireActual(GENERATED) as Generated;
    const file = CRD_SCHEMA_FILES["karpenter.sh/v1/NodePool"]!;
    jest.doMock(GENERATED, () => ({ ...actual, digests: { ...actual.digests, [file]: "0".repeat(64) } }));
    try {
      const compiles = isolated((problems) => {
        expect(problems(validNodePool())).toEqual([]);
        expect(problems(broken())).toEqual(ENUM_PROBLEM);
      });
      expect(compiles).toBe(1);
    } finally {
      jest.dontMock(GENERATED);
    }
  });

  test("validators compiled at run time when the module was generated by another compiler (ajv version or options)", () => {
    const actual = jest.requireActual(GENERATED) as Generated;
    jest.doMock(GENERATED, () => ({ ...actual, compiler: "ajv 0.0.0 {}" }));
    try {
      const compiles = isolated((problems) => expect(problems(broken())).toEqual(ENUM_PROBLEM));
      expect(compiles).toBe(1);
    } finally {
      jest.dontMock(GENERATED);
    }
  });
});
