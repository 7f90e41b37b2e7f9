/**
 * The certificate alerts, proved with promtool: `check rules` accepts them, and `test rules` shows each one firing
 * on the series that should fire it (with its tier) and staying quiet on a healthy certificate.
 */
import { certificateAlertGroups } from "../../../lib/security/certificate-alerts";
import { isPriority } from "../../../lib/observability/priorities";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";

const DAY = 86400;

/** The expected annotations: the summary as rendered for the test's certificate, the description as written. */
function annotations(alert: string, summary: string): Record<string, string> {
  const rule = certificateAlertGroups().flatMap((g) => g.rules).find((r) => r.alert === alert)!;
  return { summary, description: rule.annotations.description };
}

describe("certificate alerts", () => {
  test("every alert carries a tier, a summary and a description", () => {
    const rules = certificateAlertGroups().flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(["CertificateExpiresSoon", "CertificateRenewalOverdue", "CertificateNotReady", "CertManagerAbsent"]);
    for (const r of rules) {
      expect({ alert: r.alert, tier: isPriority(r.labels.priority), summary: r.annotations.summary.length > 10, description: r.annotations.description.length > 20 }).toEqual({ alert: r.alert, tier: true, summary: true, description: true });
    }
  });
});

describeWithPromtool("certificate alerts under promtool", () => {
  // One promtool run for both commands' files.
  let output = "";
  let code = -1;
  beforeAll(() => {
    // Series start at time 0; every value is seconds since the epoch as cert-manager exports them.
    // As scraped: the target's job and namespace are the controller's, the Certificate's namespace is exported_namespace.
    const cert = (name: string) => `{job="cert-manager", namespace="cert-manager", exported_namespace="istio-ingress", name="${name}"}`;
    // A pod in a team namespace that names itself cert-manager and exports the same series.
    const forged = (name: string) => `{job="cert-manager", namespace="team-a", exported_namespace="istio-ingress", name="${name}"}`;
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      group_eval_order: certificateAlertGroups().map((g) => g.name),
      tests: [
        {
          interval: "1m",
          input_series: [
            // Expires in 5 days (pages), and in 60 days (quiet).
            { series: `certmanager_certificate_expiration_timestamp_seconds${cert("gateway")}`, values: `${5 * DAY}+0x60` },
            { series: `certmanager_certificate_expiration_timestamp_seconds${cert("healthy")}`, values: `${60 * DAY}+0x60` },
            // Renewal was due at time 0 (overdue after an hour), and in 30 days (quiet).
            { series: `certmanager_certificate_renewal_timestamp_seconds${cert("gateway")}`, values: "0+0x120" },
            { series: `certmanager_certificate_renewal_timestamp_seconds${cert("healthy")}`, values: `${30 * DAY}+0x120` },
            { series: `certmanager_certificate_ready_status{job="cert-manager", namespace="cert-manager", exported_namespace="istio-ingress", name="gateway", condition="False"}`, values: "1+0x60" },
            { series: `certmanager_certificate_ready_status{job="cert-manager", namespace="cert-manager", exported_namespace="istio-ingress", name="healthy", condition="False"}`, values: "0+0x60" },
            // The controller is scraped for 20 minutes, then gone.
            { series: 'up{job="cert-manager", namespace="cert-manager", instance="10.0.0.1:9402"}', values: "1+0x20 _x40" },
            // Forged: a certificate about to expire, overdue and not ready, and an `up` that would hide the absence.
            { series: `certmanager_certificate_expiration_timestamp_seconds${forged("forged")}`, values: `${1 * DAY}+0x60` },
            { series: `certmanager_certificate_renewal_timestamp_seconds${forged("forged")}`, values: "0+0x120" },
            { series: `certmanager_certificate_ready_status{job="cert-manager", namespace="team-a", exported_namespace="istio-ingress", name="forged", condition="False"}`, values: "1+0x60" },
            { series: 'up{job="cert-manager", namespace="team-a", instance="10.0.9.9:9402"}', values: "1+0x60" },
          ],
          alert_rule_test: [
            { eval_time: "5m", alertname: "CertificateExpiresSoon", exp_alerts: [] },
            {
              eval_time: "11m",
              alertname: "CertificateExpiresSoon",
              exp_alerts: [
                {
                  exp_labels: { priority: "P1", job: "cert-manager", namespace: "cert-manager", exported_namespace: "istio-ingress", name: "gateway" },
                  exp_annotations: annotations("CertificateExpiresSoon", "Certificate istio-ingress/gateway expires in less than 7 days"),
                },
              ],
            },
            { eval_time: "70m", alertname: "CertificateRenewalOverdue", exp_alerts: [] },
            {
              eval_time: "80m",
              alertname: "CertificateRenewalOverdue",
              exp_alerts: [{ exp_labels: { priority: "P2", job: "cert-manager", namespace: "cert-manager", exported_namespace: "istio-ingress", name: "gateway" }, exp_annotations: annotations("CertificateRenewalOverdue", "Certificate istio-ingress/gateway is past its renewal time") }],
            },
            { eval_time: "10m", alertname: "CertificateNotReady", exp_alerts: [] },
            {
              eval_time: "16m",
              alertname: "CertificateNotReady",
              exp_alerts: [{ exp_labels: { priority: "P2", job: "cert-manager", namespace: "cert-manager", exported_namespace: "istio-ingress", name: "gateway", condition: "False" }, exp_annotations: annotations("CertificateNotReady", "Certificate istio-ingress/gateway is not Ready") }],
            },
            // Last scraped at 20m, gone from the 5m lookback at 25m, firing 10m later.
            { eval_time: "30m", alertname: "CertManagerAbsent", exp_alerts: [] },
            { eval_time: "40m", alertname: "CertManagerAbsent", exp_alerts: [{ exp_labels: { priority: "P2" }, exp_annotations: annotations("CertManagerAbsent", "No cert-manager controller is being scraped") }] },
          ],
        },
      ],
    };
    ({ code, output } = checkAndTestRules("certificate-alerts", certificateAlertGroups(), tests));
  });

  test("promtool accepts the rules and every alert fires exactly when it should", () => {
    expect(output).toMatch(/SUCCESS: 4 rules found/);
    expect({ code, output }).toEqual({ code: 0, output });
  });
});
