import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { packageRoot } from "../package-root";
import type { ValidationProblem } from "../problems";

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

/**
 * CRD patterns are Go (RE2) regular expressions: a leading `(?i)` is not JavaScript syntax, so it becomes the
 * `i` flag. Everything else the CRDs use is common to both.
 */
function goRegExp(pattern: string, flags?: string): RegExp {
  if (pattern.includes("(?i)")) return new RegExp(pattern.replace("(?i)", ""), `${flags ?? ""}i`);
  return new RegExp(pattern, flags ?? "u");
}
goRegExp.code = "goRegExp";

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** `apiVersion/kind` key of an object or of an apiVersion and kind. */
export function crdKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** The compiled validator of one schema file; compiled once per process, on first use (the largest schema is 370 kB). */
function validatorFor(file: string): ValidateFunction {
  const cached = validators.get(file);
  if (cached) return cached;
  if (!/^[a-z0-9.-]+\/[a-z0-9_]+\.json$/.test(file)) throw new Error(`not a CRD schema file of schemas/crds: ${JSON.stringify(file)}`);
  // `x-kubernetes-*` and `format: int-or-string` are OpenAPI extensions: not strict, unknown formats ignored.
  ajv ??= new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, code: { regExp: goRegExp, optimize: false } });
  const schema = JSON.parse(fs.readFileSync(path.join(packageRoot(), "schemas", "crds", file), "utf8")) as object;
  const validate = ajv.compile(schema);
  validators.set(file, validate);
  return validate;
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
