import { ENVIRONMENTS } from "../../../environments";
import { validateEnvironment } from "../../../lib/config/validate-environment";
import { budgetTagFilter } from "../../../lib/config/validate-cost";
import { configErrorsWith } from "../../support/config-errors";
import { dev } from "../../../environments/dev";
import { prod } from "../../../environments/prod";

describe("cost configuration", () => {
  test("every shipped environment has a budget filtered by its own Environment tag", () => {
    for (const env of ENVIRONMENTS) {
      expect(validateEnvironment(env).problems).toEqual([]);
      expect(budgetTagFilter(env)?.filter).toBe(`user:Environment$${env.name}`);
    }
  });

  test("the section is optional: without it there is no budget", () => {
    const { cost: _omitted, ...withoutCost } = dev;
    expect(validateEnvironment(withoutCost).problems).toEqual([]);
    expect(budgetTagFilter(withoutCost)).toBeUndefined();
  });

  test("another tag of the environment may select the costs", () => {
    const config = { ...prod, cost: { ...prod.cost!, budget: { ...prod.cost!.budget, filterTag: "CostCentre" } } };
    expect(validateEnvironment(config).problems).toEqual([]);
    expect(budgetTagFilter(config)?.filter).toBe(`user:CostCentre$${prod.tags.CostCentre}`);
  });

  test.each<[string, (c: Record<string, any>) => void, RegExp]>([
    ["the limit is zero", (c) => (c.cost.budget.monthlyLimitUsd = 0), /cost\.budget\.monthlyLimitUsd: got 0; allowed: more than 0 \(a monthly limit in US dollars above 0\)/],
    ["there is no threshold", (c) => (c.cost.budget.thresholds = []), /cost\.budget\.thresholds: got \[\]; allowed: at least 1 item\(s\) \(at least one threshold/],
    ["there are eleven thresholds", (c) => (c.cost.budget.thresholds = Array.from({ length: 11 }, (_, i) => ({ type: "ACTUAL", percent: 10 * (i + 1) }))), /cost\.budget\.thresholds: got .*; allowed: at most 10 item\(s\)/],
    ["a threshold type is unknown", (c) => (c.cost.budget.thresholds[0].type = "PREDICTED"), /cost\.budget\.thresholds\[0\]\.type: got "PREDICTED"; allowed: one of "FORECASTED", "ACTUAL"/],
    ["a threshold repeats", (c) => c.cost.budget.thresholds.push({ ...c.cost.budget.thresholds[0] }), /cost\.budget\.thresholds\[\d\]: got .*; allowed: each type and percentage once/],
    ["a percentage is zero", (c) => (c.cost.budget.thresholds[0].percent = 0), /cost\.budget\.thresholds\[0\]\.percent: got 0; allowed: .*above 0/],
    ["an address is not one", (c) => (c.cost.budget.emails = ["platform-team"]), /cost\.budget\.emails\[0\]: got "platform-team"; allowed: an e-mail address/],
    ["an address repeats", (c) => c.cost.budget.emails.push(c.cost.budget.emails[0].toUpperCase()), /cost\.budget\.emails\[2\]: got .*; allowed: each address once/],
    ["no one is e-mailed", (c) => (c.cost.budget.emails = []), /cost\.budget\.emails: got \[\]; allowed: at least 1 item\(s\) \(at least one e-mail address\)/],
    ["the filter tag is not one of the environment's", (c) => (c.cost.budget.filterTag = "Team"), /cost\.budget\.filterTag: got "Team"; allowed: a key of tags with a value \(Owner, CostCentre, ManagedBy, Environment\)/],
    ["a field is misspelt", (c) => (c.cost.budget.monthlyLimit = 10), /cost\.budget\.monthlyLimit: got 10; allowed: no field "monthlyLimit" here \(did you mean "monthlyLimitUsd"\?\)/],
    ["ManagedBy, a cost-allocation tag, is missing", (c) => delete c.tags.ManagedBy, /tags\.ManagedBy: got nothing; allowed: a non-empty value; every environment tags Owner, CostCentre, Environment, ManagedBy/],
    ["a tag value has a comma, which the cluster's controllers would split", (c) => (c.tags.Owner = "platform,finance"), /tags\.Owner: got "platform,finance"; allowed: a key and value without ',', '=' or '\{\{'/],
  ])("fails when %s, naming the file and field", (_what, mutate, message) => {
    const lines = configErrorsWith(prod, mutate);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(lines.every((l) => l.startsWith('environments/prod.ts: environment "prod": ') || l.startsWith('environment "prod": '))).toBe(true);
  });
});
