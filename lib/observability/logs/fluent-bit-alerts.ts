import { LABEL_PRIORITY } from "../priorities";
import type { AlertGroup } from "../platform-alerts";
import { LOG_OUTPUTS, LOGGING_NAMESPACE } from "./log-pipeline";

/**
 * Alerts on log shipping itself, from Fluent Bit's own metrics. Records dropped after the last retry are logs lost for
 * good: a chat message today (P2). Retries and errors alone are CloudWatch Logs throttling or a slow network that the
 * retries and the node's buffer absorb: a dashboard matter (P3) unless they turn into drops. Framework-free: the
 * fluent-bit add-on wraps these groups in a PrometheusRule.
 */

/** Where the series come from; every selector is pinned to it so a team's own Fluent Bit cannot fire or hide them. */
export interface FluentBitAlertSource {
  /** The namespace of the platform's Fluent Bit. @default LOGGING_NAMESPACE */
  readonly namespace?: string;
  /** The job its PodMonitor gives the series (the chart's name label). @default "fluent-bit" */
  readonly job?: string;
}

/** The outputs whose failures the alerts watch (their aliases, the `name` label). */
const OUTPUT_NAMES = Object.values(LOG_OUTPUTS).join("|");

/** The Fluent Bit alert groups. */
export function fluentBitAlertGroups(source: FluentBitAlertSource = {}): AlertGroup[] {
  const sel = `job="${source.job ?? "fluent-bit"}", namespace="${source.namespace ?? LOGGING_NAMESPACE}", name=~"${OUTPUT_NAMES}"`;
  return [
    {
      name: "fluent-bit.log-shipping",
      rules: [
        {
          alert: "FluentBitRecordsDropped",
          // Chunks given up after the last retry, or records the output dropped outright: either one (`or`, not `+`, so
          // a counter the running version does not expose takes nothing away from the other).
          expr: `sum by (name) (increase(fluentbit_output_retries_failed_total{${sel}}[10m])) > 0 or sum by (name) (increase(fluentbit_output_dropped_records_total{${sel}}[10m])) > 0`,
          for: "0m",
          labels: { [LABEL_PRIORITY]: "P2" },
          annotations: {
            summary: "Fluent Bit dropped {{ $value | humanize }} chunk(s) or record(s) of the {{ $labels.name }} logs in 10 minutes",
            description: "Those logs never reach CloudWatch Logs. Check the fluent-bit pods' own logs (AccessDenied: the IRSA role or the KMS key policy; ResourceNotFound: the log group), and the node's buffer (storage.total_limit_size).",
          },
        },
        {
          alert: "FluentBitOutputRetrying",
          expr: `sum by (name) (rate(fluentbit_output_retries_total{${sel}}[10m])) > 0 or sum by (name) (rate(fluentbit_output_errors_total{${sel}}[10m])) > 0`,
          for: "30m",
          labels: { [LABEL_PRIORITY]: "P3" },
          annotations: {
            summary: "Fluent Bit's {{ $labels.name }} output has retried or failed requests for 30 minutes",
            description: "Logs arrive late and the nodes' buffers grow; they are lost once retries run out (FluentBitRecordsDropped). Usually CloudWatch Logs throttling (PutLogEvents quota) or the network path to logs.<region>.amazonaws.com.",
          },
        },
      ],
    },
  ];
}
