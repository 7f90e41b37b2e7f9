/**
 * The log-shipping alerts, proved with promtool: drops page P2 at once, retries show as P3 only when they last, and
 * neither fires on a team's own Fluent Bit in another namespace or on an output of another name.
 */
import { fluentBitAlertGroups } from "../../../../lib/observability/logs/fluent-bit-alerts";
import { isPriority } from "../../../../lib/observability/priorities";
import { checkAndTestRules, describeWithPromtool } from "../../../support/promtool";

const rules = () => fluentBitAlertGroups().flatMap((g) => g.rules);
const description = (alert: string) => rules().find((r) => r.alert === alert)!.annotations.description;

describe("fluent-bit alerts", () => {
  test("drops are P2, lasting retries P3, each with a summary and a description", () => {
    expect(rules().map((r) => [r.alert, r.labels.priority, isPriority(r.labels.priority!), r.annotations.summary!.length > 0, r.annotations.description!.length > 0])).toEqual([
      ["FluentBitRecordsDropped", "P2", true, true, true],
      ["FluentBitOutputRetrying", "P3", true, true, true],
    ]);
  });

  test("every selector is pinned to the platform's job, namespace and outputs", () => {
    for (const r of rules()) expect(r.expr).toContain('job="fluent-bit", namespace="logging", name=~"containers|host"');
    expect(fluentBitAlertGroups({ namespace: "logs", job: "fb" })[0]!.rules[0]!.expr).toContain('job="fb", namespace="logs"');
  });
});

describeWithPromtool("fluent-bit alerts under promtool", () => {
  let output = "";
  let code = -1;
  beforeAll(() => {
    const series = (metric: string, name: string, namespace = "logging") => `${metric}{job="fluent-bit", namespace="${namespace}", instance="10.0.1.7:2020", name="${name}"}`;
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: fluentBitAlertGroups().map((g) => g.name),
      tests: [
        {
          interval: "1m",
          input_series: [
            // The containers output gives up one chunk at 20m; the host output never fails.
            { series: series("fluentbit_output_retries_failed_total", "containers"), values: "0+0x19 1+0x80" },
            { series: series("fluentbit_output_retries_failed_total", "host"), values: "0+0x100" },
            // The host output drops records at 60m (only this counter moves).
            { series: series("fluentbit_output_dropped_records_total", "host"), values: "0+0x59 5+0x40" },
            // The containers output retries for 5 minutes at 10m (absorbed), then from 40m on without end.
            { series: series("fluentbit_output_retries_total", "containers"), values: "0+0x9 1+1x4 5+0x25 6+1x60" },
            { series: series("fluentbit_output_errors_total", "containers"), values: "0+0x100" },
            // A team's own Fluent Bit, and an output of another name: never alert.
            { series: series("fluentbit_output_retries_failed_total", "containers", "team-a"), values: "0+1x100" },
            { series: series("fluentbit_output_retries_total", "containers", "team-a"), values: "0+1x100" },
            { series: series("fluentbit_output_retries_failed_total", "stdout"), values: "0+1x100" },
          ],
          alert_rule_test: [
            { eval_time: "19m", alertname: "FluentBitRecordsDropped", exp_alerts: [] },
            {
              eval_time: "21m",
              alertname: "FluentBitRecordsDropped",
              exp_alerts: [{ exp_labels: { priority: "P2", name: "containers" }, exp_annotations: { summary: "Fluent Bit dropped 1 chunk(s) or record(s) of the containers logs in 10 minutes", description: description("FluentBitRecordsDropped") } }],
            },
            { eval_time: "45m", alertname: "FluentBitRecordsDropped", exp_alerts: [] },
            {
              eval_time: "62m",
              alertname: "FluentBitRecordsDropped",
              exp_alerts: [{ exp_labels: { priority: "P2", name: "host" }, exp_annotations: { summary: "Fluent Bit dropped 5 chunk(s) or record(s) of the host logs in 10 minutes", description: description("FluentBitRecordsDropped") } }],
            },
            // Five minutes of retries at 10m: pending, then resolved, never firing.
            { eval_time: "16m", alertname: "FluentBitOutputRetrying", exp_alerts: [] },
            { eval_time: "38m", alertname: "FluentBitOutputRetrying", exp_alerts: [] },
            { eval_time: "65m", alertname: "FluentBitOutputRetrying", exp_alerts: [] },
            {
              eval_time: "75m",
              alertname: "FluentBitOutputRetrying",
              exp_alerts: [{ exp_labels: { priority: "P3", name: "containers" }, exp_annotations: { summary: "Fluent Bit's containers output has retried or failed requests for 30 minutes", description: description("FluentBitOutputRetrying") } }],
            },
          ],
        },
      ],
    };
    ({ code, output } = checkAndTestRules("fluent-bit-alerts", fluentBitAlertGroups(), tests));
    if (code !== 0) console.log(output);
  });

  test("promtool accepts the rules and each alert fires exactly when it should", () => {
    expect(output).toMatch(/SUCCESS: 2 rules found/);
    expect({ code, output }).toEqual({ code: 0, output });
  });
});
