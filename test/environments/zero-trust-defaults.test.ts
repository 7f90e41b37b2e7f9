/**
 * Zero-trust defaults are on everywhere unless an environment turns one off by a named opt-out with a reason.
 * This suite reads every committed environment and finds every opt-out wherever a security section declares one,
 * so a new part of the platform is covered the moment it adds its `optOut` section.
 */
import { ENVIRONMENTS } from "../../environments";
import { EnvironmentSchema } from "../../lib/config/environment-schema";
import { OptOutSchema, SecurityConfigSchema } from "../../lib/config/security-schema";

/** Every named opt-out flag the security schema declares, as `<path>.optOut.<flag>`, with the flag's schema. */
function declaredOptOuts(schema: unknown, path: string): Array<[string, unknown]> {
  const def = (schema as { _zod?: { def?: Record<string, any> } })._zod?.def;
  if (!def) return [];
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
      return declaredOptOuts(def.innerType, path);
    case "array":
      return declaredOptOuts(def.element, `${path}[]`);
    case "record":
      return declaredOptOuts(def.valueType, `${path}{}`);
    case "union":
      return (def.options as unknown[]).flatMap((o) => declaredOptOuts(o, path));
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) => {
        if (k !== "optOut") return declaredOptOuts(v, `${path}.${k}`);
        let inner = v as { _zod: { def: Record<string, any> } };
        while (inner._zod.def.type === "optional") inner = inner._zod.def.innerType;
        return Object.entries(inner._zod.def.shape as Record<string, unknown>).map(([flag, f]) => [`${path}.optOut.${flag}`, f] as [string, unknown]);
      });
    default:
      return [];
  }
}

/** Every `optOut` object under `value`, with its path. */
function optOutSections(value: unknown, path: string): Array<[string, Record<string, unknown>]> {
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => optOutSections(v, `${path}[${i}]`));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    k === "optOut" && v !== null && typeof v === "object" ? [[`${path}.${k}`, v as Record<string, unknown>] as [string, Record<string, unknown>]] : optOutSections(v, `${path}.${k}`),
  );
}

describe("zero-trust defaults in the committed environments", () => {
  test.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s turns no zero-trust default off", (_name, env) => {
    const used = optOutSections(env.security, "security").flatMap(([path, flags]) =>
      Object.entries(flags).filter(([, v]) => v !== undefined).map(([flag]) => `${path}.${flag}`),
    );
    expect(used).toEqual([]);
  });

  test("every part declares its opt-outs as named flags, each needing a reason", () => {
    const flags = declaredOptOuts(SecurityConfigSchema, "security");
    const reasonless = { reason: "" };
    // Each part has a named way to turn each default off; cert-manager has no default that config can weaken.
    for (const part of Object.keys(SecurityConfigSchema.shape).filter((p) => p !== "certManager")) {
      expect(flags.some(([p]) => p.startsWith(`security.${part}`))).toBe(true);
    }
    for (const [flag, schema] of flags) {
      const s = schema as { safeParse(v: unknown): { success: boolean } };
      expect([flag, s.safeParse(reasonless).success]).toEqual([flag, false]);
      expect([flag, s.safeParse({ reason: "turned off on purpose, and the review knows why" }).success]).toEqual([flag, true]);
    }
  });

  test("the walk finds an opt-out wherever a section puts one", () => {
    const env = { security: { part: { optOut: { someDefault: { reason: "a reason long enough to pass" } } }, list: [{ optOut: { other: {} } }] } };
    expect(optOutSections(env.security, "security").map(([p]) => p)).toEqual(["security.part.optOut", "security.list[0].optOut"]);
  });

  test("an opt-out needs a reason of at least a sentence", () => {
    expect(OptOutSchema.safeParse({ reason: "because" }).success).toBe(false);
    expect(OptOutSchema.safeParse({}).success).toBe(false);
    expect(OptOutSchema.safeParse({ reason: "dev runs without the mesh to keep the nodes small" }).success).toBe(true);
  });

  test("the security section is required: an environment cannot leave zero trust out", () => {
    const { security: _dropped, ...rest } = ENVIRONMENTS[0]!;
    const r = EnvironmentSchema.safeParse(rest);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain("security");
  });
});
