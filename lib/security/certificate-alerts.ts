import type { AlertGroup, AlertRule } from "../observability/platform-alerts";
import { LABEL_PRIORITY, type Priority } from "../observability/priorities";
import { CERT_MANAGER_RELEASE } from "./certificates";
import { CERT_MANAGER_NAMESPACE } from "./namespaces";

/**
 * Alerts on the platform's certificates, from cert-manager's own metrics. cert-manager renews a certificate at two
 * thirds of its life (30 days before a Let's Encrypt certificate expires), so a certificate close to expiry means
 * renewal has been failing for weeks: the alerts below say so early (renewal overdue, not ready) and page only when
 * expiry is days away. Framework-free: the observability layer wraps these groups in a PrometheusRule.
 */

/** One alerting rule (the platform alerts' one model). */
export type CertificateAlertRule = AlertRule;

/** A rule group (the platform alerts' one model). */
export type CertificateAlertGroup = AlertGroup;

/** Days before expiry at which a certificate pages: long enough to fix a solver or a CA by hand. */
export const CERTIFICATE_PAGE_DAYS = 7;

/** The Prometheus job of cert-manager's controller: the ServiceMonitor takes it from `app.kubernetes.io/name`. */
export const CERT_MANAGER_JOB = CERT_MANAGER_RELEASE;

/**
 * Where cert-manager's series come from. Every selector is pinned to both: any team can run a pod that exports
 * `certmanager_*` series or answers as `job="cert-manager"` in its own namespace, and an unpinned rule would page on
 * its forged expiry or count its `up` as the controller's. The target's `namespace` is the controller's; the
 * Certificate's own namespace arrives as `exported_namespace` (the ServiceMonitor does not honor the page's labels).
 */
export interface CertificateAlertSource {
  /** @default CERT_MANAGER_NAMESPACE */
  readonly namespace?: string;
  /** @default CERT_MANAGER_JOB */
  readonly job?: string;
}

function rule(alert: string, expr: string, forDuration: string, priority: Priority, summary: string, description: string): CertificateAlertRule {
  return { alert, expr, for: forDuration, labels: { [LABEL_PRIORITY]: priority }, annotations: { summary, description } };
}

/** The certificate alert groups. */
export function certificateAlertGroups(source: CertificateAlertSource = {}): CertificateAlertGroup[] {
  const from = `job="${source.job ?? CERT_MANAGER_JOB}", namespace="${source.namespace ?? CERT_MANAGER_NAMESPACE}"`;
  return [
    {
      name: "cert-manager.certificates",
      rules: [
        rule(
          "CertificateExpiresSoon",
          `(certmanager_certificate_expiration_timestamp_seconds{${from}} - time()) < ${CERTIFICATE_PAGE_DAYS} * 86400`,
          "10m",
          "P1",
          "Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} expires in less than " + `${CERTIFICATE_PAGE_DAYS} days`,
          "cert-manager has not renewed it although renewal was due weeks ago: check the Certificate's events, its CertificateRequest and the issuer.",
        ),
        rule(
          "CertificateRenewalOverdue",
          `(time() - certmanager_certificate_renewal_timestamp_seconds{${from}}) > 3600`,
          "15m",
          "P2",
          "Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} is past its renewal time",
          "Renewal was due over an hour ago and has not happened; the certificate still works but will expire if nothing changes.",
        ),
        rule(
          "CertificateNotReady",
          `certmanager_certificate_ready_status{${from}, condition="False"} == 1`,
          "15m",
          "P2",
          "Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} is not Ready",
          "The Certificate's Secret is missing, stale or does not match its spec; workloads using it may serve an old or no certificate.",
        ),
        rule(
          "CertManagerAbsent",
          `absent(up{${from}} == 1)`,
          "10m",
          "P2",
          "No cert-manager controller is being scraped",
          "Without a controller, no certificate is issued or renewed and these alerts go silent: check the cert-manager Deployment and its ServiceMonitor.",
        ),
      ],
    },
  ];
}
