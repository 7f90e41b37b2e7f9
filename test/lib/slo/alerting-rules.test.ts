import { parse } from "yaml";
import { alertingSubset } from "./support/alerting-rules";

const FILE = `groups:
  - name: sli
    rules:
      - record: job:errors:rate5m
        expr: sum(rate(errors_total[5m]))
      - record: job:ratio:rate5m
        expr: job:errors:rate5m / sum(rate(requests_total[5m]))
      - record: job:ratio:rate30d
        expr: sum(rate(errors_total[30d])) / sum(rate(requests_total[30d]))
  - name: meta
    rules:
      - record: slo:objective:ratio
        expr: vector(0.999)
  - name: alerts
    rules:
      - alert: Burn
        expr: job:ratio:rate5m > 14.4 * 0.001
`;

describe("the alerting subset of a rule file", () => {
  const subset = alertingSubset(FILE);
  const kept = (parse(subset.rules) as { groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string }> }> }).groups;

  test("keeps every alert and each recording rule an alert reads, directly or through another rule", () => {
    expect(kept.flatMap((g) => g.rules.map((r) => r.record ?? r.alert))).toEqual(["job:errors:rate5m", "job:ratio:rate5m", "Burn"]);
    expect(subset.alerts).toBe(1);
  });

  test("leaves out what no alert reads, and groups left empty", () => {
    expect(subset.dropped).toEqual(["job:ratio:rate30d", "slo:objective:ratio"]);
    expect(subset.groupOrder).toEqual(["sli", "alerts"]);
  });
});
