/**
 * Public API of the SLO compiler: input formats → validated `SloDefinition`s → rules.
 * `import { loadSloFiles, compileSlos } from "sre-platform/slo"`.
 */
export * from "./model";
export { parseSloYaml, parseSloTexts, parseSloDocuments, SUPPORTED_VERSIONS, SUPPORTED_API_VERSIONS } from "./parse";
export type { ParseOptions, ParseResult, SloText } from "./parse";
export { validateSloDefinitions, validateSloSpec, sourceField, ALERT_NAME_RE } from "./validate";
export type { ValidateSpecOptions } from "./validate";
export { loadSloFiles, loadSloFilesWithWarnings, expandSloPaths, unknownEnvironmentProblem } from "./load";
export type { LoadOptions, LoadResult } from "./load";
export { namespaceMatcherDiagnostics, selectorsWithoutNamespace, NAMESPACE_LABEL } from "./namespace-matchers";
export { SLO_SPEC_FOLDER, sloSpecFiles, sloSpecsLeftOut } from "./spec-folder";
export { checkPromql, excerptAt, fillWindow, hasWindowPlaceholder, normalizeWindowPlaceholder, WINDOW_PLACEHOLDER } from "./promql";
export type { PromqlProblem } from "./promql";
export { counterRates, splitDivision } from "./promql-rewrite";
export type { CounterRewrite } from "./promql-rewrite";
export { SRE_PLATFORM_V1, SRE_PLATFORM_V1_SCHEMA_FILE, sloSpecV1JsonSchema } from "./formats/sre-platform-v1";
export { SLO_FORMATS, detectFormat, describeFormats } from "./formats/index";
export type { SloFormat, SloFormatDocument, SloFormatMarker, UnclaimedDocumentProblem } from "./formats/index";
export type {
  SloSpecV1, SloSpecV1Slo, SloSpecV1Sli, SloSpecV1Alerting, SloSpecV1Alert, SloSpecV1EnvironmentOverride, SloSpecV1ServiceDown,
} from "./formats/sre-platform-v1";

// The compiler's later stages (windows → rules → emit).
export { compileSlos, unreachableAlertWarnings } from "./compile";
export type { CompileOptions, CompiledSlo, CompileResult } from "./compile";
export { periodWindows, alertWindows, detectionSeconds, burnRateFactor, durationSeconds, SUPPORTED_PERIODS, PERIOD_WINDOW_TABLE } from "./windows";
export type { AlertSeverityName, BurnRateWindow, PeriodWindows } from "./windows";
export { buildRuleGroups, runbookUrl } from "./rules";
export type { AlertingRule, RecordingRule, Rule, RuleGroup, RuleOptions } from "./rules";
export { emitRulesYaml, emitPrometheusRuleYaml, toRuleGroups, toPrometheusRule, GENERATED_HEADER } from "./emit";
export type { EmittableResult, PrometheusRuleGroup, PrometheusRuleObject, PrometheusRuleOptions } from "./emit";
export {
  canaryAnalysisTemplate, budgetGateTemplate, budgetGateQuery, budgetExhaustedAlert, canaryErrorRatioQuery, canaryErrorThreshold, numericConditions,
  CANARY_HASH_ARG, CANARY_HASH_PLACEHOLDER, DEFAULT_CANARY_LABEL, BUDGET_OVERRIDE_ANNOTATION, BUDGET_EXHAUSTED_ALERT, LABEL_OVERRIDE,
} from "./canary-analysis";
export type { AnalysisTemplateObject, AnalysisMetric, CanaryAnalysisOptions, BudgetGateOptions, BudgetOverride } from "./canary-analysis";
export { withMatcher } from "./promql-rewrite";
export type { MatcherRewrite } from "./promql-rewrite";
export { buildServiceDownGroups, derivedTargetSelectors, serviceDownAlertName, serviceDownGroupName, DEFAULT_SERVICE_DOWN, DEFAULT_SERVICE_DOWN_FOR } from "./service-down";
export type { ServiceDownResult } from "./service-down";
export { applyServiceOverrides, environmentServiceOverrides, serviceOverrideProblems } from "./service-overrides";
export type { ServiceDownOverride, ServiceOverride, ServiceOverrides } from "./service-overrides";
export * as conventions from "./conventions";
export { steadyStateProbes, steadyStateOptionProblems, pageBurnRateThreshold, probeSelector, STEADY_STATE_DEFAULTS } from "./steady-state";
export type { PromProbe, SteadyStateOptions } from "./steady-state";
