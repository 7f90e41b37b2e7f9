/**
 * IAM naming rules, shared by configuration validation and the constructs.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** An IAM role ARN in any partition: `arn:<partition>:iam::<account>:role/<path/><name>`. */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** The rule in words, for messages. */
export const IAM_ROLE_ARN_RULE = "an IAM role ARN, arn:aws:iam::<account>:role/<name>";

/** The name of a role (the last segment of its path): `arn:aws:iam::1:role/team/ops` → `ops`. */
export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
