/**
 * Golden files for representative specs. They were generated once with `UPDATE_GOLDEN=1 npx jest
 * test/lib/slo/golden` and reviewed by hand (windows, thresholds, labels, zero-traffic guards); a change in
 * output shows up here as a diff to review, never silently.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compileSlos, type CompileOptions } from "../../../lib/slo/compile";
import { emitPrometheusRuleYaml, emitRulesYaml } from "../../../lib/slo/emit";
import type { SloDefinition } from "../../../lib/slo/model";
import { makeSlo, SLI_BY_KIND } from "./support/factory";

const DIR = path.join(__dirname, "fixtures", "golden");

const CASES: Array<[string, SloDefinition[], CompileOptions, "rules" | "prometheusrule"]> = [
  ["events-30d", [makeSlo({ name: "availability", runbookUrl: "https://wiki.example.com/api" })], {}, "rules"],
  ["raw-28d-ticket-disabled", [makeSlo({ name: "ratio", sli: SLI_BY_KIND.raw, ticketDisabled: true })], { period: "28d" }, "rules"],
  [
    "latency-7d-grouped",
    [makeSlo({ name: "latency", objective: 99, sli: { ...SLI_BY_KIND.latency, groupBy: ["route"] } })],
    { period: "7d", runbookBaseUrl: "https://runbooks.example.com" },
    "rules",
  ],
  ["availability-30d", [makeSlo({ name: "up", objective: 99.5, sli: SLI_BY_KIND.availability })], {}, "rules"],
  ["events-prometheusrule", [makeSlo({ name: "availability" })], {}, "prometheusrule"],
];

describe("golden files", () => {
  test.each(CASES)("%s", (name, defs, opts, format) => {
    const result = compileSlos(defs, opts);
    const text =
      format === "rules"
        ? emitRulesYaml(result)
        : emitPrometheusRuleYaml(result, { name: "api-slos", namespace: "monitoring" });
    const file = path.join(DIR, `${name}.yaml`);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, text);
    expect(text).toBe(fs.readFileSync(file, "utf8"));
  });
});
