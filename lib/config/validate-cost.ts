import type { ValidationProblem } from "../problems";
import type { EnvironmentConfig } from "./environment-schema";

/** The tag the budget filters by when `cost.budget.filterTag` is not given. */
export const DEFAULT_BUDGET_FILTER_TAG = "Environment";

/** Rules between fields of the cost section (the shape is checked by the schema first). */
export function costProblems(c: EnvironmentConfig): ValidationProblem[] {
  const budget = c.cost?.budget;
  if (budget === undefined) return [];
  const problems: ValidationProblem[] = [];
  const filterTag = budget.filterTag ?? DEFAULT_BUDGET_FILTER_TAG;
  const tagValue = c.tags[filterTag];
  if (tagValue === undefined || tagValue.trim() === "") {
    problems.push({
      path: "cost.budget.filterTag",
      value: filterTag,
      allowed: `a key of tags with a value (${Object.keys(c.tags).join(", ")}): the budget counts the resources tagged with it`,
    });
  }
  const seen = new Set<string>();
  budget.thresholds.forEach((t, i) => {
    const key = `${t.type} ${t.percent}`;
    if (seen.has(key)) problems.push({ path: `cost.budget.thresholds[${i}]`, value: t, allowed: "each type and percentage once (AWS Budgets refuses a duplicate notification)" });
    seen.add(key);
  });
  const emails = new Set<string>();
  budget.emails.forEach((e, i) => {
    if (emails.has(e.toLowerCase())) problems.push({ path: `cost.budget.emails[${i}]`, value: e, allowed: "each address once" });
    emails.add(e.toLowerCase());
  });
  return problems;
}

/** The budget's cost filter value, `user:<key>$<value>`: Cost Explorer's name for an activated user tag. */
export function budgetTagFilter(c: Pick<EnvironmentConfig, "tags" | "cost">): { key: string; value: string; filter: string } | undefined {
  const budget = c.cost?.budget;
  if (budget === undefined) return undefined;
  const key = budget.filterTag ?? DEFAULT_BUDGET_FILTER_TAG;
  const value = c.tags[key] ?? "";
  return { key, value, filter: `user:${key}$${value}` };
}
