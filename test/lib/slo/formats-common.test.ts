import { z } from "zod";
import {
  type FormatContext, objectSchemaAt, parseLenient, reportZodIssues, unknownKeyMessage, unknownKeysOf,
} from "../../../lib/slo/formats/common";
import type { SloDiagnostic } from "../../../lib/slo/model";

const context = (strict = false): FormatContext & { errors: SloDiagnostic[]; warnings: SloDiagnostic[] } => ({
  file: "f.yaml", format: "openslo/v1", prefix: [], strict, errors: [], warnings: [], rejected: [],
});

const unrecognized = (schema: z.ZodType, value: unknown) =>
  schema.safeParse(value).error!.issues.filter((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === "unrecognized_keys");

describe("unknown keys as data", () => {
  const base = z.strictObject({ name: z.string() });
  const extended = base.extend({ objective: z.number() });

  it("allows, suggests and lists a key added by .extend()", () => {
    expect(extended.safeParse({ name: "a", objective: 1 }).success).toBe(true);
    const ctx = context();
    const r = extended.safeParse({ name: "a", objetive: 1 }, { reportInput: true });
    reportZodIssues(ctx, extended, r.error!.issues, ["slos", 0]);
    // One line for the misspelt key; the missing "objective" it causes is not reported again.
    expect(ctx.errors).toEqual([
      { file: "f.yaml", field: "slos[0].objetive", stage: "parse", message: 'unknown field "objetive" (did you mean "objective"?); allowed fields: name, objective' },
    ]);
  });

  it("carries path, key, allowed keys and suggestion, through optional, array, record and pipe schemas", () => {
    const schema = z.strictObject({
      items: z.array(z.strictObject({ labels: z.record(z.string(), z.strictObject({ value: z.string() })).optional() })),
      query: z.preprocess((v) => v, z.strictObject({ expr: z.string() })),
    });
    const value = { items: [{ labels: { a: { value: "x", vaule: "y" } } }], query: { exp: "up", other: 1 } };
    expect(unrecognized(schema, value).flatMap((i) => unknownKeysOf(schema, i))).toEqual([
      { path: ["items", 0, "labels", "a"], key: "vaule", allowed: ["value"], suggestion: "value" },
      { path: ["query"], key: "exp", allowed: ["expr"], suggestion: "expr" },
      { path: ["query"], key: "other", allowed: ["expr"] },
    ]);
  });

  it("finds no object where the path leads to none", () => {
    expect(objectSchemaAt(z.strictObject({ a: z.string() }), ["a"])).toBeUndefined();
    expect(objectSchemaAt(z.strictObject({ a: z.string() }), ["b"])).toBeUndefined();
  });

  it("formats one line per key from the data", () => {
    expect(unknownKeyMessage({ path: [], key: "x", allowed: ["a", "b"] })).toBe('unknown field "x"; allowed fields: a, b');
    expect(unknownKeyMessage({ path: [], key: "x", allowed: [] })).toBe('unknown field "x"; no fields are allowed here');
    const ctx = context();
    const schema = z.strictObject({ name: z.string() });
    reportZodIssues(ctx, schema, schema.safeParse({ name: "", colour: 1, nmae: 2 }).error!.issues, ["spec"]);
    expect(ctx.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.colour: unknown field "colour"; allowed fields: name',
      'spec.nmae: unknown field "nmae" (did you mean "name"?); allowed fields: name',
    ]);
  });

  it("parseLenient warns about an unknown optional key of an extended schema, and fails on a misspelt required one", () => {
    const lenient = context();
    expect(parseLenient(extended, { name: "a", objective: 1, colour: "red" }, lenient, [])).toEqual({ name: "a", objective: 1 });
    expect(lenient.warnings.map((w) => `${w.field}: ${w.message}`)).toEqual([
      'colour: unknown field "colour"; allowed fields: name, objective; ignored (an error in strict mode)',
    ]);
    const misspelt = context();
    expect(parseLenient(extended, { name: "a", objectiv: 1 }, misspelt, [])).toBeUndefined();
    expect(misspelt.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'objectiv: unknown field "objectiv" (did you mean "objective"?); allowed fields: name, objective',
    ]);
    const strict = context(true);
    expect(parseLenient(extended, { name: "a", objective: 1, colour: "red" }, strict, [])).toBeUndefined();
    expect(strict.errors.map((e) => e.field)).toEqual(["colour"]);
  });
});
