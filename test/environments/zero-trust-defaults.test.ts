/**
 * Zero-trust defaults are on everywhere unless an environment turns one off by a named opt-out with a reason.
 * This suite reads every committed environment and finds every opt-out wherever a security section declares one,
 * so a new part of the platform is covered the moment it adds its `optOut` section.
 */
import { ENVIRONMENTS } from "../../environments";
import { EnvironmentSchema } from "../../lib/config/environment-schema";
import { OptOutSchema } from "../../lib/config/security-schema";

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
