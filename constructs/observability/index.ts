export { SloRules, validateSloRulesProps } from "./slo-rules";
export type { PrometheusTarget, SloRulesProps } from "./slo-rules";
