/**
 * What Amazon Managed Service for Prometheus accepts, in one place: the synth checks the generated rule namespaces
 * and alert manager definition against these before anything is deployed.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP_quotas.html
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-config.html
 */

/**
 * The longest `repeat_interval` AMP's alert manager honours: a longer one is treated as five days, so a route
 * written with seven would repeat every five in the workspace and every seven in the cluster.
 */
export const AMP_MAX_REPEAT_INTERVAL = "5d";
/** {@link AMP_MAX_REPEAT_INTERVAL} in seconds. */
export const AMP_MAX_REPEAT_INTERVAL_SECONDS = 5 * 86400;

/** Largest rule group namespace definition (its `data`), in bytes. */
export const AMP_MAX_RULE_NAMESPACE_BYTES = 1024 * 1024;

/** Rules a workspace evaluates at most (alerting and recording together), AMP's default quota. */
export const AMP_MAX_RULES_PER_WORKSPACE = 2000;

/** A rule group namespace's name: 1–64 characters, a letter or digit first, then letters, digits, `-`, `.`, `_`. */
export const AMP_RULE_NAMESPACE_NAME = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;
export const AMP_RULE_NAMESPACE_NAME_RULE = "1–64 letters, digits, '-', '.' or '_', starting with a letter or digit";

/** Largest alert manager definition, in bytes. */
export const AMP_MAX_ALERT_MANAGER_DEFINITION_BYTES = 1024 * 1024;

/** The service principal AMP's alert manager publishes to SNS as. */
export const AMP_SERVICE_PRINCIPAL = "aps.amazonaws.com";

/** The name of a workspace's topic of one tier: `<alias>-p0`, …, `<alias>-escalation`. */
export function ampTopicName(alias: string, topic: string): string {
  return `${alias}-${topic.toLowerCase()}`;
}
