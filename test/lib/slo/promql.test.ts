import { checkPromql, fillWindow, hasWindowPlaceholder, matcherLabelNames, normalizeWindowPlaceholder, parseVectorSelector } from "../../../lib/slo/promql";

describe("checkPromql (official lezer grammar, strict)", () => {
  it.each([
    'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))',
    "sum(rate(a[{{.window}}]))\n/\nsum(rate(b[{{.window}}]))",
    'up{job="api"}',
    "1 - avg_over_time(up[{{.window}}])",
    "sum by (route) (rate(h_bucket{le=\"0.3\"}[{{ .window }}]))",
    "rate((sum(x))[{{.window}}:1m])",
  ])("accepts %s", (q) => {
    expect(checkPromql(q)).toBeUndefined();
  });

  it.each([
    ["", /query is empty/],
    ["sum(rate(x[{{.window}}])", /unexpected input at line 1, column 25 \(near end of query\)/],
    ["sum(rate(a[{{.window}}])) /\n  bogus bogus", /line 2, column 9 \(near "bogus"\)/],
    ["x[{{.window}}]", /returns a range vector/],
    ['"text"', /returns a string/],
    ["increase(x)", /increase\(\) needs a range vector/],
    ["sum(rate(x[{{.env}}]))", /unsupported template "\{\{\.env\}\}"/],
    ["no_such_function(x)", /not valid PromQL: unknown function no_such_function\(\): not a PromQL function/],
  ])("refuses %j", (q, message) => {
    expect(checkPromql(q)?.message).toMatch(message);
  });

  it.each([
    ["1 - histogram_share(0.2, sum by (vmrange) (rate(h_bucket[{{.window}}])))", /histogram_share\(\) is a MetricsQL \(VictoriaMetrics\) function, not PromQL, at line 1, column 20/],
    ["vector(1)[{{.window}}]", /a range after "vector\(1\)" is MetricsQL \(VictoriaMetrics\); PromQL allows a range only after a metric selector/],
    ["sum(rate(e[{{.window}}])) default 0", /the default operator \(x default 0\) is MetricsQL/],
    ["WITH (t = x_total) sum(rate(t[{{.window}}]))", /WITH templates are MetricsQL/],
    ["sum(rate(e[{{.window}}])) keep_metric_names", /the keep_metric_names modifier is MetricsQL/],
    ["rate(e[5i])", /step-based durations such as \[5i\] are MetricsQL/],
    ["rate(e[{{.window}}]) if up", /the if operator is MetricsQL/],
  ])("names the MetricsQL construct in %j", (q, message) => {
    expect(checkPromql(q)?.message).toMatch(message);
  });
});

describe("window placeholder helpers", () => {
  it("detects, normalizes and fills {{.window}} with or without spaces", () => {
    expect(hasWindowPlaceholder("rate(x[{{ .window }}])")).toBe(true);
    expect(hasWindowPlaceholder("rate(x[5m])")).toBe(false);
    expect(normalizeWindowPlaceholder("a[{{ .window}}] b[{{.window }}]")).toBe("a[{{.window}}] b[{{.window}}]");
    expect(fillWindow("a[{{.window}}] b[{{ .window }}]", "1h")).toBe("a[1h] b[1h]");
  });
});

describe("selector helpers", () => {
  it("splits a plain selector and refuses anything else", () => {
    expect(parseVectorSelector('h_bucket{job="a", code!="5"}')).toEqual({ metric: "h_bucket", matchers: 'job="a", code!="5"' });
    expect(parseVectorSelector("h_bucket")).toEqual({ metric: "h_bucket", matchers: "" });
    expect(parseVectorSelector("rate(h_bucket[5m])")).toBeUndefined();
    expect(matcherLabelNames('job="a",le="0.3"')).toEqual(["job", "le"]);
  });
});
