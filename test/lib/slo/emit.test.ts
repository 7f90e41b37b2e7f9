import * as fs from "node:fs";
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitPrometheusRuleYaml, emitRulesYaml, GENERATED_HEADER, toPrometheusRule, toRuleGroups } from "../../../lib/slo/emit";
import { validateAgainstSchema, type Schema } from "../../support/json-schema-lite";
import { makeSlo, SLI_BY_KIND } from "./support/factory";
import { repositoryPath } from "../../support/fixtures";

const SCHEMA_FILE = repositoryPath("schemas/crds/monitoring.coreos.com/prometheusrule_v1.json");
const result = compileSlos(
  Object.entries(SLI_BY_KIND).map(([k, sli]) => makeSlo({ name: k, sli, alertName: `Api${k}Burn` })),
  { runbookBaseUrl: "https://rb.example.com" },
);

describe("emitRulesYaml", () => {
  const text = emitRulesYaml(result);
  test("starts with the generated-file header and round-trips to the same groups", () => {
    expect(text.startsWith(GENERATED_HEADER)).toBe(true);
    expect(parse(text)).toEqual({ groups: toRuleGroups(result) });
  });
  test("group keys in Prometheus order (name, interval, rules) and rule keys record|alert, expr first", () => {
    const g = parse(text).groups[0];
    expect(Object.keys(g)).toEqual(["name", "interval", "rules"]);
    for (const r of parse(text).groups.flatMap((x: { rules: object[] }) => x.rules)) {
      expect(Object.keys(r).slice(0, 2)).toEqual(expect.arrayContaining(["expr"]));
      expect(["record", "alert"]).toContain(Object.keys(r)[0]);
    }
  });
  test("never folds long expressions (a folded PromQL line is still valid, but unreadable in review)", () => {
    expect(text).not.toMatch(/expr: >/);
  });
  test("is deterministic", () => expect(emitRulesYaml(result)).toBe(text));
});

describe("PrometheusRule", () => {
  const obj = toPrometheusRule(result, { name: "api-slos", namespace: "monitoring", labels: { release: "kps" } });

  test("apiVersion, kind, metadata", () => {
    expect(obj.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(obj.kind).toBe("PrometheusRule");
    expect(obj.metadata).toEqual({
      name: "api-slos",
      namespace: "monitoring",
      labels: { "app.kubernetes.io/component": "slo", "app.kubernetes.io/managed-by": "sre-platform", release: "kps" },
    });
    expect(toPrometheusRule(result, { name: "x" }).metadata.namespace).toBeUndefined();
  });

  test("validates against the upstream CRD schema (schemas/crds)", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema;
    expect(validateAgainstSchema(obj, schema)).toEqual([]);
    // The checker itself can fail: a rule without expr and a bad interval are reported.
    const broken = { ...obj, spec: { groups: [{ name: "g", interval: "1 minute", rules: [{ record: "x" }] }] } };
    expect(validateAgainstSchema(broken, schema)).toEqual([
      '$.spec.groups[0].interval: "1 minute" does not match ^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
      "$.spec.groups[0].rules[0]: missing required expr",
    ]);
  });

  test("YAML form parses back to the object", () => {
    const text = emitPrometheusRuleYaml(result, { name: "api-slos", namespace: "monitoring", labels: { release: "kps" } });
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(obj)));
  });
});
