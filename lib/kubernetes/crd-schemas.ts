import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { packageRoot } from "../package-root";
import type { ValidationProblem } from "../problems";
import { CRD_AJV_OPTIONS, crdCompilerFingerprint } from "./crd-ajv";

/**
 * Custom resources validated at synth against the JSON schema of their CRD (`schemas/crds/`, sources and
 * versions in `schemas/crds/SOURCES.md`). Which schema file belongs to which kind is declared by the chart that
 * installs the CRD (`HelmChartDefaults.crds` of each add-on), so there is no second list here. Framework-free: the
 * construct that builds the resource passes a predicate for values only Terraform knows (cdktf tokens), whose
 * problems are skipped.
 */


/** The smallest shape every Kubernetes object has. */
export interface KubernetesObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

let ajv: Ajv | undefined;
/** Validators by schema file, compiled or loaded once per process. */
const validators = new Map<string, ValidateFunction>();

/** What scripts/crd-validators.mjs generates: validators precompiled by schema file, and what they were built from. */
interface PrecompiledValidators {
  readonly compiler: string;
  readonly digests: Readonly<Record<string, string>>;
  readonly validators: Readonly<Record<string, ValidateFunction>>;
}
let precompiled: PrecompiledValidators | null | undefined;

/**
 * The generated module when it exists and was built by this compiler; `null` otherwise (a checkout where no
 * build or synth has run yet, or a newer ajv or different options), and then every schema is compiled here.
 */
function precompiledValidators(): PrecompiledValidators | null {
  if (precompiled !== undefined) return precompiled;
  try {
    // A literal path, so the synth bundle carries the module and its code cache covers it.
    precompiled = require("./crd-validators.generated") as PrecompiledValidators;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    precompiled = null;
  }
  if (precompiled && precompiled.compiler !== crdCompilerFingerprint()) precompiled = null;
  return precompiled;
}

/**
 * The validator of one schema file: the precompiled one while the file's bytes are those it was generated from,
 * else compiled from the file now (the largest schema is 370 kB; compiling all of them takes about half a second).
 */
function validatorForFile(file: string): ValidateFunction {
  const cached = validators.get(file);
  if (cached) return cached;
  const bytes = fs.readFileSync(path.join(packageRoot(), "schemas", "crds", file));
  const generated = precompiledValidators();
  let validate = generated?.validators[file];
  if (!validate || generated!.digests[file] !== createHash("sha256").update(bytes).digest("hex")) {
    ajv ??= new Ajv(CRD_AJV_OPTIONS);
    validate = ajv.compile(JSON.parse(bytes.toString("utf8")) as object);
  }
  validators.set(file, validate);
  return validate;
}

/** `apiVersion/kind` key of an object or of an apiVersion and kind. */
export function crdKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** The validator of one schema file (precompiled where the build made it, else compiled once on first use). */
function validatorFor(file: string): ValidateFunction {
  if (!/^[a-z0-9.-]+\/[a-z0-9_]+\.json$/.test(file)) throw new Error(`not a CRD schema file of schemas/crds: ${JSON.stringify(file)}`);
  return validatorForFile(file);
}

/**
 * Problems of `object` against the CRD schema `schemaFile` (a path under `schemas/crds/`, as the installing chart
 * declares it), each naming the field as a dotted path under `prefix`
 * (`manifest.spec.template.spec.requirements[0].operator`). Values for which `isUnknown` is true (cdktf tokens,
 * resolved only by Terraform) are not judged: their problems are dropped.
 */
export function crdSchemaProblems(
  object: KubernetesObjectLike,
  schemaFile: string,
  options: { readonly prefix?: string; readonly isUnknown?: (value: unknown) => boolean } = {},
): ValidationProblem[] {
  const prefix = options.prefix ?? "manifest";
  const validate = validatorFor(schemaFile);
  if (validate(object)) return [];
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const at = pointerParts(error.instancePath);
    const value = valueAt(object, at);
    if (options.isUnknown && (options.isUnknown(value) || containsUnknown(value, options.isUnknown))) continue;
    const problem = describe(error, prefix, at, value);
    const key = `${problem.path}|${problem.allowed}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject, prefix: string, at: readonly string[], value: unknown): ValidationProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      return { path: joinPath(prefix, [...at, field]), value: (value as Record<string, unknown>)?.[field], allowed: `no field "${field}" here (${kindOf(error)})` };
    }
    case "required": {
      const field = String(params.missingProperty);
      return { path: joinPath(prefix, [...at, field]), value: undefined, allowed: "a value (required by the CRD schema)" };
    }
    case "enum":
      return { path: joinPath(prefix, at), value, allowed: `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    default:
      return { path: joinPath(prefix, at), value, allowed: `a value that ${error.message ?? "matches the CRD schema"}` };
  }
}

function kindOf(error: ErrorObject): string {
  const props = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? `known fields: ${Object.keys(props).join(", ")}` : "the CRD schema allows no other fields";
}

function pointerParts(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(root: unknown, parts: readonly string[]): unknown {
  let current: unknown = root;
  for (const part of parts) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function containsUnknown(value: unknown, isUnknown: (v: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => isUnknown(v) || containsUnknown(v, isUnknown));
  if (value !== null && typeof value === "object") return Object.values(value).some((v) => isUnknown(v) || containsUnknown(v, isUnknown));
  return false;
}

function joinPath(prefix: string, parts: readonly string[]): string {
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${acc}.${p}` : `${acc}["${p}"]`), prefix);
}
