/**
 * The JSON Schema of `sre-platform/v1` files (editor completion through the yaml-language-server modeline) is
 * committed at schemas/slo/ and shipped with the package. It is generated from the parser's own zod schemas:
 * this test fails when the committed file is not what they generate now (`UPDATE_SLO_SCHEMA=1 npx jest
 * test/lib/slo/json-schema` rewrites it), and checks with ajv that it accepts the platform's own specs and
 * refuses what the parser refuses by shape.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { sloSpecV1JsonSchema, SRE_PLATFORM_V1_SCHEMA_FILE } from "../../../lib/slo/formats/sre-platform-v1";
import { repositoryPath } from "../../support/fixtures";

const file = repositoryPath(SRE_PLATFORM_V1_SCHEMA_FILE);
const generated = `${JSON.stringify(sloSpecV1JsonSchema(), null, 2)}\n`;
if (process.env.UPDATE_SLO_SCHEMA === "1") fs.writeFileSync(file, generated);
const committed = fs.readFileSync(file, "utf8");
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);

const spec = (slo: string): unknown =>
  parse(`version: sre-platform/v1
service: shop
labels:
  tier: 1
slos:
${slo}`);
const SLO = `  - name: availability
    objective: 99.5
    sli:
      events:
        errorQuery: sum(rate(e[{{.window}}]))
        totalQuery: sum(rate(t[{{.window}}]))
`;

describe("the sre-platform/v1 JSON Schema", () => {
  test("is what the parser's schemas generate", () => {
    expect(committed).toBe(generated);
  });

  test("is draft-07, for editors' YAML servers", () => {
    expect(JSON.parse(committed).$schema).toBe("http://json-schema.org/draft-07/schema#");
  });

  test.each(fs.readdirSync(repositoryPath("environments/slos")).filter((f) => f.endsWith(".yaml")))("accepts the platform's own %s, which names it in its modeline", (name) => {
    const text = fs.readFileSync(repositoryPath("environments/slos", name), "utf8");
    expect(validate(parse(text))).toBe(true);
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(modeline && path.resolve(repositoryPath("environments/slos"), modeline[1]!)).toBe(file);
  });

  test("accepts numbers as label values, as the parser does", () => {
    expect(validate(spec(SLO))).toBe(true);
  });

  test.each([
    ["a misspelt key", SLO.replace("objective", "objetive"), "must NOT have additional properties"],
    ["an SLI of two kinds", `${SLO}      raw:\n        errorRatioQuery: x\n`.replace("    alerting", "    alerting"), "must NOT have more than 1 properties"],
    ["an SLI of no kind", SLO.replace(/    sli:\n[\s\S]*$/, "    sli: {}\n"), "must NOT have fewer than 1 properties"],
    ["an unsupported period", `${SLO}    period: 90d\n`, "must be equal to one of the allowed values"],
  ])("refuses %s", (_what, slo, message) => {
    expect(validate(spec(slo))).toBe(false);
    expect(validate.errors!.map((e) => e.message)).toContain(message);
  });

  test("ships with the package", () => {
    const pkg = JSON.parse(fs.readFileSync(repositoryPath("package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain(SRE_PLATFORM_V1_SCHEMA_FILE);
  });
});
