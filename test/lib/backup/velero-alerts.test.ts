/**
 * Velero's alerts, proved with promtool: a failed backup fires in the environment's tier, a schedule whose last success
 * is older than the RPO fires (and one backed up in time does not), a schedule that never succeeded fires after the RPO,
 * series forged from another namespace stay quiet, and a missing server is noticed.
 */
import { veleroAlertGroups } from "../../../lib/backup/velero-alerts";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";

const SOURCE = { namespace: "velero", schedules: ["every-6h", "weekly"], rpoHours: 6, failed: "P2", rpoMissed: "P1" } as const;
const rules = veleroAlertGroups(SOURCE).flatMap((g) => g.rules);
const description = (alert: string) => rules.find((r) => r.alert === alert)!.annotations.description;

describe("Velero alerts", () => {
  test("the staleness threshold is the RPO, and the tiers are the environment's", () => {
    expect(rules.find((r) => r.alert === "VeleroBackupOlderThanRpo")!.expr).toContain("> 21600");
    expect(veleroAlertGroups({ ...SOURCE, rpoHours: 24 }).flatMap((g) => g.rules).find((r) => r.alert === "VeleroBackupOlderThanRpo")!.expr).toContain("> 86400");
    expect(rules.map((r) => [r.alert, r.labels.priority])).toEqual([
      ["VeleroBackupFailed", "P2"], ["VeleroBackupOlderThanRpo", "P1"], ["VeleroScheduleNeverSucceeded", "P1"], ["VeleroServerAbsent", "P2"],
    ]);
  });
});

describeWithPromtool("Velero alerts under promtool", () => {
  let output = "";
  let code = -1;
  beforeAll(() => {
    const at = (schedule: string, ns = "velero") => `{job="velero", namespace="${ns}", schedule="${schedule}"}`;
    // Timestamps in seconds since the test's start (promtool's clock starts at 0), sampled every 5 minutes (within the
    // 5-minute lookback). every-6h succeeds at 0 and at 6h (ts 21600), then no more: stale from 12h on.
    const sixHourly = [...Array(72).fill("0"), ...Array(120).fill("21600")].join(" ");
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: veleroAlertGroups(SOURCE).map((g) => g.name),
      tests: [
        {
          interval: "5m",
          input_series: [
            { series: `velero_backup_last_successful_timestamp${at("velero-every-6h")}`, values: sixHourly },
            // weekly is backed up every 5 minutes here: never stale.
            { series: `velero_backup_last_successful_timestamp${at("velero-weekly")}`, values: "0+300x191" },
            // A team pod forging a stale timestamp in its own namespace.
            { series: `velero_backup_last_successful_timestamp${at("velero-every-6h", "payments")}`, values: "0x191" },
            // One failure of every-6h at 1h; none of weekly; a forged failure elsewhere.
            { series: `velero_backup_failure_total${at("velero-every-6h")}`, values: "0x11 1x180" },
            { series: `velero_backup_partial_failure_total${at("velero-every-6h")}`, values: "0x191" },
            { series: `velero_backup_failure_total${at("velero-weekly")}`, values: "0x191" },
            { series: `velero_backup_partial_failure_total${at("velero-weekly")}`, values: "0x191" },
            { series: `velero_backup_failure_total${at("velero-every-6h", "payments")}`, values: "0+1x191" },
            { series: 'up{job="velero", namespace="velero", instance="10.0.0.1:8085"}', values: "1x120 _x71" },
          ],
          alert_rule_test: [
            { eval_time: "50m", alertname: "VeleroBackupFailed", exp_alerts: [] },
            {
              eval_time: "70m",
              alertname: "VeleroBackupFailed",
              exp_alerts: [{ exp_labels: { priority: "P2", severity: "warning", schedule: "velero-every-6h" }, exp_annotations: { summary: "A backup of Velero schedule velero-every-6h failed", description: description("VeleroBackupFailed") } }],
            },
            { eval_time: "3h", alertname: "VeleroBackupFailed", exp_alerts: [] },
            // Last success at 6h: still within the RPO at 11h50m, stale past 12h, firing 10 minutes later.
            { eval_time: "11h50m", alertname: "VeleroBackupOlderThanRpo", exp_alerts: [] },
            { eval_time: "12h05m", alertname: "VeleroBackupOlderThanRpo", exp_alerts: [] },
            {
              eval_time: "12h20m",
              alertname: "VeleroBackupOlderThanRpo",
              exp_alerts: [{ exp_labels: { priority: "P1", severity: "critical", schedule: "velero-every-6h" }, exp_annotations: { summary: "Velero schedule velero-every-6h has no successful backup within the RPO (6h)", description: description("VeleroBackupOlderThanRpo") } }],
            },
            { eval_time: "12h20m", alertname: "VeleroScheduleNeverSucceeded", exp_alerts: [] },
            { eval_time: "10h", alertname: "VeleroServerAbsent", exp_alerts: [] },
            {
              eval_time: "10h30m",
              alertname: "VeleroServerAbsent",
              exp_alerts: [{ exp_labels: { priority: "P2", severity: "warning" }, exp_annotations: { summary: "No Velero server is being scraped", description: description("VeleroServerAbsent") } }],
            },
          ],
        },
        {
          // A schedule that has never succeeded: nothing for the RPO, then the alert.
          interval: "5m",
          input_series: [{ series: `velero_backup_last_successful_timestamp${at("velero-weekly")}`, values: "0+300x100" }],
          alert_rule_test: [
            { eval_time: "5h50m", alertname: "VeleroScheduleNeverSucceeded", exp_alerts: [] },
            {
              eval_time: "6h10m",
              alertname: "VeleroScheduleNeverSucceeded",
              exp_alerts: [{ exp_labels: { priority: "P1", severity: "critical", job: "velero", namespace: "velero", schedule: "velero-every-6h" }, exp_annotations: { summary: "A Velero schedule has had no successful backup for longer than the RPO", description: description("VeleroScheduleNeverSucceeded") } }],
            },
          ],
        },
      ],
    };
    ({ output, code } = checkAndTestRules("velero-alerts", veleroAlertGroups(SOURCE), tests));
  });

  test("promtool accepts the rules and every test passes", () => {
    expect({ code, output }).toEqual({ code: 0, output: expect.not.stringContaining("FAILED") });
  });
});
