import type { Construct } from "constructs";
import { uniqueName, type UniqueNameRule } from "../../lib/naming/unique-name";

export type { UniqueNameRule } from "../../lib/naming/unique-name";

/**
 * The default for a name that must be unique in an AWS account (KMS alias, IAM role, log group, bucket):
 * derived from the construct's full path, which starts with its stack's id, so two teams' stacks that use
 * the same construct ids never collide.
 */
export function defaultUniqueName(scope: Construct, rule: UniqueNameRule): string {
  return uniqueName(scope.node.path, rule);
}
