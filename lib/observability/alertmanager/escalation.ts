/**
 * Escalation of unhandled P0s: a rule over Prometheus' own `ALERTS` series raises `P0Escalation` when a P0 has been
 * firing for the environment's `alerting.escalation.after`, and the Alertmanager (generate.ts) sends it by e-mail to
 * `alerting.escalation.to`, and to nothing else. The rule ships with the environment's SLO rules, so it runs in the
 * Prometheus that evaluates the P0s.
 */
import { LABEL_PRIORITY } from "../priorities";
import type { AlertingRule, RuleGroup } from "../../slo/rules";

/** The escalation alert's name. */
export const P0_ESCALATION_ALERT = "P0Escalation";
/** The label carrying the name of the escalated alert (Prometheus replaces `alertname` by the rule's). */
export const ESCALATED_ALERT_LABEL = "escalated_alert";
/** Where the escalation's runbook lives, relative to the environment's runbook folder. */
export const P0_ESCALATION_RUNBOOK_PATH = "platform/p0-escalation.md";
/** The escalation rule's group. */
export const P0_ESCALATION_GROUP = "sre-p0-escalation";

/**
 * The escalation group: one `P0Escalation` per firing P0 (its labels kept, `alertstate` dropped, its name in
 * `escalated_alert`), pending from the moment the P0 fires, firing `after` it.
 * @param after a Prometheus duration (validated with the routing configuration: 5m to 24h)
 * @param runbookUrl the escalation's runbook link, if runbooks are published
 */
export function p0EscalationGroup(after: string, runbookUrl?: string): RuleGroup {
  const rule: AlertingRule = {
    alert: P0_ESCALATION_ALERT,
    expr:
      `label_replace(\n  max without (alertstate) (ALERTS{alertstate="firing",${LABEL_PRIORITY}="P0",alertname!="${P0_ESCALATION_ALERT}"}),\n` +
      `  "${ESCALATED_ALERT_LABEL}", "$1", "alertname", "(.*)"\n)`,
    for: after,
    labels: { escalation: "P0" },
    annotations: {
      ...(runbookUrl !== undefined ? { runbook_url: runbookUrl } : {}),
      summary: `{{ $labels.${ESCALATED_ALERT_LABEL} }} has been firing for more than ${after}.`,
      title: `(P0 escalation) {{ $labels.${ESCALATED_ALERT_LABEL} }} is not resolved after ${after}.`,
    },
  };
  return { name: P0_ESCALATION_GROUP, interval: "30s", rules: [rule] };
}
