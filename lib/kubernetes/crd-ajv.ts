import type { Options } from "ajv";

/**
 * How CRD schemas are compiled into validators, in one place for the two compilers: the run-time one in
 * crd-schemas.ts and the build-time one (scripts/crd-validators.mjs, ajv standalone code), so a precompiled
 * validator is exactly the one the run-time compiler would build from the same schema file.
 */

/**
 * CRD patterns are Go (RE2) regular expressions: a leading `(?i)` is not JavaScript syntax, so it becomes the
 * `i` flag. Everything else the CRDs use is common to both.
 *
 * `code` is how ajv's standalone code obtains this engine: an expression it writes into the generated module,
 * which sits next to this file (the same convention as ajv's own `ajv/dist/runtime/re2`).
 */
export function goRegExp(pattern: string, flags?: string): RegExp {
  if (pattern.includes("(?i)")) return new RegExp(pattern.replace("(?i)", ""), `${flags ?? ""}i`);
  return new RegExp(pattern, flags ?? "u");
}
goRegExp.code = 'require("./crd-ajv").goRegExp';

/**
 * `x-kubernetes-*` and `format: int-or-string` are OpenAPI extensions: not strict, unknown formats ignored.
 * `allErrors` so a resource's every problem is reported at once; `verbose` for the parent schema of an
 * unknown field, whose known fields the error message lists.
 */
export const CRD_AJV_OPTIONS: Readonly<Options> = {
  strict: false,
  allErrors: true,
  verbose: true,
  validateFormats: false,
  code: { regExp: goRegExp, optimize: false },
};

/**
 * What a precompiled validator depends on besides its schema file: the ajv version and the options (the
 * regular-expression engine by its `code`). A generated module records it; a different value means the
 * module is stale and the schema is compiled at run time instead.
 */
export function crdCompilerFingerprint(): string {
  const options = JSON.stringify(CRD_AJV_OPTIONS, (_key, value: unknown) => (typeof value === "function" ? `function:${(value as { code?: string }).code}` : value));
  const { version } = require("ajv/package.json") as { version: string };
  return `ajv ${version} ${options}`;
}
