import { z } from "zod";

/**
 * The cost section of an environment (`cost`): its monthly AWS Budget, who hears when spend nears it, and whether the
 * environment's account activates the cost-allocation tags. Rules between fields (the filter tag is one the
 * environment sets, each threshold once) live in `validate-cost.ts`.
 */

/** AWS Budgets: at most ten notifications per budget, each with at most ten e-mail subscribers and one SNS topic. */
export const MAX_BUDGET_NOTIFICATIONS = 10;
export const MAX_BUDGET_EMAIL_SUBSCRIBERS = 10;

/** The tag keys every resource of an environment carries for cost allocation (provider default tags and the tags of what the cluster launches). */
export const COST_ALLOCATION_TAGS = ["Owner", "CostCentre", "Environment", "ManagedBy"] as const;

export const BudgetThresholdSchema = z.strictObject({
  /** `FORECASTED`: the month's forecast crosses the threshold; `ACTUAL`: the spend so far has. */
  type: z.enum(["FORECASTED", "ACTUAL"]),
  /** Percent of the monthly limit (above 100 warns of an overrun's size). */
  percent: z.number().gt(0, { message: "a percentage of the limit above 0" }).max(1000, { message: "at most 1000 (ten times the limit)" }),
});

export const CostConfigSchema = z.strictObject({
  budget: z.strictObject({
    /** The environment's monthly cost limit in US dollars (unblended cost of resources carrying its filter tag). */
    monthlyLimitUsd: z.number().positive({ message: "a monthly limit in US dollars above 0" }).max(10_000_000),
    /** When to notify: each threshold is one notification of the budget. */
    thresholds: z.array(BudgetThresholdSchema).min(1, { message: "at least one threshold, e.g. 80% FORECASTED and 100% ACTUAL" }).max(MAX_BUDGET_NOTIFICATIONS, {
      message: `at most ${MAX_BUDGET_NOTIFICATIONS}: AWS Budgets allows ten notifications per budget`,
    }),
    /** Who is e-mailed at every threshold (the budget's SNS topic is notified too). */
    emails: z.array(z.email({ message: "an e-mail address" })).min(1, { message: "at least one e-mail address" }).max(MAX_BUDGET_EMAIL_SUBSCRIBERS, {
      message: `at most ${MAX_BUDGET_EMAIL_SUBSCRIBERS}: AWS Budgets allows ten e-mail subscribers per notification (subscribe more to the SNS topic)`,
    }),
    /**
     * The cost-allocation tag whose value (from `tags`) selects the environment's costs: the budget counts
     * resources tagged `<filterTag>=<tags[filterTag]>`.
     * @default "Environment"
     */
    filterTag: z.string().min(1).optional(),
  }),
  /**
   * Create `aws_ce_cost_allocation_tag` resources that activate {@link COST_ALLOCATION_TAGS} in the account's billing.
   * Only the account that pays its own bill can (a stand-alone account or an organization's management account;
   * a member account's tags are activated in the management account), and only once billing has seen the tags, up
   * to a day after the first deploy: a new environment turns this on after its first day.
   * @default false
   */
  activateAllocationTags: z.boolean().optional(),
});

/** One environment's cost configuration as written in `environments/`. */
export type CostConfig = z.infer<typeof CostConfigSchema>;
export type BudgetThreshold = z.infer<typeof BudgetThresholdSchema>;
