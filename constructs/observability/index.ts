export { SloRules, validateSloRulesProps } from "./slo-rules";
export type { PrometheusTarget, SloRulesProps } from "./slo-rules";
export { SmsPager, validateSmsPagerProps } from "./sms-pager";
export type { SmsPagerProps } from "./sms-pager";
