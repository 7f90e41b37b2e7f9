/**
 * The runtime-detection alerts, proved with promtool: each fires on the series that should fire it, with its tier, and
 * stays quiet on a healthy DaemonSet, on successful deliveries and on look-alike series from another namespace.
 */
import { falcoAlertGroups } from "../../../../lib/security/falco/falco-alerts";
import { isPriority } from "../../../../lib/observability/priorities";
import { checkAndTestRules, describeWithPromtool } from "../../../support/promtool";

const description = (alert: string) => falcoAlertGroups().flatMap((g) => g.rules).find((r) => r.alert === alert)!.annotations.description;

describe("falco alerts", () => {
  test("both page (P1) and carry a summary and a description", () => {
    const rules = falcoAlertGroups().flatMap((g) => g.rules);
    expect(rules.map((r) => [r.alert, r.labels.priority, isPriority(r.labels.priority!)])).toEqual([
      ["FalcoDaemonSetNotFullyAvailable", "P1", true],
      ["FalcosidekickOutputErrors", "P1", true],
    ]);
  });
});

describeWithPromtool("falco alerts under promtool", () => {
  let output = "";
  let code = -1;
  beforeAll(() => {
    const ds = (namespace: string) => `{job="kube-state-metrics", namespace="${namespace}", daemonset="falco"}`;
    const sidekick = (namespace: string, status: string) => `falcosidekick_outputs{job="falcosidekick", namespace="${namespace}", instance="10.0.1.1:2801", destination="alertmanager", status="${status}"}`;
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: falcoAlertGroups().map((g) => g.name),
      tests: [
        {
          interval: "1m",
          input_series: [
            // Three nodes; one Falco pod stops being available at 10m.
            { series: `kube_daemonset_status_desired_number_scheduled${ds("falco")}`, values: "3+0x60" },
            { series: `kube_daemonset_status_number_available${ds("falco")}`, values: "3+0x9 2+0x50" },
            // A team's look-alike DaemonSet, never available: must not page.
            { series: `kube_daemonset_status_desired_number_scheduled${ds("team-a")}`, values: "3+0x60" },
            { series: `kube_daemonset_status_number_available${ds("team-a")}`, values: "0+0x60" },
            // Deliveries succeed throughout; errors start at 30m.
            { series: sidekick("falco", "ok"), values: "0+5x60" },
            { series: sidekick("falco", "error"), values: "0+0x29 1+1x30" },
            { series: sidekick("team-a", "error"), values: "0+1x60" },
          ],
          alert_rule_test: [
            { eval_time: "20m", alertname: "FalcoDaemonSetNotFullyAvailable", exp_alerts: [] },
            {
              eval_time: "26m",
              alertname: "FalcoDaemonSetNotFullyAvailable",
              exp_alerts: [{ exp_labels: { priority: "P1", job: "kube-state-metrics", namespace: "falco", daemonset: "falco" }, exp_annotations: { summary: "1 node(s) have no available Falco pod", description: description("FalcoDaemonSetNotFullyAvailable") } }],
            },
            { eval_time: "29m", alertname: "FalcosidekickOutputErrors", exp_alerts: [] },
            { eval_time: "33m", alertname: "FalcosidekickOutputErrors", exp_alerts: [] },
            {
              eval_time: "37m",
              alertname: "FalcosidekickOutputErrors",
              exp_alerts: [{ exp_labels: { priority: "P1", destination: "alertmanager" }, exp_annotations: { summary: "falcosidekick fails to deliver Falco detections to alertmanager", description: description("FalcosidekickOutputErrors") } }],
            },
          ],
        },
      ],
    };
    ({ code, output } = checkAndTestRules("falco-alerts", falcoAlertGroups(), tests));
  });

  test("promtool accepts the rules and each alert fires exactly when it should", () => {
    expect(output).toMatch(/SUCCESS: 2 rules found/);
    expect({ code, output }).toEqual({ code: 0, output });
  });
});
