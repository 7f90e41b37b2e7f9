/** A JSON-like object whose keys are merged by {@link deepMerge}. */
export type PlainObject = Record<string, unknown>;

/**
 * True for `{}` literals and `Object.create(null)` objects only. Arrays, class instances (a cdktf
 * `IResolvable`, a `Date`) and tokens are leaves: they replace, they are never merged into.
 */
export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `overrides` into `base` from left to right and returns a new object; no input is changed.
 *
 * The rules are Helm's own for values files, so a user override reads the way it would in a
 * `values.yaml`:
 * - plain objects merge key by key, recursively;
 * - arrays and every other value replace what was there (a list of tolerations is never appended to);
 * - `undefined` means "not given" and leaves the base untouched;
 * - `null` is kept, which tells Helm to drop the chart's default for that key.
 */
export function deepMerge(base: PlainObject, ...overrides: ReadonlyArray<PlainObject | undefined>): PlainObject {
  let result = cloneDeep(base);
  for (const override of overrides) {
    if (override === undefined) continue;
    result = mergeTwo(result, override);
  }
  return result;
}

function mergeTwo(base: PlainObject, override: PlainObject): PlainObject {
  const result: PlainObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeTwo(current, value) : cloneDeep(value);
  }
  return result;
}

function cloneDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneDeep(v)) as unknown as T;
  if (isPlainObject(value)) {
    const copy: PlainObject = {};
    for (const [k, v] of Object.entries(value)) copy[k] = cloneDeep(v);
    return copy as T;
  }
  return value;
}
