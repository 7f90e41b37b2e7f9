/**
 * Falco's priorities and how they land on the platform's alert tiers (lib/observability/priorities.ts).
 *
 * Falco parses a rule's `priority` case-insensitively against these eight names, and accepts `info` for
 * `informational` for legacy reasons (falcosecurity/falco, userspace/engine/falco_common.cpp, `parse_priority`).
 * The platform writes them upper case, as falcosecurity/rules does.
 */
import type { PriorityDialect } from "../../observability/alertmanager/generate";
import type { Priority } from "../../observability/priorities";

/** Falco's priorities, most severe first. */
export const FALCO_PRIORITIES = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG"] as const;
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

/** The label (and value) falcosidekick puts on every alert it sends to Alertmanager. */
export const FALCOSIDEKICK_SOURCE = { label: "source", value: "falco" } as const;

/** The spelling falcosidekick puts in an alert's `priority` label (`types.PriorityType.String()`). */
export function falcosidekickPriorityName(p: FalcoPriority): string {
  return p.charAt(0) + p.slice(1).toLowerCase();
}

/**
 * Each Falco priority's tier, judged against what the tier does:
 * - EMERGENCY, ALERT, CRITICAL → P0 (pages at once, day and night): a read of credentials or a tampered host is an
 *   intrusion in progress, and waiting for office hours gives the intruder a night.
 * - ERROR → P1 (pages in business hours, chat outside): a policy breach (a write below /etc, traffic to an address
 *   no one allowed) that someone must look at today, not necessarily at 3 a.m.
 * - WARNING → P2 (chat): worth a human's look, often legitimate (an interactive shell during debugging).
 * - NOTICE, INFORMATIONAL, DEBUG → P3 (no notification): kept for dashboards and investigations.
 * P4 (the weekly capacity digest) is about capacity: no Falco priority means that.
 */
export const FALCO_PRIORITY_TIERS: Readonly<Record<FalcoPriority, Priority>> = {
  EMERGENCY: "P0",
  ALERT: "P0",
  CRITICAL: "P0",
  ERROR: "P1",
  WARNING: "P2",
  NOTICE: "P3",
  INFORMATIONAL: "P3",
  DEBUG: "P3",
};

/** The tier of a Falco priority. */
export function falcoTier(p: FalcoPriority): Priority {
  return FALCO_PRIORITY_TIERS[p];
}

/** Falco priorities (as falcosidekick labels them) that land on `tier`, most severe first. */
export function falcoPriorityNamesOfTier(tier: Priority): string[] {
  return FALCO_PRIORITIES.filter((p) => FALCO_PRIORITY_TIERS[p] === tier).map(falcosidekickPriorityName);
}

/**
 * True when `value` is a priority Falco accepts in a rule: one of the eight names in any case, or `info`.
 */
export function isFalcoRulePriority(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const upper = value.toUpperCase();
  return (FALCO_PRIORITIES as readonly string[]).includes(upper) || upper === "INFO";
}

/** `true` when `a` is at least as severe as `b`. */
export function isAtLeast(a: FalcoPriority, b: FalcoPriority): boolean {
  return FALCO_PRIORITIES.indexOf(a) <= FALCO_PRIORITIES.indexOf(b);
}

/**
 * falcosidekick's alertmanager `customseveritymap` for the tiers: every forwarded alert also carries its tier as
 * the `severity` label (`critical:P0,…`), so a receiver can show the tier whatever route delivered it.
 */
export function falcosidekickSeverityMap(): string {
  return FALCO_PRIORITIES.map((p) => `${p.toLowerCase()}:${FALCO_PRIORITY_TIERS[p]}`).join(",");
}

/** The Falco field naming the namespace of the pod an event comes from (the container plugin reads it from the CRI). */
export const FALCO_NAMESPACE_FIELD = "k8s.ns.name";

/**
 * The label falcosidekick makes of an output field: every character outside `[a-zA-Z0-9_]` becomes `_`, doubled `_`
 * are merged and leading or trailing ones dropped (`alertmanagerSafeLabel` in falcosidekick's outputs/alertmanager.go).
 */
export function falcosidekickLabel(field: string): string {
  return field.replace(/[^a-zA-Z0-9_]/g, "_").replace(/__/g, "_").replace(/^_+|_+$/g, "");
}

/**
 * The most urgent tier a detection in a team's namespace reaches: P2, the team's chat. Whoever deploys there chooses
 * what runs there, so a team's own image can raise any rule at will (a readable `/etc/shadow`, a shell, a write below
 * `/etc`): paging from such events would hand every team a pager, the platform's before this ceiling. In the team's
 * channel the team sees what its pods do and judges it; an event that reaches beyond the pod (the node, a platform
 * namespace) is raised there with no namespace or a platform one, and keeps its tier and the platform's receivers.
 */
export const FALCO_TEAM_CEILING: Priority = "P2";

/**
 * How Alertmanager routes falcosidekick's alerts: they carry `source="falco"` and Falco's own priority name, which
 * the routing maps onto the tiers through {@link FALCO_PRIORITY_TIERS}; those from a team's namespace (the
 * `k8s_ns_name` label) go to the team at most at {@link FALCO_TEAM_CEILING}.
 */
export const FALCO_PRIORITY_DIALECT: PriorityDialect = {
  sourceMatcher: `${FALCOSIDEKICK_SOURCE.label}="${FALCOSIDEKICK_SOURCE.value}"`,
  namesOfTier: falcoPriorityNamesOfTier,
  namespaceLabel: falcosidekickLabel(FALCO_NAMESPACE_FIELD),
  teamCeiling: FALCO_TEAM_CEILING,
};
