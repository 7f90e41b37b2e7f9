import { SloError } from "../../../lib/slo/model";
import {
  alertWindows,
  burnRateFactor,
  detectionSeconds,
  durationSeconds,
  periodWindows,
  SUPPORTED_PERIODS,
} from "../../../lib/slo/windows";

describe("periodWindows", () => {
  // Factors: Workbook Table 5-8 for 30d; Sloth's google-28d and its 7d test case for the others.
  test.each([
    ["30d", "30d", 720, [14.4, 6], [3, 1]],
    ["28d", "4w", 672, [13.44, 5.6], [2.8, 0.933333333333]],
    ["7d", "1w", 168, [13.44, 3.5], [1.4, 0.98]],
  ] as const)("%s → window %s, %d h, page %j, ticket %j", (period, pw, hours, page, ticket) => {
    const w = periodWindows(period);
    expect(w.periodWindow).toBe(pw);
    expect(w.periodHours).toBe(hours);
    expect(w.page.map((p) => p.factor)).toEqual(page);
    expect(w.ticket.map((p) => p.factor)).toEqual(ticket);
    expect(w.page.map((p) => [p.longWindow, p.shortWindow])).toEqual([["1h", "5m"], ["6h", "30m"]]);
    expect(w.ticket.map((p) => [p.longWindow, p.shortWindow])).toEqual([["1d", "2h"], ["3d", "6h"]]);
  });

  test("every factor is the share of budget spent over the long window", () => {
    for (const period of SUPPORTED_PERIODS) {
      const w = periodWindows(period);
      for (const p of [...w.page, ...w.ticket]) {
        const spent = (p.factor * durationSeconds(p.longWindow)) / (w.periodHours * 3600);
        expect(spent * 100).toBeCloseTo(p.budgetPercent, 6);
      }
    }
  });

  test("fails when the period has no window table, naming the supported ones", () => {
    expect(() => periodWindows("90d" as never)).toThrow(SloError);
    expect(() => periodWindows("90d" as never)).toThrow(/"90d" has no burn-rate window table; supported: 30d, 28d, 7d/);
  });

  test("alertWindows lists each window once, shortest first", () => {
    expect(alertWindows(periodWindows("30d"))).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
  });
});

describe("burnRateFactor and durations", () => {
  test.each([
    [2, 720, "1h", 14.4],
    [5, 720, "6h", 6],
    [10, 720, "1d", 3],
    [10, 720, "3d", 1],
    [2, 672, "1h", 13.44],
  ])("%d%% of %d h over %s = %d", (pct, hours, w, f) => {
    expect(burnRateFactor(pct, hours, w)).toBe(f);
  });
  test.each([["30s", 30], ["5m", 300], ["1h", 3600], ["3d", 259200], ["4w", 2419200]])("%s = %d s", (d, s) => {
    expect(durationSeconds(d)).toBe(s);
  });
  test("fails on compound durations", () => expect(() => durationSeconds("1h30m")).toThrow(/simple Prometheus duration/));
});

describe("detectionSeconds (Workbook: (1 − objective) / error ratio × long window × factor)", () => {
  const w = periodWindows("30d");
  test.each([
    [99.9, 1, 0, 51.84],
    [99.9, 1, 1, 129.6],
    [99.9, 0.01, 1, 12960],
    [99, 1, 0, 518.4],
  ])("objective %d, error ratio %d, page pair %d → %d s", (o, e, i, s) => {
    expect(detectionSeconds(o, e, w.page[i]!)).toBeCloseTo(s, 6);
  });
  test("infinite when the ratio never reaches the threshold", () => {
    expect(detectionSeconds(99.9, 0.01, w.page[0]!)).toBe(Infinity);
  });
});
