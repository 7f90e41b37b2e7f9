/**
 * The part of a rule file that its alerts depend on: every alerting rule, and the recording rules whose series an
 * alert reads, directly or through other recording rules. Recording rules no alert reads (a 30-day SLI window, SLO
 * metadata) cannot change when an alert fires, so a proof about alert timelines may leave them out, which spares
 * promtool re-reading the whole history at every evaluation.
 */
import { parse, stringify } from "yaml";

interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
}
interface Group {
  readonly name: string;
  readonly rules: readonly Rule[];
  readonly [key: string]: unknown;
}

/** Every name in a PromQL expression that could be a metric. */
function namesIn(expr: string): Set<string> {
  return new Set(expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []);
}

export interface AlertingSubset {
  /** The rule file with only the alerts and what they read; groups left empty are dropped. */
  readonly rules: string;
  readonly groupOrder: readonly string[];
  /** Recording rules left out, as `record` names (one per rule). */
  readonly dropped: readonly string[];
  readonly alerts: number;
}

export function alertingSubset(rulesYaml: string): AlertingSubset {
  const groups = (parse(rulesYaml) as { groups: Group[] }).groups;
  const all = groups.flatMap((g) => g.rules);
  const needed = new Set<string>();
  const add = (expr: string) => namesIn(expr).forEach((n) => needed.add(n));
  all.filter((r) => r.alert !== undefined).forEach((r) => add(r.expr));
  // Follow recording rules back from the alerts until no new name appears.
  for (let before = -1; before !== needed.size; ) {
    before = needed.size;
    for (const r of all) if (r.record !== undefined && needed.has(r.record)) add(r.expr);
  }
  const keep = (r: Rule) => r.alert !== undefined || needed.has(r.record!);
  const kept = groups.map((g) => ({ ...g, rules: g.rules.filter(keep) })).filter((g) => g.rules.length > 0);
  return {
    rules: stringify({ groups: kept }, { lineWidth: 0 }),
    groupOrder: kept.map((g) => g.name),
    dropped: all.filter((r) => !keep(r)).map((r) => r.record!),
    alerts: all.filter((r) => r.alert !== undefined).length,
  };
}
