import { validateEnvironment } from "../../../lib/config/validate-environment";
import { configErrorsWith, type Mutable } from "../../support/config-errors";
import { dev } from "../../../environments/dev";
import { staging } from "../../../environments/staging";
import { prod } from "../../../environments/prod";

describe("observability.managedPrometheus configuration", () => {
  test("is data per environment: on in prod, off in dev and staging, each with its log retention", () => {
    expect([dev, staging, prod].map((e) => e.observability.managedPrometheus)).toEqual([
      { enabled: false, logRetentionDays: 30 },
      { enabled: false, logRetentionDays: 90 },
      { enabled: true, logRetentionDays: 365 },
    ]);
  });

  test("without the section the environment validates (the in-cluster Prometheus pages)", () => {
    const { managedPrometheus: _omitted, ...without } = prod.observability;
    expect(validateEnvironment({ ...prod, observability: without }).problems).toEqual([]);
  });

  const rules: Array<[string, object, (c: Mutable) => void, RegExp]> = [
    ["the log retention is not a CloudWatch period", prod, (c) => (c.observability.managedPrometheus.logRetentionDays = 100), /observability\.managedPrometheus\.logRetentionDays: got 100; allowed: one of the CloudWatch Logs retention periods: 1, 3, 5/],
    ["an unknown key is given", prod, (c) => (c.observability.managedPrometheus.alias = "x"), /observability\.managedPrometheus(\.alias)?: .*alias/],
    ["it is on without alerting", dev, (c) => { c.observability.managedPrometheus.enabled = true; delete c.alerting; }, /observability\.managedPrometheus\.enabled: got true; allowed: false, or an alerting section/],
    ["a tier repeats less often than AMP's alert manager allows (the default P4 week)", dev, (c) => (c.observability.managedPrometheus.enabled = true), /alerting\.tiers\.P4\.repeatInterval: got "7d \(the default\)"; allowed: at most 5d .* while observability\.managedPrometheus is on/],
    ["a tier's own repeat interval is past five days", prod, (c) => (c.alerting.tiers.P2 = { repeatInterval: "6d" }), /alerting\.tiers\.P2\.repeatInterval: got "6d"; allowed: at most 5d/],
  ];
  test.each(rules)("fails when %s", (_name, base, mutate, expected) => {
    const lines = configErrorsWith(base, mutate);
    expect(lines.some((l) => expected.test(l))).toBe(true);
  });

  test("off, the five-day limit does not apply (dev keeps its weekly digest)", () => {
    expect(configErrorsWith(dev, (c) => (c.alerting.tiers = { P4: { groupInterval: "7d", repeatInterval: "7d" } }))).toEqual([]);
  });
});
