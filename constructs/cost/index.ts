export { CostBudget, DEFAULT_BUDGET_THRESHOLDS, validateCostBudgetProps } from "./cost-budget";
export type { CostBudgetProps, CostBudgetThreshold } from "./cost-budget";
export { CostAllocationTags, validateCostAllocationTagsProps } from "./cost-allocation-tags";
export type { CostAllocationTagsProps } from "./cost-allocation-tags";
