import { Construct } from "constructs";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { requireProps, throwIfProblems, ValidationProblem } from "../common/validation";

/** Props of {@link CostAllocationTags}. */
export interface CostAllocationTagsProps {
  /** The user-defined tag keys to activate for cost allocation. */
  readonly tagKeys: readonly string[];
}

/**
 * Activates user-defined tags for cost allocation in the account's billing (Cost Explorer, AWS Budgets and the cost
 * and usage reports can then group and filter by them). Only an account that pays its own bill can: a stand-alone
 * account or an organization's management account. Billing sees a tag key up to a day after a resource first
 * carries it, and activating a key it has not seen fails: deploy this after the tagged resources have existed a day.
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/activating-tags.html
 */
export class CostAllocationTags extends Construct {
  /** The activation of each key, by key. */
  public readonly tags: Readonly<Record<string, CeCostAllocationTag>>;

  constructor(scope: Construct, id: string, props: CostAllocationTagsProps) {
    super(scope, id);
    requireProps(this, props, { tagKeys: "the tag keys to activate, e.g. [\"Environment\", \"CostCentre\"]" });
    throwIfProblems(this.node.path, validateCostAllocationTagsProps(props));
    const tags: Record<string, CeCostAllocationTag> = {};
    for (const key of props.tagKeys) {
      // Keyed by the tag key itself, never by list position: reordering the list moves no address.
      tags[key] = new CeCostAllocationTag(this, key.replace(/[^A-Za-z0-9]/g, "_"), { tagKey: key, status: "Active" });
    }
    this.tags = tags;
  }
}

/** Checks {@link CostAllocationTagsProps} without building anything. */
export function validateCostAllocationTagsProps(props: CostAllocationTagsProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.tagKeys.length === 0) problems.push({ path: "tagKeys", value: [], allowed: "at least one tag key" });
  const ids = new Set<string>();
  props.tagKeys.forEach((key, i) => {
    if (key.trim() === "" || key.length > 128 || key.toLowerCase().startsWith("aws:")) {
      problems.push({ path: `tagKeys[${i}]`, value: key, allowed: "a user-defined tag key of at most 128 characters, not starting with 'aws:'" });
    }
    const id = key.replace(/[^A-Za-z0-9]/g, "_");
    if (ids.has(id)) problems.push({ path: `tagKeys[${i}]`, value: key, allowed: "each key once" });
    ids.add(id);
  });
  return problems;
}
