import * as c from "../../../lib/slo/conventions";
import type { AlertingRule, RecordingRule, Rule } from "../../../lib/slo/rules";
import { buildRuleGroups, runbookUrl } from "../../../lib/slo/rules";
import { fillWindow } from "../../../lib/slo/promql";
import { periodWindows } from "../../../lib/slo/windows";
import { makeSlo, SLI_BY_KIND } from "./support/factory";
import { expectSamePromql, promqlSyntaxError, samePromql } from "./support/promql-parse";


const W30 = periodWindows("30d");
const KINDS = Object.keys(SLI_BY_KIND) as Array<keyof typeof SLI_BY_KIND>;
const isRecord = (r: Rule): r is RecordingRule => "record" in r;
const isAlert = (r: Rule): r is AlertingRule => "alert" in r;
/** A raw-data query: a range selector on a metric that is not one of our recorded series. */
const RAW_RANGE = /(?<![:\w])(http_\w+|up)(\{[^}]*\})?\[/;

function groupsOf(kind: keyof typeof SLI_BY_KIND, o: Parameters<typeof makeSlo>[0] = {}) {
  return buildRuleGroups(makeSlo({ name: kind, sli: SLI_BY_KIND[kind], ...o }), W30);
}

describe.each(KINDS)("%s SLI", (kind) => {
  const groups = groupsOf(kind);
  const [base, alerts, period] = groups;
  const all = groups.flatMap((g) => g.rules);

  test("three groups with intervals that suit their windows", () => {
    expect(groups.map((g) => [g.name, g.interval])).toEqual([
      [`sre-slo-api-${kind}-base`, "30s"],
      [`sre-slo-api-${kind}-alerts`, "1m"],
      [`sre-slo-api-${kind}-period`, "5m"],
    ]);
  });

  test("every expression parses as PromQL", () => {
    for (const r of all) expect([r.expr, promqlSyntaxError(r.expr)]).toEqual([r.expr, undefined]);
  });

  test("raw data is read only by the base group, only over 5m", () => {
    const rawRules = all.filter((r) => RAW_RANGE.test(r.expr));
    expect(rawRules.length).toBeGreaterThan(0);
    expect(rawRules.every((r) => base!.rules.includes(r))).toBe(true);
    for (const r of rawRules) expect(r.expr.match(/\[(\w+)(:\w*)?\]/g)!.every((m) => m.startsWith("[5m"))).toBe(true);
  });

  test("records the public error ratio for every alert window and the period", () => {
    const records = all.filter(isRecord).map((r) => r.record);
    for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]) expect(records).toContain(c.sliErrorRatio(w));
    for (const m of [c.OBJECTIVE_RATIO, c.ERROR_BUDGET_RATIO, c.CURRENT_BURN_RATE, c.PERIOD_BURN_RATE, c.PERIOD_BUDGET_REMAINING]) {
      expect(records).toContain(m);
    }
  });

  test("every recording rule carries identity and spec labels; window ratios carry sre_window", () => {
    for (const r of all.filter(isRecord)) {
      expect(r.labels).toMatchObject({ sre_service: "api", sre_slo: kind, sre_id: `api-${kind}`, team: "platform" });
      const m = /^slo:sli_error:ratio_rate(\w+)$/.exec(r.record);
      if (m) expect(r.labels![c.LABEL_WINDOW]).toBe(m[1]);
    }
  });

  test("no division can produce NaN, and the remaining budget falls back to a number", () => {
    const userRaw = kind === "raw" ? fillWindow((SLI_BY_KIND.raw as { errorRatioQuery: string }).errorRatioQuery, "5m").trim() : "";
    for (const r of all) {
      // The raw SLI's own ratio may be 0/0; the base rule drops NaN with `>= 0`.
      if (userRaw !== "" && r.expr.includes(userRaw)) expect(r.expr).toContain(`${userRaw}\n) >= 0 < Inf`);
      const ours = userRaw === "" ? r.expr : r.expr.replace(userRaw, "USER");
      for (const m of ours.matchAll(/\/\s*([^\s]+)/g)) {
        expect([ours, /^(clamp_min\(|\d|\(\d+$)/.test(m[1]!)]).toEqual([ours, true]);
      }
    }
    const remaining = period!.rules.find((r) => isRecord(r) && r.record === c.PERIOD_BUDGET_REMAINING)!;
    expect(remaining.expr).toMatch(/or on\(\)\nvector\(1\)$/);
  });

  test("alerts read only recorded series", () => {
    for (const a of alerts!.rules.filter(isAlert)) expect(a.expr).not.toMatch(RAW_RANGE);
  });
});

describe("SLI kinds, base rules", () => {
  const rule = (kind: keyof typeof SLI_BY_KIND, record: string) =>
    groupsOf(kind)[0]!.rules.find((r) => isRecord(r) && r.record === record)!.expr;

  test.each([
    ["events", c.REQUESTS_RATE, 'sum(rate(http_requests_total{job="api"}[5m]))'],
    ["events", c.ERRORS_RATE, 'sum(rate(http_requests_total{job="api",code=~"5.."}[5m]))'],
    ["events", c.ERRORS_RATE, "or ignoring(sre_id, sre_service, sre_slo, team)\n0 * sre_slo:requests:rate5m"],
    ["latency", c.REQUESTS_RATE, 'sum (rate(http_request_duration_seconds_count{job="api"}[5m]))'],
    ["latency", c.ERRORS_RATE, 'sum (rate(http_request_duration_seconds_bucket{job="api",le="0.3"}[5m]))'],
    ["availability", c.REQUESTS_RATE, 'sum(count_over_time(up{job="api"}[5m])) / 300'],
    ["availability", c.ERRORS_RATE, 'sum(sum_over_time(up{job="api"}[5m])) / 300'],
    ["raw", c.sliErrorRatio("5m"), ') >= 0'],
    ["raw", c.sliErrorRatio("5m"), 'or\n0 * (sum(rate(http_requests_total{job="api"}[5m])) > 0)'],
  ] as const)("%s %s contains %j", (kind, record, fragment) => {
    expect(rule(kind, record)).toContain(fragment);
  });

  test("latency groupBy keeps the labels through the subtraction", () => {
    const g = buildRuleGroups(makeSlo({ sli: { ...SLI_BY_KIND.latency, groupBy: ["route"] } }), W30);
    const errors = g[0]!.rules.find((r) => isRecord(r) && r.record === c.ERRORS_RATE)!.expr;
    expect(errors).toContain("- on(route)");
    expect(errors).toContain("sum by (route) (rate(http_request_duration_seconds_bucket");
  });

  test("availability from a non-selector expression uses a subquery", () => {
    const g = buildRuleGroups(makeSlo({ sli: { kind: "availability", gaugeQuery: 'min by (instance) (up{job="api"})' } }), W30);
    expectSamePromql(g[0]!.rules[0]!.expr, 'sum(count_over_time((min by (instance) (up{job="api"}))[5m:])) / 300');
  });

  test.each([
    ["events", "avg_over_time(sre_slo:errors:rate5m"],
    ["raw", 'avg_over_time(slo:sli_error:ratio_rate5m{sre_id="api-raw"'],
  ] as const)("%s long windows are derived from the recorded 5m series (%s)", (kind, fragment) => {
    const oneHour = groupsOf(kind)[1]!.rules.find((r) => isRecord(r) && r.record === c.sliErrorRatio("1h"))!;
    expect(oneHour.expr).toContain(fragment + (kind === "events" ? "{" : ""));
    expect(oneHour.expr).toContain("[1h]");
    expect(oneHour.expr).toContain("* (300 / 3600)");
  });
});

describe("alerts", () => {
  const alertsOf = (o: Parameters<typeof makeSlo>[0] = {}, base?: string) =>
    buildRuleGroups(makeSlo(o), W30, base === undefined ? {} : { runbookBaseUrl: base })[1]!.rules.filter(isAlert);

  test("page and ticket share the spec's alert name and carry the Workbook thresholds", () => {
    const [page, ticket] = alertsOf();
    expect([page!.alert, ticket!.alert]).toEqual(["ApiRequestsBudgetBurn", "ApiRequestsBudgetBurn"]);
    expect(page!.expr).toContain('slo:sli_error:ratio_rate5m{sre_id="api-requests"} > (14.4 * 0.001)');
    expect(page!.expr).toContain("ratio_rate1h{");
    expect(page!.expr).toContain("> (6 * 0.001)");
    expect(ticket!.expr).toContain("> (3 * 0.001)");
    expect(ticket!.expr).toContain("ratio_rate3d{");
    expect(ticket!.expr).toContain("> (1 * 0.001)");
  });

  test("labels: severity and priority default, spec labels override them, identity and sre_severity win", () => {
    const [page, ticket] = alertsOf({ alertLabels: { owner: "team-a", sre_severity: "nope" } });
    expect(page!.labels).toEqual({
      owner: "team-a", priority: "P1", severity: "critical", sre_id: "api-requests", sre_service: "api",
      sre_severity: "page", sre_slo: "requests", tier: "p1",
    });
    expect(ticket!.labels!.severity).toBe("warning");
    expect(ticket!.labels!.priority).toBe("P2");
    const [custom] = alertsOf({ alertLabels: { severity: "sev1", priority: "P0" } });
    expect(custom!.labels!.severity).toBe("sev1");
    expect(custom!.labels!.priority).toBe("P0");
  });

  test("annotations: summary, title, description; spec annotations win", () => {
    const [page] = alertsOf({ alertAnnotations: { summary: "custom" } });
    expect(page!.annotations!.summary).toBe("custom");
    expect(page!.annotations!.title).toMatch(/^\(page\) \{\{\$labels.sre_service\}\}/);
    expect(page!.annotations!.description).toContain("2% of the budget in 1h (5m confirms)");
  });

  test.each([
    [{}, undefined, undefined],
    [{}, "https://rb.example.com/slo/", "https://rb.example.com/slo/api/requests-{severity}.md"],
    [{ runbookUrl: "https://wiki/x" }, "https://rb.example.com", "https://wiki/x"],
  ])("runbook_url for %j with base %s is %s", (o, base, url) => {
    for (const a of alertsOf(o, base)) {
      const severity = a.labels!.sre_severity as "page" | "ticket";
      const expected = url?.replace("{severity}", severity);
      expect(a.annotations!.runbook_url).toBe(expected);
      expect(runbookUrl(makeSlo(o), severity, base)).toBe(expected);
    }
  });

  test.each([
    [{ pageDisabled: true }, ["ticket"]],
    [{ ticketDisabled: true }, ["page"]],
    [{ pageDisabled: true, ticketDisabled: true }, []],
  ])("disabling %j leaves %j", (o, left) => {
    expect(alertsOf(o).map((a) => a.labels!.sre_severity)).toEqual(left);
  });
});

describe("labels and periods", () => {
  test("spec labels cannot override identity labels", () => {
    const g = buildRuleGroups(makeSlo({ labels: { sre_id: "forged", team: "x" } }), W30);
    for (const r of g.flatMap((x) => x.rules).filter(isRecord)) expect(r.labels!.sre_id).toBe("api-requests");
  });

  test.each([["28d", "4w", "13.44"], ["7d", "1w", "13.44"]] as const)("%s records ratio_rate%s and uses factor %s", (p, pw, f) => {
    const g = buildRuleGroups(makeSlo(), periodWindows(p));
    expect(g[2]!.rules.map((r) => (isRecord(r) ? r.record : ""))).toContain(c.sliErrorRatio(pw));
    expect(g[1]!.rules.filter(isAlert)[0]!.expr).toContain(`> (${f} * 0.001)`);
    expect(g[2]!.rules.find((r) => isRecord(r) && r.record === c.TIME_PERIOD_DAYS)!.expr).toEqual(samePromql(`vector(${p === "28d" ? 28 : 7})`));
  });

  test.each([
    ["rate(x[{{.window}}])", "rate(x[1h])"],
    ["rate(x[{{ .window }}]) / rate(y[{{.window}}])", "rate(x[1h]) / rate(y[1h])"],
  ])("fillWindow(%j)", (q, out) => expectSamePromql(fillWindow(q, "1h"), out));
});
