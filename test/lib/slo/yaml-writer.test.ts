import { parse } from "yaml";
import { toYamlText } from "../../../lib/slo/yaml-writer";

describe("toYamlText (parsed back by the yaml package, value for value)", () => {
  const tricky = [
    "plain", "", " leading", "trailing ", "a: b", "a #b", "#x", "- x", "? x", "{{$labels.x}}", "[x]", "x[5m]",
    "true", "no", "null", "~", "1", "99.9", "1e-12", "0x1F", ".5", "*alias", "&anchor", "!tag", "%x", "@x", "`x",
    "'q'", '"q"', "a\\b", "line1\nline2", "line1\nline2\n", "ends\n\n", "\nstarts", "tab\tin", "trailing \nspace",
    "ctrl\u0001", "ünïcödé", "sum(rate(x{a=\"b\"}[5m])) / 0.001", "(\n  x\n)\nor\ny",
  ];
  test.each(tricky)("string %j", (s) => {
    const doc = { k: s, list: [s, { n: s }], map: { [s === "" ? "empty" : s]: s } };
    expect(parse(toYamlText(doc))).toEqual(doc);
  });

  test("nested rule-file shape and empty containers", () => {
    const doc = { groups: [{ name: "g", interval: "30s", rules: [{ record: "r", expr: "a\nb", labels: { x: "1" } }, { alert: "A", expr: "x > 1" }] }], empty: [], none: {} };
    expect(parse(toYamlText(doc))).toEqual(doc);
  });

  test("numbers and booleans stay typed", () => {
    expect(parse(toYamlText({ a: 1, b: 0.5, c: true }))).toEqual({ a: 1, b: 0.5, c: true });
  });
});
