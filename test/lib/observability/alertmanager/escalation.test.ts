/**
 * The escalation of unhandled P0s, proved with `promtool test rules` (one run): a P0 still firing after the
 * configured delay raises `P0Escalation` with the P0's labels and name; a P0 resolved before it does not.
 */
import { loadEnvironments } from "../../../../environments";
import { p0EscalationGroup } from "../../../../lib/observability/alertmanager/escalation";
import { durationSeconds } from "../../../../lib/observability/alertmanager";
import { checkAndTestRules, describeWithPromtool } from "../../../support/promtool";

describeWithPromtool("promtool test rules: P0 escalation", () => {
  const p0 = { name: "p0", rules: [{ alert: "ApiDown", expr: 'up{job="api"} == 0', labels: { priority: "P0", sre_service: "api" } }] };
  // A P1 that fires as long: never escalated.
  const p1 = { name: "p1", rules: [{ alert: "ApiSlow", expr: 'up{job="api"} == 0', labels: { priority: "P1", sre_service: "api" } }] };
  // prod's configured delay (the environment that escalates), in the time of the scenarios below.
  const after = loadEnvironments(["prod"])[0]!.alerting!.escalation!.after;
  const afterMinutes = durationSeconds(after)! / 60;
  const groups = [p0, p1, p0EscalationGroup(after)];
  const escalated = {
    exp_labels: { escalated_alert: "ApiDown", escalation: "P0", instance: "i", job: "api", priority: "P0", sre_service: "api" },
    exp_annotations: { summary: `ApiDown has been firing for more than ${after}.`, title: `(P0 escalation) ApiDown is not resolved after ${after}.` },
  };
  const tests = {
    rule_files: ["rules.yaml"],
    evaluation_interval: "30s",
    group_eval_order: groups.map((g) => g.name),
    tests: [
      {
        // Down from 1m on: the P0 fires at 1m, the escalation is pending from that evaluation on (its group runs after
        // the P0's) and fires exactly `after` later, at 1m + after: not one evaluation before.
        name: "unresolved",
        interval: "30s",
        input_series: [{ series: 'up{job="api",instance="i"}', values: `1 1 0x${afterMinutes * 2 + 20}` }],
        alert_rule_test: [
          { alertname: "P0Escalation", eval_time: `${afterMinutes}m`, exp_alerts: [] },
          { alertname: "P0Escalation", eval_time: `${afterMinutes}m30s`, exp_alerts: [] },
          { alertname: "P0Escalation", eval_time: `${afterMinutes + 1}m`, exp_alerts: [escalated] },
        ],
      },
      {
        // Down from 1m until a minute before the delay is over: resolved in time, never escalated.
        name: "resolved in time",
        interval: "30s",
        input_series: [{ series: 'up{job="api",instance="i"}', values: `1 1 0x${(afterMinutes - 1) * 2} 1x${afterMinutes * 2 + 20}` }],
        alert_rule_test: [{ alertname: "P0Escalation", eval_time: `${afterMinutes * 2}m`, exp_alerts: [] }],
      },
    ],
  };

  it("escalates a P0 unresolved after the delay, with its labels and name, and nothing else", () => {
    const run = checkAndTestRules("p0-escalation", groups, tests);
    if (run.code !== 0) throw new Error(run.output);
    expect(run.output).toMatch(/SUCCESS/);
  });
});
