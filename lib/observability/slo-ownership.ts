/**
 * The ownership an SLO spec declares, held against the environment's teams: what the platform's Alertmanager routes an
 * SLO's alerts by (lib/observability/alertmanager).
 */
import type { SloDefinition, SloDiagnostic } from "../slo/model";
import { sourceField } from "../slo/validate";
import { LABEL_TEAM } from "./ownership";

/**
 * Labels that look like routing but that the platform's Alertmanager does not route on: an alert carrying one would
 * reach nobody its author meant. Alerts route by {@link LABEL_TEAM} and their tier.
 */
export const UNROUTED_LOOKALIKE_LABELS: readonly string[] = ["route", "receiver"];

/**
 * The ownership an SLO spec declares, checked against the environment's teams before anything is compiled into its
 * rules: `labels.team` names one of `teams` (or is left out: a platform SLO); the team is set there once, not per alert
 * (a page labelled for another team would leave its ticket behind); and no alert carries a routing look-alike label
 * ({@link UNROUTED_LOOKALIKE_LABELS}).
 * @param teams the environment's team names (`security.namespaces.teams`)
 * @param where names the teams' source in messages, e.g. `security.namespaces.teams of environments/prod.ts`
 * @returns one diagnostic per problem, naming the file, the SLO and the field
 */
export function sloOwnershipProblems(defs: readonly SloDefinition[], teams: readonly string[], where = "security.namespaces.teams"): SloDiagnostic[] {
  const out: SloDiagnostic[] = [];
  const allowed = teams.length > 0 ? teams.join(", ") : "none configured";
  for (const def of defs) {
    const problem = (key: string, message: string): void => {
      out.push({ file: def.source.file, slo: def.id, field: sourceField(def, key), stage: "validate", message });
    };
    const team = def.labels[LABEL_TEAM];
    if (team !== undefined && !teams.includes(team)) {
      problem(`labels.${LABEL_TEAM}`, `team ${JSON.stringify(team)} is not a team of this environment; allowed: ${allowed} (${where}), or no team for a platform SLO`);
    }
    const alertLabels: Array<[string, Readonly<Record<string, string>>]> = [
      ["labels", def.labels],
      ["alerting.labels", def.alerting.labels],
      ["alerting.page.labels", def.alerting.page.labels],
      ["alerting.ticket.labels", def.alerting.ticket.labels],
    ];
    for (const [key, labels] of alertLabels) {
      if (key !== "labels" && labels[LABEL_TEAM] !== undefined) {
        problem(`${key}.${LABEL_TEAM}`, `the owning team is set once, in labels.${LABEL_TEAM}: alerts route by it, and a per-alert team would split the SLO's page and ticket between owners`);
      }
      for (const name of UNROUTED_LOOKALIKE_LABELS) {
        if (labels[name] !== undefined) {
          problem(`${key}.${name}`, `label "${name}" routes nowhere: the platform's Alertmanager routes by labels.${LABEL_TEAM} (${allowed}) and the tier (page P1, ticket P2); remove it`);
        }
      }
    }
  }
  return out;
}
