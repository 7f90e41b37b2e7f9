import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { packageRoot } from "../lib/package-root";
import { emitPrometheusRuleYaml, emitRulesYaml, PrometheusRuleObject, PrometheusRuleOptions, toPrometheusRule } from "../lib/slo/emit";
import { MONITORING_NAMESPACE, MONITORING_SELECTOR_LABELS } from "../lib/observability/monitoring-selection";
import type { CompileResult } from "../lib/slo/compile";
import { formatDiagnostic, SloError } from "../lib/slo/model";
import { sloOwnershipProblems } from "../lib/observability/slo-ownership";
import { loadAndCompileSlos } from "../lib/slo/pipeline";
import { environmentServiceOverrides } from "../lib/slo/service-overrides";
import { SLO_SPEC_FOLDER, sloSpecFiles, sloSpecsLeftOut } from "../lib/slo/spec-folder";
import { P0_ESCALATION_RUNBOOK_PATH, p0EscalationGroup } from "../lib/observability/alertmanager/escalation";

/** One environment's SLOs, compiled before any stack is built. */
export interface EnvironmentSlos {
  readonly environment: string;
  readonly sloCount: number;
  /** Plain Prometheus rules file (`groups:`), checked with `promtool check rules`. */
  readonly rulesYaml: string;
  /** The same rules as a prometheus-operator PrometheusRule object. */
  readonly prometheusRuleYaml: string;
  /** That object, deployed by the observability-resources layer; labelled for the platform Prometheus's selector. */
  readonly prometheusRule: PrometheusRuleObject;
  readonly warnings: readonly string[];
  /** The compiled SLOs themselves, for what is generated from them (dashboards). */
  readonly compiled: CompileResult;
}

/**
 * Loads the environment's SLO specs (every spec of `environments/slos/`, or its explicit `slo.specs`) with its
 * per-environment objective overrides and its own overrides of the specs' services (`slo.overrides`), and compiles them.
 * @param knownEnvironments every environment's name, so an override for a misspelt one is refused (default: any name)
 * @param root the app's root folder, which holds `environments/slos/`
 * @param source the file the environment is written in (`environments/dev.ts`), named by errors in its `slo.overrides`
 * @throws SloError naming the file, the SLO and the field, so the synth stops before writing anything; also for a spec
 * whose `labels.team` is not one of the environment's teams, or whose alerts carry a label that routes nowhere
 */
export function compileEnvironmentSlos(config: EnvironmentConfig, knownEnvironments?: readonly string[], root: string = packageRoot(), source = `environment "${config.name}"`): EnvironmentSlos {
  const specs = config.slo?.specs;
  const files = sloSpecFiles(root, specs);
  const runbooks = config.slo?.runbooks;
  // With no file found, the loader reports the folder (or the list) that should have held them.
  const { definitions: defs, result: compiled, warnings } = loadAndCompileSlos(files.length > 0 ? files : [path.join(root, SLO_SPEC_FOLDER)], {
    environment: config.name,
    ...(knownEnvironments ? { knownEnvironments } : {}),
    ...(environmentServiceOverrides(config.slo, source) !== undefined ? { serviceOverrides: environmentServiceOverrides(config.slo, source) } : {}),
    ...(runbooks !== undefined ? { runbookBaseUrl: `${runbooks.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(config.name)}` } : {}),
  });
  // Alerts route by the spec's team: one the environment does not have would route to nobody it names.
  const ownership = sloOwnershipProblems(defs, config.security.namespaces.teams.map((t) => t.name), `security.namespaces.teams of environment "${config.name}"`);
  if (ownership.length > 0) throw new SloError(ownership);
  const leftOut = sloSpecsLeftOut(root, specs).map(
    (f) => `slo.specs leaves out ${f}, which compiles no rules in this environment; list it, or drop slo.specs to compile every spec of ${SLO_SPEC_FOLDER}/`,
  );
  // The escalation of unhandled P0s runs beside the P0s it watches.
  const escalation = config.alerting?.escalation;
  const runbookBase = runbooks !== undefined ? `${runbooks.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(config.name)}` : undefined;
  const result: CompileResult = escalation === undefined
    ? compiled
    : { ...compiled, services: [...compiled.services, p0EscalationGroup(escalation.after, runbookBase !== undefined ? `${runbookBase}/${P0_ESCALATION_RUNBOOK_PATH}` : undefined)] };
  const ruleOptions: PrometheusRuleOptions = { name: `${config.name}-slos`, namespace: MONITORING_NAMESPACE, labels: MONITORING_SELECTOR_LABELS };
  return {
    environment: config.name,
    sloCount: defs.length,
    rulesYaml: emitRulesYaml(result),
    prometheusRuleYaml: emitPrometheusRuleYaml(result, ruleOptions),
    prometheusRule: toPrometheusRule(result, ruleOptions),
    warnings: [...leftOut, ...warnings.map(formatDiagnostic)],
    compiled: result,
  };
}

/**
 * Writes `<outdir>/slo/<env>/rules.yaml` and `prometheusrule.yaml` beside the stacks, for review, for
 * `promtool` in CI, and for the observability layer that deploys them as PrometheusRule objects.
 */
export function writeEnvironmentSlos(outdir: string, slos: EnvironmentSlos): void {
  const dir = path.join(outdir, "slo", slos.environment);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "rules.yaml"), slos.rulesYaml);
  fs.writeFileSync(path.join(dir, "prometheusrule.yaml"), slos.prometheusRuleYaml);
}
