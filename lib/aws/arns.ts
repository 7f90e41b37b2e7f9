/**
 * ARN and id shapes shared by the configuration schema and the constructs (IAM's are in `iam.ts`).
 */

/** A KMS key ARN (not an alias): `arn:aws:kms:eu-west-1:111122223333:key/<id>`. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The region of an ARN (its fourth field), or undefined for text that is not an ARN. */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" ? parts[3] : undefined;
}

/** An AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
