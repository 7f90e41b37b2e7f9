import { counterRates, splitDivision } from "../../../lib/slo/promql-rewrite";
import { checkPromql } from "../../../lib/slo/promql";
import { samePromql } from "./support/promql-parse";

describe("counterRates: OpenSLO counter queries → rates over {{.window}}", () => {
  it.each([
    ['http_requests_total{status_code="200"}', 'sum(rate(http_requests_total{status_code="200"}[{{.window}}]))'],
    ['sum(http_requests{k8s_cluster="prod",code=~"2xx|4xx"})', 'sum(rate(http_requests{k8s_cluster="prod",code=~"2xx|4xx"}[{{.window}}]))'],
    ["sum by (cluster) (a_total)", "sum by (cluster) (rate(a_total[{{.window}}]))"],
    ["sum(a_total) without (pod)", "sum(rate(a_total[{{.window}}])) without (pod)"],
    ["sum(a_total) + sum(b_total)", "sum(rate(a_total[{{.window}}])) + sum(rate(b_total[{{.window}}]))"],
    ["sum by (c) (a_total) - on(c) sum by (c) (b_total)", "sum by (c) (rate(a_total[{{.window}}])) - on(c) sum by (c) (rate(b_total[{{.window}}]))"],
    ["a_total + b_total", "sum(rate(a_total[{{.window}}]) + rate(b_total[{{.window}}]))"],
    ["(sum((a_total)))", "(sum((rate(a_total[{{.window}}]))))"],
  ])("rewrites %s", (query, expected) => {
    expect(counterRates(query)).toEqual({ query: samePromql(expected) });
    expect(checkPromql(expected)).toBeUndefined();
  });

  it("rewrites a ratio of counters only when asked (an OpenSLO raw ratio)", () => {
    expect(counterRates("sum(e_total) / sum(t_total)", true)).toEqual({ query: samePromql("sum(rate(e_total[{{.window}}])) / sum(rate(t_total[{{.window}}]))") });
    expect(counterRates("sum(e_total) / sum(t_total)")).toEqual({ refused: expect.stringMatching(/the operator "\/" between counters/) });
  });

  it.each([
    ["max(a_total)", /max\(\) over counters: the rate of a max is not the max of the rates/],
    ["sum(a_total) * 2", /the operator "\*" between counters/],
    ["sum(a_total > 5)", /the operator ">" between counters/],
    ["sum(rate(a_total[5m]))", /rate\(\) is already applied, over a fixed range/],
    ["histogram_quantile(0.9, a_bucket)", /histogram_quantile\(\) of a counter's raw value/],
    ["sum(a_total offset 1h)", /the offset modifier in "a_total offset 1h"/],
    ["sum(a_total @ 100)", /the @ modifier/],
    ["a_total[5m]", /the range in "a_total\[5m\]"/],
    ["-a_total", /"-a_total" is not a counter/],
    ["sum(a_total) + 1", /"1" is not a counter/],
    ["sum(a_total", /not valid PromQL/],
  ])("refuses %s", (query, reason) => {
    expect(counterRates(query)).toEqual({ refused: expect.stringMatching(reason) });
  });
});

describe("splitDivision", () => {
  it.each([
    ["sum(e) / sum(t)", { numerator: "sum(e)", denominator: "sum(t)" }],
    ["(sum by (c) (e)\n/\n(sum by (c) (t)))", { numerator: "sum by (c) (e)", denominator: "(sum by (c) (t))" }],
    ["e / 2", undefined],
    ["e / scalar(t)", undefined],
    ["1 - e / t", undefined],
    ["e / on(c) group_left t", undefined],
    ["e / bool t", undefined],
  ])("splits %j", (query, expected) => {
    expect(splitDivision(query)).toEqual(expected && { numerator: samePromql(expected.numerator), denominator: samePromql(expected.denominator) });
  });
});
