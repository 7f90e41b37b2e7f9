import { parseSloDocuments, parseSloYaml } from "../../../lib/slo/parse";

describe("parseSloYaml dispatch", () => {
  it.each([
    ["version: prometheus/v2\n", "version", /unknown version "prometheus\/v2" \(did you mean "prometheus\/v1"\?\)/],
    ["apiVersion: sloth.slok.dev/v2\n", "apiVersion", /unknown apiVersion "sloth.slok.dev\/v2".*allowed: openslo\/v1, sloth.slok.dev\/v1/],
    ["42\n", undefined, /expected a map with version/],
    ["service: x\n", "version", /required field is missing: the spec version/],
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
});
