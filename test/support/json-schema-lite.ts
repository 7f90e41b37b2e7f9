/**
 * A small JSON-schema checker covering the keywords that Kubernetes CRD schemas use (type, properties,
 * required, items, additionalProperties, anyOf, enum, pattern, minLength, x-kubernetes-int-or-string), so
 * tests can validate generated manifests against the upstream CRD schema without adding ajv.
 * Unknown object properties are reported (Kubernetes structural schemas prune them, which hides mistakes).
 */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Returns one message per problem, each starting with the JSON path. */
export function validateAgainstSchema(value: unknown, schema: Schema, path = "$"): string[] {
  const out: string[] = [];
  if (schema["x-kubernetes-int-or-string"] && (typeof value === "string" || Number.isInteger(value))) return out;
  if (schema.anyOf) {
    const ok = schema.anyOf.some((s) => validateAgainstSchema(value, s, path).length === 0);
    if (!ok) out.push(`${path}: matches none of anyOf`);
  }
  if (schema.type !== undefined) {
    const t = typeOf(value);
    const ok = t === schema.type || (schema.type === "number" && t === "integer");
    if (!ok) return [...out, `${path}: expected ${schema.type}, got ${t}`];
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${path}: shorter than ${schema.minLength}`);
    // Go RE2 `(?i)` prefix is not JavaScript syntax; translate it to a flag.
    if (schema.pattern !== undefined) {
      const ci = schema.pattern.startsWith("(?i)");
      const re = new RegExp(ci ? schema.pattern.slice(4) : schema.pattern, ci ? "i" : "");
      if (!re.test(value)) out.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => out.push(...validateAgainstSchema(v, schema.items!, `${path}[${i}]`)));
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${path}: missing required ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties?.[k];
      if (p) out.push(...validateAgainstSchema(v, p, `${path}.${k}`));
      else if (typeof schema.additionalProperties === "object") out.push(...validateAgainstSchema(v, schema.additionalProperties, `${path}.${k}`));
      else if (schema.properties && !schema["x-kubernetes-preserve-unknown-fields"]) out.push(`${path}: unknown field ${k}`);
    }
  }
  return out;
}
