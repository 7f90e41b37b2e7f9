/**
 * The SLO compiler's pure core: validated {@link SloDefinition}s → rule groups per SLO, plus warnings.
 * Parsing and validation happen before (lib/slo/load.ts); emitting YAML happens after (lib/slo/emit.ts).
 */
import { SloError, type SloDefinition, type SloDiagnostic, type SloPeriod } from "./model";
import { buildRuleGroups, type RuleGroup } from "./rules";
import { buildServiceDownGroups } from "./service-down";
import { periodWindows, roundFactor, type PeriodWindows } from "./windows";

export interface CompileOptions {
  /**
   * Period for every SLO, overriding the specs (the CLI's `--period`).
   * @default - each SLO's own period, else "30d"
   */
  readonly period?: SloPeriod;
  /**
   * Base URL of runbooks; alerts without a `runbookUrl` in the spec link to their generated runbook,
   * `<runbookBaseUrl>/<service>/<slo>-<page|ticket>.md`.
   * @default - no runbook_url annotation unless the spec gives one
   */
  readonly runbookBaseUrl?: string;
}

export interface CompiledSlo {
  readonly slo: SloDefinition;
  readonly period: SloPeriod;
  readonly windows: PeriodWindows;
  readonly groups: readonly RuleGroup[];
}

export interface CompileResult {
  readonly slos: readonly CompiledSlo[];
  /**
   * Rule groups per service, after every SLO's groups: the service-down (P0) alert of each service
   * (lib/slo/service-down.ts), one per service whatever the number of its SLOs.
   */
  readonly services: readonly RuleGroup[];
  /** Problems that do not stop compilation, e.g. an alert pair that can never fire. */
  readonly warnings: readonly SloDiagnostic[];
}

/** Warnings for enabled alert pairs whose threshold `factor × (1 − objective)` is 1 or more. */
export function unreachableAlertWarnings(def: SloDefinition, windows: PeriodWindows): SloDiagnostic[] {
  const budget = (100 - def.objective) / 100;
  const out: SloDiagnostic[] = [];
  for (const severity of ["page", "ticket"] as const) {
    if (def.alerting[severity].disabled) continue;
    for (const p of windows[severity]) {
      const threshold = roundFactor(p.factor * budget);
      if (threshold < 1) continue;
      out.push({
        file: def.source.file,
        slo: def.id,
        field: `alerting.${severity}`,
        stage: "windows",
        message:
          `the ${severity} alert's ${p.longWindow}/${p.shortWindow} pair can never fire: burn-rate factor ` +
          `${p.factor} × error budget ${roundFactor(budget)} = ${threshold} ≥ 1 (an error ratio cannot exceed 1); ` +
          `raise the objective or disable the ${severity} alert`,
      });
    }
  }
  return out;
}

/**
 * Compiles SLO definitions into Prometheus rule groups.
 * @throws SloError when two definitions share an id, or a period has no window table.
 */
export function compileSlos(defs: readonly SloDefinition[], opts: CompileOptions = {}): CompileResult {
  const seen = new Map<string, SloDefinition>();
  const problems: SloDiagnostic[] = [];
  for (const d of defs) {
    const prev = seen.get(d.id);
    if (prev !== undefined) {
      problems.push({
        file: d.source.file,
        slo: d.id,
        stage: "rules",
        message: `duplicate SLO id ${JSON.stringify(d.id)} (also in ${prev.source.file}); rule group names would collide`,
      });
    }
    seen.set(d.id, d);
  }
  const serviceDown = buildServiceDownGroups(defs, opts.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: opts.runbookBaseUrl });
  problems.push(...serviceDown.errors);
  if (problems.length > 0) throw new SloError(problems);

  const slos: CompiledSlo[] = [];
  const warnings: SloDiagnostic[] = [];
  for (const slo of defs) {
    const period = opts.period ?? slo.period ?? "30d";
    let windows: PeriodWindows;
    try {
      windows = periodWindows(period);
    } catch (e) {
      if (!(e instanceof SloError)) throw e;
      throw new SloError(e.diagnostics.map((d) => ({ ...d, file: slo.source.file, slo: slo.id })));
    }
    warnings.push(...unreachableAlertWarnings(slo, windows));
    const ruleOpts = opts.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: opts.runbookBaseUrl };
    slos.push({ slo, period, windows, groups: buildRuleGroups(slo, windows, ruleOpts) });
  }
  warnings.push(...serviceDown.warnings);
  return { slos, services: serviceDown.groups, warnings };
}
