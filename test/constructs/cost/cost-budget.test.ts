import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { CostBudget, CostBudgetProps, validateCostBudgetProps } from "../../../constructs/cost/cost-budget";
import { CostAllocationTags, validateCostAllocationTagsProps } from "../../../constructs/cost/cost-allocation-tags";

type Statement = { sid: string; condition?: Array<{ test: string; variable: string; values: string[] }> };
type Budget = {
  name: string;
  budget_type: string;
  time_unit: string;
  limit_amount: string;
  limit_unit: string;
  cost_filter?: Array<{ name: string; values: string[] }>;
  notification: Array<{ notification_type: string; threshold: number; threshold_type: string; comparison_operator: string; subscriber_email_addresses: string[]; subscriber_sns_topic_arns: string[] }>;
  depends_on: string[];
};

function synth(props: CostBudgetProps) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const construct = new CostBudget(stack, "Budget", props);
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const budget = Object.values(parsed.resource.aws_budgets_budget)[0] as Budget;
  const docs = parsed.data.aws_iam_policy_document as Record<string, { statement: Statement[] }>;
  const topicPolicy = Object.entries(docs).find(([k]) => k.includes("Alerts_Policy"))?.[1].statement ?? [];
  return { construct, json, parsed, budget, topicPolicy };
}

describe("CostBudget", () => {
  const base: CostBudgetProps = { name: "prod-monthly", monthlyLimitUsd: 9000, emails: ["platform-prod@example.com"], costFilterTag: { key: "Environment", value: "prod" } };

  test("a monthly cost budget in US dollars, filtered by the environment's cost-allocation tag", () => {
    const { json, budget } = synth(base);
    expect(json).toHaveResourceWithProperties(BudgetsBudget, { name: "prod-monthly", budget_type: "COST", time_unit: "MONTHLY", limit_amount: "9000", limit_unit: "USD" });
    expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:Environment$prod"] }]);
  });

  test("without a filter tag the budget counts the whole account", () => {
    const { budget, construct } = synth({ ...base, costFilterTag: undefined });
    expect(budget.cost_filter).toBeUndefined();
    expect(construct.costFilter).toBeUndefined();
  });

  test("by default warns at 80% forecasted and 100% actual, each to the e-mail addresses and the encrypted topic", () => {
    const { budget, parsed, construct } = synth(base);
    expect(budget.notification.map((n) => `${n.notification_type} ${n.comparison_operator} ${n.threshold} ${n.threshold_type}`)).toEqual([
      "FORECASTED GREATER_THAN 80 PERCENTAGE",
      "ACTUAL GREATER_THAN 100 PERCENTAGE",
    ]);
    const topicKey = Object.keys(parsed.resource.aws_sns_topic)[0];
    for (const n of budget.notification) {
      expect(n.subscriber_email_addresses).toEqual(["platform-prod@example.com"]);
      expect(n.subscriber_sns_topic_arns).toEqual([`\${aws_sns_topic.${topicKey}.arn}`]);
    }
    expect(construct.thresholds).toHaveLength(2);
    const topic = parsed.resource.aws_sns_topic[topicKey] as { name: string; kms_master_key_id: string };
    expect(topic.name).toBe("prod-monthly-alerts");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  test("the thresholds given replace the default ones", () => {
    const { budget } = synth({ ...base, thresholds: [{ type: "ACTUAL", percent: 50 }, { type: "FORECASTED", percent: 120 }, { type: "ACTUAL", percent: 150 }] });
    expect(budget.notification.map((n) => `${n.notification_type} ${n.threshold}`)).toEqual(["ACTUAL 50", "FORECASTED 120", "ACTUAL 150"]);
  });

  test("only AWS Budgets publishes, for this account's budget of this name, and the budget waits for that policy", () => {
    const { topicPolicy, budget, parsed } = synth(base);
    const publish = topicPolicy.find((s) => s.sid === "PublishBudgets");
    const sourceArn = publish?.condition?.find((c) => c.variable === "aws:SourceArn");
    expect(sourceArn?.test).toBe("ArnLike");
    expect(sourceArn?.values).toEqual([expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:budgets::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:budget\/prod-monthly$/)]);
    expect(publish?.condition?.find((c) => c.variable === "aws:SourceAccount")).toBeDefined();
    const policyKey = Object.keys(parsed.resource.aws_sns_topic_policy)[0];
    expect(budget.depends_on).toEqual([`aws_sns_topic_policy.${policyKey}`]);
  });

  test.each<[string, Partial<CostBudgetProps>, RegExp]>([
    ["the name has a colon", { name: "prod:monthly" }, /name: got "prod:monthly"; allowed: 1–100 characters without ':'/],
    ["the limit is zero", { monthlyLimitUsd: 0 }, /monthlyLimitUsd: got 0; allowed: a monthly limit in US dollars above 0/],
    ["there is no threshold", { thresholds: [] }, /thresholds: got 0; allowed: 1 to 10 thresholds/],
    ["there are eleven thresholds", { thresholds: Array.from({ length: 11 }, (_, i) => ({ type: "ACTUAL" as const, percent: 10 + i })) }, /thresholds: got 11; allowed: 1 to 10/],
    ["a threshold repeats", { thresholds: [{ type: "ACTUAL", percent: 100 }, { type: "ACTUAL", percent: 100 }] }, /thresholds\[1\]: got .*; allowed: each type and percentage once/],
    ["a percentage is negative", { thresholds: [{ type: "ACTUAL", percent: -5 }] }, /thresholds\[0\]\.percent: got -5; allowed: a percentage of the limit above 0/],
    ["no one is e-mailed", { emails: [] }, /emails: got 0; allowed: 1 to 10 addresses/],
    ["eleven people are e-mailed", { emails: Array.from({ length: 11 }, (_, i) => `p${i}@example.com`) }, /emails: got 11; allowed: 1 to 10 addresses/],
    ["an address is not one", { emails: ["platform"] }, /emails\[0\]: got "platform"; allowed: an e-mail address/],
    ["the filter tag has no value", { costFilterTag: { key: "Environment", value: " " } }, /costFilterTag: got .*; allowed: a tag key and value, both non-empty/],
  ])("fails when %s", (_what, change, message) => {
    expect(() => synth({ ...base, ...change })).toThrow(message);
    expect(validateCostBudgetProps({ ...base, ...change })).toHaveLength(1);
  });
});

describe("CostAllocationTags", () => {
  test("activates each key, addressed by the key itself", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new CostAllocationTags(stack, "Tags", { tagKeys: ["Environment", "CostCentre"] });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(CeCostAllocationTag, { tag_key: "Environment", status: "Active" });
    expect(json).toHaveResourceWithProperties(CeCostAllocationTag, { tag_key: "CostCentre", status: "Active" });
    expect(Object.keys(JSON.parse(json).resource.aws_ce_cost_allocation_tag).sort()).toEqual([expect.stringMatching(/^Tags_CostCentre_/), expect.stringMatching(/^Tags_Environment_/)]);
  });

  test.each<[string, string[], RegExp]>([
    ["no key is given", [], /tagKeys: got \[\]; allowed: at least one tag key/],
    ["a key is AWS's", ["aws:createdBy"], /tagKeys\[0\]: got "aws:createdBy"; allowed: a user-defined tag key/],
    ["a key repeats", ["Owner", "Owner"], /tagKeys\[1\]: got "Owner"; allowed: each key once/],
  ])("fails when %s", (_what, tagKeys, message) => {
    expect(validateCostAllocationTagsProps({ tagKeys }).map((p) => `${p.path}: got ${JSON.stringify(p.value)}; allowed: ${p.allowed}`).join("\n")).toMatch(message);
  });
});

describe("CostBudget in a protected environment", () => {
  test("its topic's key is kept from terraform destroy, as every key of a protected environment", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new CostBudget(stack, "Budget", { name: "b", monthlyLimitUsd: 1, emails: ["a@example.com"], preventDestroy: true });
    const keys = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_kms_key) as Array<{ lifecycle?: { prevent_destroy?: boolean } }>;
    expect(keys.map((k) => k.lifecycle?.prevent_destroy)).toEqual([true]);
  });
});
