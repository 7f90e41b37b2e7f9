/**
 * The alert tiers every part of the platform speaks: an alert's `priority` label is one of P0…P4, and
 * Alertmanager routes on it (lib/observability/alertmanager). The SLO compiler labels its page alerts P1 and
 * its ticket alerts P2 (lib/slo/conventions.ts).
 *
 * - P0: a service is down; pages at once, day and night, and silences the service's P1–P3 alerts.
 * - P1: an SLO page; pages during business hours, goes to chat outside them.
 * - P2: a warning or an SLO ticket; goes to chat.
 * - P3: informational; no notification (dashboards only).
 * - P4: capacity; an e-mail digest once a week.
 */

/** The label that carries the tier. */
export const LABEL_PRIORITY = "priority";

/** Every tier, most urgent first. */
export const PRIORITIES = ["P0", "P1", "P2", "P3", "P4"] as const;

/** One alert tier. */
export type Priority = (typeof PRIORITIES)[number];

/** True for one of {@link PRIORITIES}. */
export function isPriority(value: unknown): value is Priority {
  return typeof value === "string" && (PRIORITIES as readonly string[]).includes(value);
}

/** What each tier does, in one sentence, for generated runbooks and reports. */
export const PRIORITY_MEANING: Readonly<Record<Priority, string>> = {
  P0: "a service is down: pages the on-call at once, day and night, and silences the service's P1–P3 alerts",
  P1: "an SLO page: pages the on-call during business hours and goes to chat outside them",
  P2: "a warning or an SLO ticket: goes to chat, to be handled in working hours",
  P3: "informational: no notification, shown on dashboards only",
  P4: "capacity: collected into the weekly e-mail digest",
};
