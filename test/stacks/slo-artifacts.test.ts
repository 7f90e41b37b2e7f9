import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENTS } from "../../environments";
import { SLO_SPEC_FOLDER } from "../../lib/slo/spec-folder";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";
import { SloError } from "../../lib/slo/model";
import { parse } from "yaml";

const root = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "slo-artifacts-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const names = ENVIRONMENTS.map((e) => e.name);

/** A copy of the repository's spec folder under a temporary app root, plus one new spec. */
function copyWithNewSpec(): string {
  const app = path.join(tmp, "app");
  fs.cpSync(path.join(root, SLO_SPEC_FOLDER), path.join(app, SLO_SPEC_FOLDER), { recursive: true });
  const spec = [
    "version: sre-platform/v1",
    "service: search-api",
    "labels:",
    "  team: payments",
    "slos:",
    "  - name: availability",
    "    objective: 99.5",
    "    sli:",
    "      events:",
    '        errorQuery: sum(rate(search_requests_total{namespace="payments",code=~"5.."}[{{.window}}]))',
    "        totalQuery: sum(rate(search_requests_total{namespace=\"payments\"}[{{.window}}]))",
    "    alerting:",
    "      name: SearchApiAvailability",
    "",
  ];
  fs.writeFileSync(path.join(app, SLO_SPEC_FOLDER, "search-api.yaml"), spec.join("\n"));
  return app;
}

describe("compileEnvironmentSlos", () => {
  const app = copyWithNewSpec();

  test.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s: a new file in environments/slos produces rules, with no registration", (_name, config) => {
    const slos = compileEnvironmentSlos(config, names, app);
    expect(slos.compiled.slos.map((s) => s.slo.id)).toContain("search-api-availability");
    expect(slos.rulesYaml).toMatch(/alert: SearchApiAvailability/);
    expect(slos.warnings.filter((w) => /slo\.specs/.test(w))).toEqual([]);
  });

  test("every spec of the repository's folder is compiled in every environment", () => {
    const files = fs.readdirSync(path.join(root, SLO_SPEC_FOLDER)).filter((f) => /\.ya?ml$/.test(f));
    for (const config of ENVIRONMENTS) {
      const compiledFiles = new Set(compileEnvironmentSlos(config, names).compiled.slos.map((s) => path.basename(s.slo.source.file)));
      expect([...compiledFiles].sort()).toEqual(files.sort());
    }
  });

  test("an explicit slo.specs that leaves the new file out compiles without it and says so", () => {
    const [first] = ENVIRONMENTS;
    const listed = { ...first!, slo: { specs: [`${SLO_SPEC_FOLDER}/checkout-api.yaml`, `${SLO_SPEC_FOLDER}/payments-worker.yaml`] } };
    const slos = compileEnvironmentSlos(listed, names, app);
    expect(slos.compiled.slos.map((s) => s.slo.id)).not.toContain("search-api-availability");
    expect(slos.warnings).toContainEqual(expect.stringMatching(/^slo\.specs leaves out environments\/slos\/search-api\.yaml, which compiles no rules in this environment; list it, or drop slo\.specs/));
  });
});

describe("an environment's overrides of its services (slo.overrides)", () => {
  const byName = (n: string) => ENVIRONMENTS.find((e) => e.name === n)!;
  const downRules = (yaml: string) =>
    (parse(yaml) as { groups: Array<{ name: string; rules: Array<{ alert?: string; for?: string }> }> }).groups
      .filter((g) => g.name.startsWith("sre-service-"))
      .map((g) => [g.rules[0]!.alert, g.rules[0]!.for]);

  test("dev's checkout API pages after ten minutes down and its worker's absence pages no one; staging keeps the specs'", () => {
    expect(downRules(compileEnvironmentSlos(byName("dev"), names).rulesYaml)).toEqual([["CheckoutApiDown", "10m"]]);
    expect(downRules(compileEnvironmentSlos(byName("staging"), names).rulesYaml)).toEqual([["CheckoutApiDown", "2m"], ["PaymentsWorkerDown", "2m"]]);
  });

  test("fails on an override of a service no spec defines, naming the environment's file and the field", () => {
    const typo = { ...byName("dev"), slo: { ...byName("dev").slo, overrides: { "chekout-api": { serviceDown: { disabled: true } } } } };
    expect(() => compileEnvironmentSlos(typo, names, root, "environments/dev.ts")).toThrow(SloError);
    expect(() => compileEnvironmentSlos(typo, names, root, "environments/dev.ts")).toThrow(/environments\/dev\.ts: slo\.overrides\.chekout-api: unknown service "chekout-api" \(did you mean "checkout-api"\?\)/);
  });
});
