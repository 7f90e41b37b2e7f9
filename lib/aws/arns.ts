/**
 * ARN and id shapes shared by the configuration schema and the constructs (IAM's are in `iam.ts`).
 */

/** A KMS key ARN (not an alias): `arn:aws:kms:eu-west-1:111122223333:key/<id>`. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The fields of an ARN, `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The fields of an ARN, or undefined for text that is not one. */
export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, account, ...resource] = parts as [string, string, string, string, string, ...string[]];
  return { partition, service, region, account, resource: resource.join(":") };
}

/** An AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** An EKS cluster ARN: `arn:aws:eks:eu-west-1:111122223333:cluster/<name>`. */
export const EKS_CLUSTER_ARN = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/.+$/;

/** An AWS Private CA certificate authority ARN: `arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/<uuid>`. */
export const ACM_PCA_CERTIFICATE_AUTHORITY_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
