/**
 * Each environment's budget and activated cost-allocation tags, in `<env>-network`, as its `cost` section asks; the
 * expected values come from the environments' data, never from the synthesized output.
 */
import { ENVIRONMENTS } from "../../environments";
import { COST_ALLOCATION_TAGS } from "../../lib/config/cost-schema";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const network = synthesizedStack(`${env}-network`);
  const budgets = Object.values<Json>(network.resource?.aws_budgets_budget ?? {});

  test("one monthly cost budget of the configured limit, over the environment's tag, notifying at every configured threshold", () => {
    const budget = config.cost?.budget;
    expect(budgets).toHaveLength(budget ? 1 : 0);
    if (!budget) return;
    const [b] = budgets as [Json];
    expect({ name: b.name, type: b.budget_type, unit: b.time_unit, limit: Number(b.limit_amount), currency: b.limit_unit }).toEqual({
      name: `${env}-monthly`,
      type: "COST",
      unit: "MONTHLY",
      limit: budget.monthlyLimitUsd,
      currency: "USD",
    });
    expect(b.cost_filter).toEqual([{ name: "TagKeyValue", values: [`user:${budget.filterTag ?? "Environment"}$${config.tags[budget.filterTag ?? "Environment"]}`] }]);
    expect((b.notification as Json[]).map((n) => ({ type: n.notification_type, percent: n.threshold, emails: n.subscriber_email_addresses, topics: n.subscriber_sns_topic_arns.length }))).toEqual(
      budget.thresholds.map((t) => ({ type: t.type, percent: t.percent, emails: budget.emails, topics: 1 })),
    );
    const topics = Object.values<Json>(network.resource.aws_sns_topic);
    expect(topics.map((t) => t.kms_master_key_id)).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[A-Za-z0-9_]+\.arn\}$/)]);
  });

  test("the cost-allocation tags are activated exactly where the environment says so", () => {
    const activated = Object.values<Json>(network.resource?.aws_ce_cost_allocation_tag ?? {}).map((t) => `${t.tag_key}:${t.status}`).sort();
    expect(activated).toEqual(config.cost?.activateAllocationTags ? COST_ALLOCATION_TAGS.map((k) => `${k}:Active`).sort() : []);
  });
});
