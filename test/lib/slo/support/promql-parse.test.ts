import { expectSamePromql, promqlDifference, promqlTree, samePromql } from "./promql-parse";

describe("expectSamePromql: PromQL compared by parse tree", () => {
  it.each([
    ["spacing and line breaks", "sum(rate(e[5m]))/sum(rate(t[5m]))", "sum( rate(e[5m]) )\n/\nsum(rate( t[5m] ))"],
    ["redundant parentheses", "(sum((rate(x_total[{{.window}}]))))", "sum(rate(x_total[{{.window}}]))"],
    ["a parenthesised subquery operand", "sum(count_over_time((up)[5m:]))", "sum(count_over_time(up[5m:]))"],
    ["spaces inside the window placeholder", "rate(x[{{ .window }}])", "rate(x[{{.window}}])"],
  ])("passes when only %s differ", (_what, actual, expected) => {
    expect(() => expectSamePromql(actual, expected)).not.toThrow();
    expect({ q: actual }).toEqual({ q: samePromql(expected) });
  });

  it.each([
    ["the window", "sum(rate(e[5m]))", "sum(rate(e[1h]))", /NumberDurationLiteralInDurationContext "5m"/],
    ["the placeholder or a fixed window", "rate(x[5m])", "rate(x[{{.window}}])", /"\{\{\.window\}\}"/],
    ["a label matcher's value", 'sum(rate(e{code=~"5.."}[5m]))', 'sum(rate(e{code=~"4.."}[5m]))', /StringLiteral/],
    ["a label matcher's operator", 'e{code="5"}', 'e{code!="5"}', /EqlSingle/],
    ["the set of label matchers", 'e{job="a",code="5"}', 'e{job="a"}', /UnquotedLabelMatcher|end of expression/],
    ["a grouping label", "sum by (a) (x)", "sum by (b) (x)", /LabelName "a"/],
    ["the grouping that parentheses set", "(a + b) * c", "a + b * c", /VectorSelector|BinaryExpr/],
    ["a number", "x > (14.4 * 0.001)", "x > (14.4 * 0.01)", /"0.001"/],
    ["a function argument", "vector(28)", "vector(7)", /"28"/],
  ])("fails when %s differs, saying where", (_what, actual, expected, where) => {
    const difference = promqlDifference(actual, expected);
    expect(difference).toMatch(/^PromQL differs\n {2}actual: {3}.*\n {2}expected: .*\n {2}first difference at parse-tree line \d+:/);
    expect(difference).toMatch(where);
    expect(() => expectSamePromql(actual, expected)).toThrow(/PromQL differs/);
    expect({ q: actual }).not.toEqual({ q: samePromql(expected) });
  });

  it("fails on an expression that is not PromQL, and a samePromql of one is refused at once", () => {
    expect(() => expectSamePromql("sum(rate(x[5m])", "sum(rate(x[5m]))")).toThrow(/not valid PromQL/);
    expect(() => samePromql("sum(")).toThrow(/not valid PromQL/);
    expect({ q: 42 }).not.toEqual({ q: samePromql("x") });
  });

  it("renders one node per line, parentheses left out", () => {
    expect(promqlTree("(a)")).toBe('PromQL\n  VectorSelector\n    Identifier "a"');
  });
});
