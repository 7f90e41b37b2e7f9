import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import type { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { MAX_BUDGET_EMAIL_SUBSCRIBERS, MAX_BUDGET_NOTIFICATIONS } from "../../lib/config/cost-schema";
import { EncryptedTopic } from "../common/encrypted-topic";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../common/validation";

/** One notification of a {@link CostBudget}. */
export interface CostBudgetThreshold {
  /** `FORECASTED`: the month's forecast crosses the threshold; `ACTUAL`: the spend so far has. */
  readonly type: "FORECASTED" | "ACTUAL";
  /** Percent of the monthly limit. */
  readonly percent: number;
}

/** Props of {@link CostBudget}. */
export interface CostBudgetProps {
  /** Budget name, unique in the account (1–100 characters, no `:` or `\`); also names the SNS topic `<name>-alerts`. */
  readonly name: string;
  /** Monthly cost limit in US dollars. */
  readonly monthlyLimitUsd: number;
  /**
   * When to notify, each threshold one notification to the e-mail addresses and the topic.
   * @default - 80% forecasted and 100% actual
   */
  readonly thresholds?: readonly CostBudgetThreshold[];
  /** Who is e-mailed at every threshold (1 to 10 addresses). */
  readonly emails: readonly string[];
  /**
   * The cost-allocation tag that selects the costs the budget counts (`TagKeyValue` `user:<key>$<value>`). The tag
   * must be activated in the paying account's billing.
   * @default - every cost of the account
   */
  readonly costFilterTag?: { readonly key: string; readonly value: string };
  /**
   * Terraform `prevent_destroy` on the topic's key, as on every key of a protected environment.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** The thresholds of a budget that names none: a warning while there is time, and the overrun itself. */
export const DEFAULT_BUDGET_THRESHOLDS: readonly CostBudgetThreshold[] = [
  { type: "FORECASTED", percent: 80 },
  { type: "ACTUAL", percent: 100 },
];

/**
 * A monthly AWS Budget of cost, with forecasted and actual thresholds that e-mail the given addresses and publish to
 * an SNS topic encrypted with its own customer-managed key ({@link EncryptedTopic}), to which only AWS Budgets may
 * publish, and only for this account's budgets (`aws:SourceAccount`, `aws:SourceArn`). Subscribe chat or paging
 * integrations to {@link CostBudget.topic}.
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
 */
export class CostBudget extends Construct {
  public readonly budget: BudgetsBudget;
  /** The topic every threshold publishes to. */
  public readonly topic: EncryptedTopic;
  /** The thresholds in use. */
  public readonly thresholds: readonly CostBudgetThreshold[];
  /** The cost filter in use, `user:<key>$<value>`, or undefined for the whole account. */
  public readonly costFilter?: string;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    requireProps(this, props, { name: "the budget name", monthlyLimitUsd: "the monthly limit in US dollars", emails: "who is e-mailed at every threshold" });
    throwIfProblems(this.node.path, validateCostBudgetProps(props));
    this.thresholds = props.thresholds ?? DEFAULT_BUDGET_THRESHOLDS;
    this.costFilter = props.costFilterTag ? `user:${props.costFilterTag.key}$${props.costFilterTag.value}` : undefined;

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    this.topic = new EncryptedTopic(this, "Alerts", {
      name: `${props.name}-alerts`,
      description: `Notifications of the AWS Budget ${props.name}`,
      // The budget's ARN is known before it exists, so the topic's policy does not wait for the budget, and the
      // budget is created only once Budgets may publish.
      servicePublishers: [{ service: "budgets.amazonaws.com", sourceArns: [`arn:${partition.partition}:budgets::${account.accountId}:budget/${props.name}`] }],
      preventDestroy: props.preventDestroy,
    });

    this.budget = new BudgetsBudget(this, "Budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: String(props.monthlyLimitUsd),
      limitUnit: "USD",
      costFilter: this.costFilter ? [{ name: "TagKeyValue", values: [this.costFilter] }] : undefined,
      notification: this.thresholds.map((t) => ({
        notificationType: t.type,
        comparisonOperator: "GREATER_THAN",
        threshold: t.percent,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [...props.emails],
        subscriberSnsTopicArns: [this.topic.topicArn],
      })),
      dependsOn: [this.topic.node.findChild("TopicPolicy") as SnsTopicPolicy],
    });
  }
}

const BUDGET_NAME = /^[^:\\]{1,100}$/;

/** Checks {@link CostBudgetProps} without building anything. */
export function validateCostBudgetProps(props: CostBudgetProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isUnresolved(props.name) && !BUDGET_NAME.test(props.name)) problems.push({ path: "name", value: props.name, allowed: "1–100 characters without ':' or '\\'" });
  if (!(props.monthlyLimitUsd > 0)) problems.push({ path: "monthlyLimitUsd", value: props.monthlyLimitUsd, allowed: "a monthly limit in US dollars above 0" });
  const thresholds = props.thresholds ?? DEFAULT_BUDGET_THRESHOLDS;
  if (thresholds.length < 1 || thresholds.length > MAX_BUDGET_NOTIFICATIONS) {
    problems.push({ path: "thresholds", value: thresholds.length, allowed: `1 to ${MAX_BUDGET_NOTIFICATIONS} thresholds (AWS Budgets allows ten notifications per budget)` });
  }
  const seen = new Set<string>();
  thresholds.forEach((t, i) => {
    if (t.type !== "FORECASTED" && t.type !== "ACTUAL") problems.push({ path: `thresholds[${i}].type`, value: t.type, allowed: '"FORECASTED" or "ACTUAL"' });
    if (!(t.percent > 0)) problems.push({ path: `thresholds[${i}].percent`, value: t.percent, allowed: "a percentage of the limit above 0" });
    if (seen.has(`${t.type} ${t.percent}`)) problems.push({ path: `thresholds[${i}]`, value: t, allowed: "each type and percentage once" });
    seen.add(`${t.type} ${t.percent}`);
  });
  if (props.emails.length < 1 || props.emails.length > MAX_BUDGET_EMAIL_SUBSCRIBERS) {
    problems.push({ path: "emails", value: props.emails.length, allowed: `1 to ${MAX_BUDGET_EMAIL_SUBSCRIBERS} addresses (AWS Budgets' limit per notification; subscribe more to the topic)` });
  }
  props.emails.forEach((e, i) => {
    if (!isUnresolved(e) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) problems.push({ path: `emails[${i}]`, value: e, allowed: "an e-mail address" });
  });
  const tag = props.costFilterTag;
  if (tag !== undefined && (tag.key.trim() === "" || tag.value.trim() === "")) {
    problems.push({ path: "costFilterTag", value: tag, allowed: "a tag key and value, both non-empty" });
  }
  return problems;
}
