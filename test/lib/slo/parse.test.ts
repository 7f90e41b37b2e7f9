import { detectFormat, SLO_FORMATS, type SloFormat, unclaimedDocumentProblem } from "../../../lib/slo/formats/index";
import { parseSloDocuments, parseSloTexts, parseSloYaml } from "../../../lib/slo/parse";

describe("parseSloYaml dispatch", () => {
  it.each([
    ["version: prometheus/v2\n", "version", /unknown version "prometheus\/v2" \(did you mean "prometheus\/v1"\?\)/],
    ["apiVersion: sloth.slok.dev/v2\n", "apiVersion", /unknown apiVersion "sloth.slok.dev\/v2" \(did you mean "sloth.slok.dev\/v1"\?\); allowed: .*apiVersion: sloth.slok.dev\/v1 with kind: PrometheusServiceLevel.*apiVersion: openslo\/v1 with kind: SLO, SLI/],
    ["42\n", undefined, /expected a map with version/],
    ["service: x\n", "version", /required field is missing: version \(or apiVersion\)/],
    ["", undefined, /no SLO document in file/],
  ])("refuses %j", (text, field, message) => {
    const r = parseSloYaml(text, "f.yaml");
    expect(r.definitions).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: "f.yaml", stage: "parse", message: expect.stringMatching(message) });
    expect(r.errors[0]!.field).toBe(field);
  });

  it("reads a YAML list of objects item by item, naming each item's index", () => {
    const r = parseSloYaml("- a\n- version: nope\n", "f.yaml");
    expect(r.errors.map((e) => [e.field, e.message.slice(0, 30)])).toEqual([["[0]", "expected a map with version (o"], ["[1].version", 'unknown version "nope"; allowe']]);
  });

  it("reads a key left empty (YAML null) as absent, and a required one as missing", () => {
    const r = parseSloYaml("version: sre-platform/v1\nservice: a\nlabels:\nslos:\n  - name: x\n    objective:\n    sli: {raw: {errorRatioQuery: \"rate(e[{{.window}}])\"}}\n", "f.yaml");
    expect(r.errors.map((e) => [e.field, e.message])).toEqual([["slos[0].objective", "required field is missing (expected a number)"]]);
  });

  it("prefixes field paths with the document index in multi-document files", () => {
    const r = parseSloYaml("version: sre-platform/v1\nservice: a\nslos: []\n---\nversion: nope\n", "f.yaml");
    expect(r.errors.map((e) => e.field)).toEqual(["docs[0].slos", "docs[1].version"]);
  });

  it("reads several formats from one list of documents", () => {
    const r = parseSloDocuments([
      { version: "sre-platform/v1", service: "a", slos: [{ name: "x", objective: 99, sli: { raw: { errorRatioQuery: "e" } } }] },
      { version: "prometheus/v1", service: "b", slos: [{ name: "y", objective: 99, sli: { raw: { error_ratio_query: "e" } }, alerting: { name: "B" } }] },
    ], "mixed");
    expect(r.errors).toEqual([]);
    expect(r.definitions.map((d) => [d.id, d.source.format])).toEqual([["a-x", "sre-platform/v1"], ["b-y", "prometheus/v1"]]);
  });

  it("returns definitions in file order, whichever format parsed them", () => {
    const openslo = "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  service: o\n  budgetingMethod: Occurrences\n  timeWindow: [{duration: 30d, isRolling: true}]\n  objectives: [{target: 0.99}]\n  indicator:\n    metadata: {name: i}\n    spec: {ratioMetric: {raw: {metricSource: {type: Prometheus, spec: {query: 'rate(e[{{.window}}])'}}}, rawType: failure}}\n";
    const own = "version: sre-platform/v1\nservice: p\nslos: [{name: b, objective: 99, sli: {raw: {errorRatioQuery: 'rate(e[{{.window}}])'}}}]\n";
    const r = parseSloTexts([{ text: openslo, file: "1.yaml" }, { text: own, file: "2.yaml" }]);
    expect(r.errors).toEqual([]);
    expect(r.definitions.map((d) => d.id)).toEqual(["o-a", "p-b"]);
  });
});

describe("the registry of input formats", () => {
  it.each([
    [{ version: "sre-platform/v1" }, "sre-platform/v1"],
    [{ version: "prometheus/v1" }, "prometheus/v1"],
    [{ apiVersion: "sloth.slok.dev/v1", kind: "PrometheusServiceLevel" }, "prometheus/v1"],
    [{ apiVersion: "openslo/v1", kind: "SLO" }, "openslo/v1"],
    [{ apiVersion: "openslo/v1alpha" }, undefined],
    [{ version: "v1", apiVersion: "openslo/v1" }, undefined],
  ])("gives %j to %s", (doc, name) => {
    expect(detectFormat(doc)?.name).toBe(name);
  });

  it("names every format and what it expects when no format claims a document", () => {
    const { field, message } = unclaimedDocumentProblem({ kind: "SLO" });
    expect(field).toBe("version");
    for (const f of SLO_FORMATS) for (const m of f.markers) expect(message).toContain(`${m.field}: ${m.value}`);
    expect(message).toContain("OpenSLO openslo/v1 (apiVersion: openslo/v1 with kind: SLO, SLI, DataSource or Service)");
  });

  it("detects, suggests and lists a format added to the list", () => {
    const extra: SloFormat = {
      name: "openslo/v1",
      title: "Test",
      markers: [{ field: "apiVersion", value: "example.com/v9" }],
      detect: (doc) => doc["apiVersion"] === "example.com/v9",
      parse: () => [],
    };
    const formats = [...SLO_FORMATS, extra];
    expect(detectFormat({ apiVersion: "example.com/v9" }, formats)).toBe(extra);
    expect(unclaimedDocumentProblem({ apiVersion: "example.com/v8" }, formats).message).toMatch(/^unknown apiVersion "example.com\/v8" \(did you mean "example.com\/v9"\?\); allowed: .*Test openslo\/v1 \(apiVersion: example.com\/v9\)$/);
  });
});
