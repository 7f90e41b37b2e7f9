/**
 * Argo CD's alerts, proved with promtool: `check rules` accepts them, and `test rules` shows a failed sync and a
 * Degraded Application firing in the tiers the environment gives them (with the owning team), healthy ones and forged
 * series staying quiet, and a missing controller noticed.
 */
import { argoCdAlertGroups, severityOf } from "../../../lib/delivery/argocd-alerts";
import { isPriority } from "../../../lib/observability/priorities";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";

const PROD = { syncFailed: "P2", degraded: "P1" } as const;
const description = (alert: string) => argoCdAlertGroups(PROD).flatMap((g) => g.rules).find((r) => r.alert === alert)!.annotations.description;

describe("Argo CD alerts", () => {
  test("every alert carries a tier, a severity, a summary and a description", () => {
    const rules = argoCdAlertGroups(PROD).flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(["ArgoCdSyncFailed", "ArgoCdApplicationDegraded", "ArgoCdControllerAbsent"]);
    for (const r of rules) {
      expect({ alert: r.alert, tier: isPriority(r.labels.priority), severity: r.labels.severity === severityOf(r.labels.priority as any), summary: r.annotations.summary.length > 10, description: r.annotations.description.length > 20 })
        .toEqual({ alert: r.alert, tier: true, severity: true, summary: true, description: true });
    }
  });

  test("the tiers are the environment's", () => {
    const dev = argoCdAlertGroups({ syncFailed: "P3", degraded: "P3" }).flatMap((g) => g.rules);
    expect(dev.filter((r) => r.alert !== "ArgoCdControllerAbsent").map((r) => [r.labels.priority, r.labels.severity])).toEqual([["P3", "info"], ["P3", "info"]]);
  });
});

describeWithPromtool("Argo CD alerts under promtool", () => {
  let output = "";
  let code = -1;
  beforeAll(() => {
    const app = (name: string, labels: string) => `{job="argocd-application-controller-metrics", namespace="argocd", name="${name}", project="payments", dest_namespace="payments", dest_server="https://kubernetes.default.svc", ${labels}}`;
    // A team pod in its own namespace exporting the same series under the same job name.
    const forged = (labels: string) => `{job="argocd-application-controller-metrics", namespace="payments", name="forged", project="payments", dest_namespace="payments", ${labels}}`;
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: argoCdAlertGroups(PROD).map((g) => g.name),
      tests: [
        {
          interval: "1m",
          input_series: [
            // checkout's sync fails once at minute 5; ledger syncs successfully every minute.
            { series: `argocd_app_sync_total${app("checkout", 'phase="Failed"')}`, values: "0x4 1x40" },
            { series: `argocd_app_sync_total${app("ledger", 'phase="Succeeded"')}`, values: "0+1x45" },
            { series: `argocd_app_sync_total${forged('phase="Failed"')}`, values: "0x4 1x40" },
            // checkout turns Degraded at minute 2; ledger stays Healthy.
            { series: `argocd_app_info${app("checkout", 'health_status="Healthy", sync_status="Synced"')}`, values: "1 1 _x40" },
            { series: `argocd_app_info${app("checkout", 'health_status="Degraded", sync_status="Synced"')}`, values: "_ _ 1x40" },
            { series: `argocd_app_info${app("ledger", 'health_status="Healthy", sync_status="Synced"')}`, values: "1x42" },
            { series: `argocd_app_info${forged('health_status="Degraded", sync_status="Synced"')}`, values: "1x42" },
            // The controller is scraped for 30 minutes, then gone; a forged `up` would hide that.
            { series: 'up{job="argocd-application-controller-metrics", namespace="argocd", instance="10.0.0.1:8082"}', values: "1x30 _x30" },
            { series: 'up{job="argocd-application-controller-metrics", namespace="payments", instance="10.0.9.9:8082"}', values: "1x60" },
          ],
          alert_rule_test: [
            { eval_time: "4m", alertname: "ArgoCdSyncFailed", exp_alerts: [] },
            {
              eval_time: "6m",
              alertname: "ArgoCdSyncFailed",
              exp_alerts: [{
                exp_labels: { priority: "P2", severity: "warning", team: "payments", name: "checkout", project: "payments", dest_namespace: "payments" },
                exp_annotations: { summary: "Argo CD could not sync checkout (project payments)", description: description("ArgoCdSyncFailed") },
              }],
            },
            // The failure leaves the 15-minute window: resolved.
            { eval_time: "25m", alertname: "ArgoCdSyncFailed", exp_alerts: [] },
            { eval_time: "11m", alertname: "ArgoCdApplicationDegraded", exp_alerts: [] },
            {
              eval_time: "13m",
              alertname: "ArgoCdApplicationDegraded",
              exp_alerts: [{
                exp_labels: { priority: "P1", severity: "critical", team: "payments", name: "checkout", project: "payments", dest_namespace: "payments" },
                exp_annotations: { summary: "checkout (project payments) has been Degraded for 10 minutes", description: description("ArgoCdApplicationDegraded") },
              }],
            },
            { eval_time: "35m", alertname: "ArgoCdControllerAbsent", exp_alerts: [] },
            {
              eval_time: "48m",
              alertname: "ArgoCdControllerAbsent",
              exp_alerts: [{ exp_labels: { priority: "P2", severity: "warning" }, exp_annotations: { summary: "No Argo CD application controller is being scraped", description: description("ArgoCdControllerAbsent") } }],
            },
          ],
        },
      ],
    };
    ({ output, code } = checkAndTestRules("argocd-alerts", argoCdAlertGroups(PROD), tests));
  });

  test("promtool accepts the rules and every test passes", () => {
    expect({ code, output }).toEqual({ code: 0, output: expect.not.stringContaining("FAILED") });
  });
});
