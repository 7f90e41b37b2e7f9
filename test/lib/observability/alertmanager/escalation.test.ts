/**
 * The escalation of unhandled P0s, proved with `promtool test rules` (one run): a P0 still firing after the
 * configured delay raises `P0Escalation` with the P0's labels and name; a P0 resolved before it does not.
 */
import { p0EscalationGroup } from "../../../../lib/observability/alertmanager/escalation";
import { checkAndTestRules, describeWithPromtool } from "../../../support/promtool";

describeWithPromtool("promtool test rules: P0 escalation", () => {
  const p0 = { name: "p0", rules: [{ alert: "ApiDown", expr: 'up{job="api"} == 0', labels: { priority: "P0", sre_service: "api" } }] };
  // A P1 that fires as long: never escalated.
  const p1 = { name: "p1", rules: [{ alert: "ApiSlow", expr: 'up{job="api"} == 0', labels: { priority: "P1", sre_service: "api" } }] };
  const groups = [p0, p1, p0EscalationGroup("10m")];
  const escalated = {
    exp_labels: { escalated_alert: "ApiDown", escalation: "P0", instance: "i", job: "api", priority: "P0", sre_service: "api" },
    exp_annotations: { summary: "ApiDown has been firing for more than 10m.", title: "(P0 escalation) ApiDown is not resolved after 10m." },
  };
  const tests = {
    rule_files: ["rules.yaml"],
    evaluation_interval: "30s",
    group_eval_order: groups.map((g) => g.name),
    tests: [
      {
        // Down from 1m on: the P0 fires at 1m, the escalation is pending from the next evaluation and fires 10m later.
        name: "unresolved",
        interval: "30s",
        input_series: [{ series: 'up{job="api",instance="i"}', values: "1 1 0x60" }],
        alert_rule_test: [
          { alertname: "P0Escalation", eval_time: "10m", exp_alerts: [] },
          { alertname: "P0Escalation", eval_time: "12m", exp_alerts: [escalated] },
        ],
      },
      {
        // Down from 1m to 8m: resolved before the delay, never escalated.
        name: "resolved in time",
        interval: "30s",
        input_series: [{ series: 'up{job="api",instance="i"}', values: "1 1 0x14 1x40" }],
        alert_rule_test: [{ alertname: "P0Escalation", eval_time: "20m", exp_alerts: [] }],
      },
    ],
  };

  it("escalates a P0 unresolved after the delay, with its labels and name, and nothing else", () => {
    const run = checkAndTestRules("p0-escalation", groups, tests);
    if (run.code !== 0) throw new Error(run.output);
    expect(run.output).toMatch(/SUCCESS/);
  });
});
