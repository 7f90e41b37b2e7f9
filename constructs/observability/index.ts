export { SloRules, validateSloRulesProps } from "./slo-rules";
export type { PrometheusTarget, SloRulesProps } from "./slo-rules";
export { ManagedPrometheus, validateManagedPrometheusProps, AMP_QUERY_ACTIONS, AMP_WRITE_ACTIONS } from "./managed-prometheus";
export type { ManagedPrometheusProps, ManagedPrometheusAlerting, ServiceAccountRef } from "./managed-prometheus";
export { SmsPager, validateSmsPagerProps } from "./sms-pager";
export type { SmsPagerProps } from "./sms-pager";
