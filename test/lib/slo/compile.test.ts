import { compileSlos, unreachableAlertWarnings } from "../../../lib/slo/compile";
import { SloError } from "../../../lib/slo/model";
import { periodWindows } from "../../../lib/slo/windows";
import { makeSlo } from "./support/factory";

describe("compileSlos", () => {
  test("one CompiledSlo per definition, in order, with its period and windows", () => {
    const r = compileSlos([makeSlo({ name: "a" }), makeSlo({ name: "b", period: "7d" })]);
    expect(r.slos.map((s) => [s.slo.id, s.period, s.windows.periodWindow, s.groups.length])).toEqual([
      ["api-a", "30d", "30d", 3],
      ["api-b", "7d", "1w", 3],
    ]);
    expect(r.warnings).toEqual([]);
  });

  test("options.period overrides every spec's period", () => {
    const r = compileSlos([makeSlo({ name: "a", period: "7d" }), makeSlo({ name: "b" })], { period: "28d" });
    expect(r.slos.map((s) => s.period)).toEqual(["28d", "28d"]);
  });

  test("runbookBaseUrl reaches the alerts", () => {
    const r = compileSlos([makeSlo()], { runbookBaseUrl: "https://rb" });
    const alerts = r.slos[0]!.groups[1]!.rules.filter((x) => "alert" in x);
    expect(alerts.map((a) => ("annotations" in a ? a.annotations?.runbook_url : ""))).toEqual([
      "https://rb/api/requests-page.md",
      "https://rb/api/requests-ticket.md",
    ]);
  });

  test("fails when two definitions share an id, naming both files", () => {
    const a = makeSlo();
    const b = { ...makeSlo(), source: { file: "other.yaml", format: "prometheus/v1" as const, index: 3 } };
    expect(() => compileSlos([a, b])).toThrow(SloError);
    expect(() => compileSlos([a, b])).toThrow(/other\.yaml: api-requests: duplicate SLO id "api-requests" \(also in <test>\)/);
  });

  test("fails when the period has no window table, naming the SLO", () => {
    expect(() => compileSlos([makeSlo({ period: "1d" as never })])).toThrow(/<test>: api-requests: period: period "1d"/);
  });
});

describe("warnings: alerts that can never fire (factor × (1 − objective) ≥ 1)", () => {
  test.each([
    // objective, page disabled, ticket disabled, expected warning fields + long windows
    [99.9, false, false, []],
    [95, false, false, []], // 14.4 × 0.05 = 0.72
    [90, false, false, ["alerting.page 1h"]],
    [90, true, false, []],
    [50, false, false, ["alerting.page 1h", "alerting.page 6h", "alerting.ticket 1d"]],
    [50, false, true, ["alerting.page 1h", "alerting.page 6h"]],
  ])("objective %d (page off: %s, ticket off: %s)", (objective, pageDisabled, ticketDisabled, expected) => {
    const def = makeSlo({ objective, pageDisabled, ticketDisabled });
    const budget = (100 - objective) / 100;
    const w = periodWindows("30d");
    // The expectation is recomputed from the definition, so a wrong table row cannot hide a bug.
    const fromMath = (["page", "ticket"] as const).flatMap((sev) =>
      def.alerting[sev].disabled ? [] : w[sev].filter((p) => p.factor * budget >= 1 - 1e-12).map((p) => `alerting.${sev} ${p.longWindow}`),
    );
    const got = unreachableAlertWarnings(def, w).map((d) => `${d.field} ${/(\d+[hd])\//.exec(d.message)![1]}`);
    expect(got).toEqual(fromMath);
    expect(got).toEqual(expected);
    for (const d of unreachableAlertWarnings(def, w)) {
      expect(d).toMatchObject({ stage: "windows", slo: "api-requests", file: "<test>" });
      expect(d.message).toMatch(/can never fire: burn-rate factor [\d.]+ × error budget [\d.]+ = [\d.]+ ≥ 1/);
    }
  });

  test("compileSlos returns the warnings and still compiles", () => {
    const r = compileSlos([makeSlo({ objective: 90 })]);
    expect(r.warnings).toHaveLength(1);
    expect(r.slos).toHaveLength(1);
  });
});
