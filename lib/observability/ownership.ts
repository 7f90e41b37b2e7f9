/**
 * Who owns an alert: the platform or one of the teams of `security.namespaces.teams`. Alertmanager routes a team's
 * alerts to the team's receivers (lib/observability/alertmanager) and recognises them by two labels: the namespace
 * prometheus-operator enforces on a team's own rules (`ENFORCED_NAMESPACE_LABEL`), and `team`, which an SLO spec sets
 * once in its `labels` for every series and alert compiled from it.
 */

/** The label naming the team that owns an alert; SLO specs set it in `labels.team`. */
export const LABEL_TEAM = "team";

/** A team's name: the config's, and the one in receiver names and secret keys (`team-<name>-…`). */
export const TEAM_NAME_RE = /^[a-z][a-z0-9-]{0,29}$/;

/** What {@link TEAM_NAME_RE} allows, for messages. */
export const TEAM_NAME_ALLOWED = "lowercase letters, digits and '-', starting with a letter, at most 30 characters";
