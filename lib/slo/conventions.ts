/**
 * Every metric, label and group name the SLO compiler writes, in one place. Dashboards, chaos probes and
 * canary analysis import these instead of repeating strings.
 *
 * Public series (the names Sloth users already know; their meaning is the same as in Sloth):
 * - `slo:sli_error:ratio_rate<window>`: error ratio (0..1) over each alert window and over the period;
 * - `slo:objective:ratio`, `slo:error_budget:ratio`, `slo:time_period:days`;
 * - `slo:current_burn_rate:ratio` (5m window), `slo:period_burn_rate:ratio`,
 *   `slo:period_error_budget_remaining:ratio` (always a number, see docs/slo-compiler.md).
 *
 * Internal helper series, in our own `sre_slo:` namespace (do not build dashboards on them):
 * - `sre_slo:errors:rate5m` and `sre_slo:requests:rate5m`: bad and total events per second over the base
 *   window, recorded from raw data; every longer window is derived from them.
 *
 * Alerts also carry `severity` (`critical` | `warning`, as in Sloth) and `priority` (`P1` | `P2`).
 *
 * Labels on every series: `sre_service`, `sre_slo`, `sre_id` (`<service>-<slo>`), plus the spec's labels;
 * `sre_window` on the `slo:sli_error:ratio_rate*` series; `sre_severity` (`page` | `ticket`) on alerts.
 */

import { LABEL_PRIORITY, type Priority } from "../observability/priorities";

export const LABEL_SERVICE = "sre_service";
export const LABEL_SLO = "sre_slo";
export const LABEL_ID = "sre_id";
export const LABEL_WINDOW = "sre_window";
export const LABEL_SEVERITY = "sre_severity";
/** Labels the compiler owns; spec labels cannot override them. */
export const RESERVED_LABELS: readonly string[] = [LABEL_SERVICE, LABEL_SLO, LABEL_ID, LABEL_WINDOW, LABEL_SEVERITY];

/** The conventional Alertmanager routing label, set unless the spec sets its own `severity`. */
export const LABEL_ALERTMANAGER_SEVERITY = "severity";
export const ALERTMANAGER_SEVERITY = { page: "critical", ticket: "warning" } as const;

/**
 * The platform's alert tier (lib/observability/priorities.ts), set unless the spec sets its own `priority`:
 * a page is P1 (PagerDuty in business hours, chat outside them), a ticket P2 (chat).
 */
export { LABEL_PRIORITY };
export const ALERT_PRIORITY = { page: "P1", ticket: "P2" } as const satisfies Record<"page" | "ticket", Priority>;

/** The window every raw-data query is evaluated over; every longer window is derived from it. */
export const BASE_WINDOW = "5m";
export const BASE_WINDOW_SECONDS = 300;

/** Evaluation intervals per group kind: fast enough for the window they serve, no faster. */
export const GROUP_INTERVALS = { base: "30s", alerts: "1m", period: "5m" } as const;

/** Division guard: `x / clamp_min(total, TINY)` is 0 (not NaN) when there is no traffic at all. */
export const TINY = "1e-12";

export function sliErrorRatio(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}
export const OBJECTIVE_RATIO = "slo:objective:ratio";
export const ERROR_BUDGET_RATIO = "slo:error_budget:ratio";
export const TIME_PERIOD_DAYS = "slo:time_period:days";
export const CURRENT_BURN_RATE = "slo:current_burn_rate:ratio";
export const PERIOD_BURN_RATE = "slo:period_burn_rate:ratio";
export const PERIOD_BUDGET_REMAINING = "slo:period_error_budget_remaining:ratio";
/** Constant 1 with descriptive labels (objective, period, SLI kind), for dashboards and reports. */
export const SLO_INFO = "sre_slo_info";

export const ERRORS_RATE = `sre_slo:errors:rate${BASE_WINDOW}`;
export const REQUESTS_RATE = `sre_slo:requests:rate${BASE_WINDOW}`;

/** Rule group names, unique per SLO id. */
export function groupName(sloId: string, kind: keyof typeof GROUP_INTERVALS): string {
  return `sre-slo-${sloId}-${kind}`;
}

/** Identity labels of one SLO. */
export function identityLabels(service: string, slo: string, id: string): Record<string, string> {
  return { [LABEL_SERVICE]: service, [LABEL_SLO]: slo, [LABEL_ID]: id };
}

/**
 * A selector for one SLO's series of a metric: `metric{sre_id="…"}`. The id alone is unique across
 * everything compiled together (the compiler refuses duplicates), and one matcher keeps the rules file small.
 */
export function sloSelector(metric: string, ident: Readonly<Record<string, string>>): string {
  return `${metric}{${LABEL_ID}=${JSON.stringify(ident[LABEL_ID])}}`;
}

/** Default annotation texts; `{{$labels.x}}` is expanded by Prometheus when the alert fires. */
export function defaultSummary(): string {
  return `{{$labels.${LABEL_SERVICE}}} {{$labels.${LABEL_SLO}}} SLO error budget burn rate is over expected.`;
}
export function defaultTitle(severity: "page" | "ticket"): string {
  return `(${severity}) {{$labels.${LABEL_SERVICE}}} {{$labels.${LABEL_SLO}}} SLO error budget burn rate is too fast.`;
}

/**
 * Where the generated runbook of one alert lives, relative to the environment's runbook folder
 * (`cdktf.out/runbooks/<env>/`) and to the runbook base URL: `<service>/<slo>-<page|ticket>.md`.
 */
export function runbookPath(service: string, slo: string, severity: "page" | "ticket"): string {
  return `${service}/${slo}-${severity}.md`;
}

/** Where the generated runbook of a service's service-down (P0) alert lives: a page named `service-down` in the service's folder. */
export function serviceDownRunbookPath(service: string): string {
  return `${service}/service-down.md`;
}
