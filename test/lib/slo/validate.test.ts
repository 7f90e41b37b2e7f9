import { stringify } from "yaml";
import { type SloDiagnostic, SloError } from "../../../lib/slo/model";
import { parseSloYaml, type ParseOptions } from "../../../lib/slo/parse";
import { validateSloDefinitions, validateSloSpec } from "../../../lib/slo/validate";
import type { SloSpecV1 } from "../../../lib/slo/formats/sre-platform-v1";

const FILE = "slos/api.yaml";
const ERR = 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))';
const TOTAL = 'sum(rate(http_requests_total{job="api"}[{{.window}}]))';

/** A valid platform spec; each case breaks one thing. */
function spec(): any {
  return {
    version: "sre-platform/v1",
    service: "api",
    labels: { team: "web" },
    slos: [
      {
        name: "availability",
        objective: 99.9,
        sli: { events: { errorQuery: ERR, totalQuery: TOTAL } },
        alerting: { name: "ApiAvailability", page: { labels: { route: "oncall" } } },
      },
    ],
  };
}

/** Every problem of one file, as the CLI would report them (parse, then validate). */
function problems(text: string, opts: ParseOptions = {}): SloDiagnostic[] {
  const parsed = parseSloYaml(text, FILE, opts);
  return [...parsed.errors, ...validateSloDefinitions(parsed.definitions)];
}

function problemsOf(doc: unknown, opts: ParseOptions = {}): SloDiagnostic[] {
  return problems(stringify(doc), opts);
}

describe("validation of SLO specs", () => {
  it("accepts the valid base spec", () => {
    expect(problemsOf(spec())).toEqual([]);
  });

  const slo0 = "api-availability";
  const cases: Array<[string, (s: any) => void, { slo?: string; field?: string; message: RegExp }]> = [
    ["a query is not PromQL", (s) => (s.slos[0].sli.events.errorQuery = "sum(rate(x[{{.window}}])"),
      { slo: slo0, field: "slos[0].sli.events.errorQuery", message: /not valid PromQL: unexpected input at line 1, column 25/ }],
    ["a query has no {{.window}}", (s) => (s.slos[0].sli.events.totalQuery = "sum(rate(http_requests_total[5m]))"),
      { slo: slo0, field: "slos[0].sli.events.totalQuery", message: /missing \{\{\.window\}\}/ }],
    ["a query uses another template", (s) => (s.slos[0].sli.events.totalQuery = "sum(rate(x{a=\"{{.service}}\"}[{{.window}}]))"),
      { slo: slo0, field: "slos[0].sli.events.totalQuery", message: /unsupported template "\{\{\.service\}\}"/ }],
    ["rate() is given an instant vector", (s) => (s.slos[0].sli.events.errorQuery = "sum(rate(x)) + 0*sum(rate(x[{{.window}}]))"),
      { slo: slo0, field: "slos[0].sli.events.errorQuery", message: /rate\(\) needs a range vector/ }],
    ["the objective is 100", (s) => (s.slos[0].objective = 100),
      { slo: slo0, field: "slos[0].objective", message: /strictly between 0 and 100.*got 100/ }],
    ["the objective is 0", (s) => (s.slos[0].objective = 0),
      { slo: slo0, field: "slos[0].objective", message: /strictly between 0 and 100/ }],
    ["the objective is a ratio where a percentage belongs", (s) => (s.slos[0].objective = 0.995),
      { slo: slo0, field: "slos[0].objective", message: /objective 0\.995 is a percentage below 1; did you mean 99\.5\?/ }],
    ["the objective is a string", (s) => (s.slos[0].objective = "99.9%"),
      { slo: slo0, field: "slos[0].objective", message: /expected a number, got "99.9%"/ }],
    ["two SLOs share a name", (s) => s.slos.push({ ...s.slos[0] }),
      { slo: slo0, field: "slos[1].name", message: /duplicate SLO id "api-availability": already defined at slos\[0\]\.name/ }],
    ["a label name is invalid", (s) => (s.slos[0].labels = { "team-name": "x" }),
      { slo: slo0, field: "slos[0].labels.team-name", message: /invalid label name "team-name": must match/ }],
    ["a label name starts with __", (s) => (s.labels = { __team: "x" }),
      { slo: slo0, field: "labels.__team", message: /reserved for Prometheus/ }],
    ["a label name is reserved by the compiler", (s) => (s.slos[0].labels = { sre_slo: "x" }),
      { slo: slo0, field: "slos[0].labels.sre_slo", message: /reserved/ }],
    ["an alert label name is invalid", (s) => (s.slos[0].alerting.page.labels = { "1route": "x" }),
      { slo: slo0, field: 'slos[0].alerting.page.labels["1route"]', message: /invalid label name "1route"/ }],
    ["a label value is empty", (s) => (s.labels.team = ""),
      { slo: slo0, field: "labels.team", message: /must not be empty/ }],
    ["a label value is a map", (s) => (s.labels.team = { a: 1 }),
      { field: "labels.team", message: /must be a string, got a map/ }],
    ["an annotation name is invalid", (s) => (s.slos[0].alerting.annotations = { "run-book": "x" }),
      { slo: slo0, field: "slos[0].alerting.annotations.run-book", message: /invalid annotation name/ }],
    ["the alert name is not an identifier", (s) => (s.slos[0].alerting.name = "Api-Availability"),
      { slo: slo0, field: "slos[0].alerting.name", message: /invalid alert name "Api-Availability": must match \[a-zA-Z_\]/ }],
    ["the runbook URL is not absolute", (s) => (s.slos[0].alerting.runbookUrl = "runbooks/api.md"),
      { slo: slo0, field: "slos[0].alerting.runbookUrl", message: /absolute http\(s\) URL/ }],
    ["the mitigation is blank", (s) => (s.slos[0].alerting.mitigation = "  \n"),
      { slo: slo0, field: "slos[0].alerting.mitigation", message: /mitigation is empty: write what the on-call does first/ }],
    ["the version is unknown", (s) => (s.version = "sre-platform/v2"),
      { field: "version", message: /unknown version "sre-platform\/v2" \(did you mean "sre-platform\/v1"\?\); allowed: sre-platform\/v1 \(version: sre-platform\/v1\); Sloth prometheus\/v1/ }],
    ["the version is missing", (s) => delete s.version,
      { field: "version", message: /required field is missing: version \(or apiVersion\) saying the format; allowed: sre-platform\/v1/ }],
    ["the SLI is missing", (s) => delete s.slos[0].sli,
      { slo: slo0, field: "slos[0].sli", message: /missing SLI: give one of events, raw, latency, availability/ }],
    ["two SLI kinds are given", (s) => (s.slos[0].sli.raw = { errorRatioQuery: ERR }),
      { slo: slo0, field: "slos[0].sli", message: /exactly one SLI kind, got events and raw/ }],
    ["a field is misspelt", (s) => { s.slos[0].objetive = s.slos[0].objective; delete s.slos[0].objective; },
      { slo: slo0, field: "slos[0].objetive", message: /unknown field "objetive" \(did you mean "objective"\?\); allowed fields: name, objective/ }],
    ["a required field is missing", (s) => delete s.slos[0].objective,
      { slo: slo0, field: "slos[0].objective", message: /required field is missing \(expected a number\)/ }],
    ["the period is not supported", (s) => (s.slos[0].period = "1d"),
      { slo: slo0, field: "slos[0].period", message: /must be one of "30d", "28d", "7d", got "1d"/ }],
    ["the service name has spaces", (s) => (s.service = "my api"),
      { slo: "my api-availability", field: "service", message: /invalid service "my api"/ }],
    ["a latency metric has the _bucket suffix", (s) => (s.slos[0].sli = { latency: { metric: "h_bucket", threshold: 0.3 } }),
      { slo: slo0, field: "slos[0].sli.latency.metric", message: /base name without the _bucket/ }],
    ["a latency selector matches le", (s) => (s.slos[0].sli = { latency: { metric: "h", selector: 'job="a",le="1"', threshold: 0.3 } }),
      { slo: slo0, field: "slos[0].sli.latency.selector", message: /remove the le matcher/ }],
    ["a latency selector is not matchers", (s) => (s.slos[0].sli = { latency: { metric: "h", selector: "{job=a}", threshold: 0.3 } }),
      { slo: slo0, field: "slos[0].sli.latency.selector", message: /invalid label matchers/ }],
    ["a latency threshold is not a number", (s) => (s.slos[0].sli = { latency: { metric: "h", threshold: "300ms" } }),
      { slo: slo0, field: "slos[0].sli.latency.threshold", message: /positive number.*got "300ms"/ }],
    ["a latency groupBy label is invalid", (s) => (s.slos[0].sli = { latency: { metric: "h", threshold: 1, groupBy: ["a-b"] } }),
      { slo: slo0, field: "slos[0].sli.latency.groupBy", message: /invalid groupBy label "a-b"/ }],
    ["an availability gauge has a window", (s) => (s.slos[0].sli = { availability: { gaugeQuery: "avg_over_time(up[{{.window}}])" } }),
      { slo: slo0, field: "slos[0].sli.availability.gaugeQuery", message: /remove \{\{\.window\}\}/ }],
    ["an availability gauge is not PromQL", (s) => (s.slos[0].sli = { availability: { gaugeQuery: "up{job=}" } }),
      { slo: slo0, field: "slos[0].sli.availability.gaugeQuery", message: /not valid PromQL/ }],
    ["an environment override sets a bad objective", (s) => (s.slos[0].environments = { dev: { objective: 120 } }),
      { slo: slo0, field: "slos[0].environments.dev.objective", message: /strictly between 0 and 100/ }],
  ];

  it.each(cases)("fails when %s", (_name, mutate, want) => {
    const s = spec();
    mutate(s);
    const found = problemsOf(s, { environment: "dev" });
    expect(found.length).toBeGreaterThan(0);
    const match = found.find((d) => d.field === want.field && want.message.test(d.message));
    if (!match) throw new Error(`no diagnostic at ${want.field} matching ${want.message}; got:\n${found.map((d) => JSON.stringify(d)).join("\n")}`);
    expect(match.file).toBe(FILE);
    expect(match.slo).toBe(want.slo);
  });

  it("fails when the YAML is malformed, naming line and column", () => {
    const found = problems("version: sre-platform/v1\nservice: api\nslos: [\n  - name: x\n");
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const d of found) {
      expect(d).toMatchObject({ file: FILE, stage: "parse" });
      expect(d.message).toMatch(/^invalid YAML at line [45], column \d+: /);
    }
  });

  it("fails when a key is duplicated in YAML", () => {
    const found = problems("version: sre-platform/v1\nservice: api\nservice: web\nslos: []\n");
    expect(found[0]!.message).toMatch(/invalid YAML at line 3, column 1: Map keys must be unique/);
  });

  it("fails when an environment override names an unknown environment", () => {
    const s = spec();
    s.slos[0].environments = { prdo: { objective: 99 } };
    const found = problemsOf(s, { knownEnvironments: ["dev", "staging", "prod"] });
    expect(found).toEqual([
      expect.objectContaining({ file: FILE, slo: "api-availability", field: "slos[0].environments.prdo", message: expect.stringMatching(/unknown environment "prdo" \(did you mean "prod"\?\); known environments: dev, staging, prod/) }),
    ]);
  });

  it("reports a misspelt required key once, and still checks the queries of that SLO", () => {
    const s = spec();
    s.slos[0].objetive = 99.9;
    delete s.slos[0].objective;
    s.slos[0].sli.events.errorQuery = "sum(rate(x[5m]))";
    const found = problemsOf(s);
    expect(found.map((d) => [d.slo, d.field])).toEqual([
      ["api-availability", "slos[0].objetive"],
      ["api-availability", "slos[0].sli.events.errorQuery"],
    ]);
  });

  it("collects every problem of a file in one run, not just the first", () => {
    const s = spec();
    s.slos[0].objective = 101;
    s.slos[0].alerting.name = "bad name";
    s.slos.push({ name: "latency", objective: 99, sli: { events: { errorQuery: "x", totalQuery: TOTAL } } });
    const fields = problemsOf(s).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["slos[0].objective", "slos[0].alerting.name", "slos[1].sli.events.errorQuery"]));
  });
});

describe("validateSloSpec (specs built in TypeScript)", () => {
  const ts: SloSpecV1 = {
    version: "sre-platform/v1",
    service: "api",
    slos: [
      { name: "up", objective: 99.5, sli: { availability: { gaugeQuery: 'up{job="api"}' } }, environments: { dev: { objective: 95 } } },
    ],
  };

  it("returns definitions with the environment's overrides", () => {
    const defs = validateSloSpec(ts, { environment: "dev" });
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({ id: "api-up", objective: 95, sli: { kind: "availability" }, alerting: { name: "ApiUp" } });
    expect(defs[0]!.source).toMatchObject({ file: "<inline>", format: "sre-platform/v1" });
  });

  it("fails when the spec is invalid, with an SloError naming the field", () => {
    const bad: SloSpecV1 = { ...ts, slos: [{ ...ts.slos[0]!, objective: 0 }] };
    expect(() => validateSloSpec(bad, { file: "checkout.ts" })).toThrow(SloError);
    expect(() => validateSloSpec(bad, { file: "checkout.ts" })).toThrow(/^checkout\.ts: api-up: slos\[0\]\.objective: objective must be/);
  });
});
