import { RECEIVER_SECRET_NAME } from "./alertmanager/model";

/**
 * The monitoring stack's credentials: Kubernetes Secrets filled by external-secrets from the environment's Secrets
 * Manager prefix (`<prefix>/<remotePath>`, one JSON object whose properties become the Secret's keys). Terraform
 * names them; it never holds their values.
 */
export const OBSERVABILITY_SECRETS = {
  /** PagerDuty routing keys, Slack webhook URLs, SMTP password: mounted into Alertmanager, read through `*_file`. */
  alertmanagerReceivers: { secretName: RECEIVER_SECRET_NAME, remotePath: `observability/${RECEIVER_SECRET_NAME}` },
  /** `admin-user` and `admin-password` of Grafana (`admin.existingSecret`). */
  grafanaAdmin: { secretName: "grafana-admin", remotePath: "observability/grafana-admin" },
} as const satisfies Record<string, { readonly secretName: string; readonly remotePath: string }>;
