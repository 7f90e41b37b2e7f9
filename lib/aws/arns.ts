/**
 * ARN shapes shared by the configuration schema and the constructs, so both accept and refuse the same.
 */

/** An IAM role ARN, with an optional path: `arn:aws:iam::111122223333:role/path/name`. */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** A KMS key ARN (not an alias): `arn:aws:kms:eu-west-1:111122223333:key/<id>`. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The account id of an ARN (its fifth field), or undefined for text that is not an ARN. */
export function arnAccount(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" ? parts[4] : undefined;
}

/** The region of an ARN (its fourth field), or undefined for text that is not an ARN. */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" ? parts[3] : undefined;
}

/** The name of a role (the last segment of its path): `arn:aws:iam::1:role/team/ops` → `ops`. */
export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** An AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
