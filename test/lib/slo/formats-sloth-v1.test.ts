import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseSloYaml } from "../../../lib/slo/parse";
import { validateSloDefinitions } from "../../../lib/slo/validate";
import { fixturePath } from "../../support/fixtures";
import { samePromql } from "./support/promql-parse";

const GOLDEN = fixturePath("sloth-golden");
const golden = (c: string): string => readFileSync(join(GOLDEN, c, "input.yaml"), "utf8");

describe("Sloth prometheus/v1 and sloth.slok.dev/v1", () => {
  it.each(["01-base-30d", "02-base-28d", "03-custom-windows-7d", "05-k8s-prometheusrule"])("reads Sloth's own input %s as-is", (c) => {
    const r = parseSloYaml(golden(c), "input.yaml");
    expect(r.errors).toEqual([]);
    expect(validateSloDefinitions(r.definitions)).toEqual([]);
    expect(r.definitions.map((d) => d.id)).toEqual(["svc01-slo1", "svc01-slo02"]);
    const [events, raw] = r.definitions;
    expect(events).toMatchObject({
      objective: 99.9,
      labels: { global01k1: "global01v1", global02k1: "global02v1" },
      sli: { kind: "events", errorQuery: samePromql('sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))') },
      alerting: {
        name: "myServiceAlert",
        labels: { alert01k1: "alert01v1" },
        annotations: { alert02k1: "alert02k2" },
        page: { disabled: false, labels: { alert03k1: "alert03v1" } },
        ticket: { disabled: false, labels: { alert04k1: "alert04v1" } },
      },
    });
    expect(raw).toMatchObject({ objective: 95, sli: { kind: "raw" }, alerting: { page: { disabled: true }, ticket: { disabled: true } } });
    expect(raw!.sli.kind === "raw" && raw!.sli.errorRatioQuery.endsWith("))")).toBe(true);
  });

  it("names fields in Sloth's own spelling", () => {
    const r = parseSloYaml(golden("01-base-30d"), "input.yaml");
    expect(r.definitions[0]!.source.fields?.["sli.errorQuery"]).toBe("slos[0].sli.events.error_query");
    const k8s = parseSloYaml(golden("05-k8s-prometheusrule"), "input.yaml");
    expect(k8s.definitions[0]!.source.fields?.["sli.errorQuery"]).toBe("spec.slos[0].sli.events.errorQuery");
  });

  const base = (): any => ({
    version: "prometheus/v1",
    service: "svc",
    slos: [
      {
        name: "avail",
        objective: 99,
        sli: { events: { error_query: "sum(rate(e[{{.window}}]))", total_query: "sum(rate(t[{{.window}}]))" } },
        alerting: { name: "SvcAvail", page_alert: { disable: false } },
      },
    ],
  });
  const cases: Array<[string, (s: any) => void, string, RegExp]> = [
    ["a plugin SLI is used", (s) => (s.slos[0].sli = { plugin: { id: "sloth-common/availability", options: {} } }), "slos[0].sli.plugin", /plugins are not supported/],
    ["the alert name is missing while an alert is enabled", (s) => delete s.slos[0].alerting.name, "slos[0].alerting.name", /alert name is needed while page_alert or ticket_alert is enabled/],
    ["a camelCase key is used in prometheus/v1", (s) => (s.slos[0].sli.events = { errorQuery: "x", total_query: "y" }), "slos[0].sli.events.errorQuery", /unknown field "errorQuery" \(did you mean "error_query"\?\)/],
    ["the error query has no window", (s) => (s.slos[0].sli.events.error_query = "sum(e)"), "slos[0].sli.events.error_query", /missing \{\{\.window\}\}/],
    ["the objective is above 100", (s) => (s.slos[0].objective = 100.5), "slos[0].objective", /strictly between 0 and 100/],
    ["the objective is a ratio (0.995 for 99.5%)", (s) => (s.slos[0].objective = 0.995), "slos[0].objective", /did you mean 99\.5\?/],
    ["the SLI is empty", (s) => (s.slos[0].sli = {}), "slos[0].sli", /missing SLI: give one of events, raw/],
  ];
  it.each(cases)("fails when %s", (_name, mutate, field, message) => {
    const s = base();
    mutate(s);
    const r = parseSloYaml(stringify(s), "svc.yaml");
    const all = [...r.errors, ...validateSloDefinitions(r.definitions)];
    const hit = all.find((d) => d.field === field && message.test(d.message));
    if (!hit) throw new Error(`no diagnostic at ${field} matching ${message}; got:\n${all.map((d) => JSON.stringify(d)).join("\n")}`);
    expect(hit).toMatchObject({ file: "svc.yaml", slo: "svc-avail" });
  });

  it("warns when disable is spelt disabled (Sloth ignores it), and fails in strict mode", () => {
    const s = base();
    s.slos[0].alerting.page_alert = { disabled: true };
    const lenient = parseSloYaml(stringify(s), "svc.yaml");
    expect(lenient.errors).toEqual([]);
    expect(lenient.definitions[0]!.alerting.page.disabled).toBe(false);
    const expected = { field: "slos[0].alerting.page_alert.disabled", message: expect.stringMatching(/^unknown field "disabled" \(did you mean "disable"\?\)/) };
    expect(lenient.warnings).toEqual([expect.objectContaining(expected)]);
    expect(parseSloYaml(stringify(s), "svc.yaml", { strict: true }).errors).toEqual([expect.objectContaining(expected)]);
  });

  it("fails when a label name is bad AND the alert name is missing, reporting both in one run", () => {
    const s = base();
    delete s.slos[0].alerting.name;
    s.slos[0].labels = { "bad-label": "x" };
    const r = parseSloYaml(stringify(s), "svc.yaml");
    const all = [...r.errors, ...validateSloDefinitions([...r.definitions, ...r.rejected])];
    expect(all.map((d) => d.field)).toEqual(["slos[0].alerting.name", "slos[0].labels.bad-label"]);
    expect(r.definitions).toEqual([]);
  });

  it("fails when a sloth.slok.dev/v1 object is of another kind, in one line", () => {
    const r = parseSloYaml("apiVersion: sloth.slok.dev/v1\nkind: ServiceLevel\nspec:\n  service: s\n", "k8s.yaml");
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(['kind: unsupported kind "ServiceLevel" for sloth.slok.dev/v1; allowed: PrometheusServiceLevel']);
  });

  it("accepts {{ .window }} with spaces, as Go templates do, and normalizes it", () => {
    const s = base();
    s.slos[0].sli.events.error_query = "sum(rate(e[{{ .window }}]))";
    const r = parseSloYaml(stringify(s), "svc.yaml");
    expect(r.definitions[0]!.sli).toMatchObject({ errorQuery: "sum(rate(e[{{.window}}]))" });
  });

  it("warns that interval settings are ignored", () => {
    const s = base();
    s.slos[0].interval = { all: "1m" };
    const r = parseSloYaml(stringify(s), "svc.yaml");
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]).toMatchObject({ field: "slos[0].interval", message: expect.stringMatching(/ignored/) });
  });
});
