import type { EnvironmentConfig } from "./environment-schema";
import { parseArn } from "../aws/arns";

/** An IAM policy document as JSON. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The bucket policy an environment's state bucket must carry, derived from its configuration, so the
 * README's bootstrap step and the stacks never disagree. It denies: plain HTTP; any object outside the
 * environment's key prefix (another environment's state never lands here); reading or writing the state
 * as anyone but the deploy and break-glass roles; and state objects not encrypted with the environment's key.
 * The synth writes it to `cdktf.out/bootstrap/<env>/state-bucket-policy.json`.
 */
export function stateBucketPolicy(config: EnvironmentConfig): PolicyDocument {
  const partition = parseArn(config.iam.deployRoleArn)?.partition ?? "aws";
  const bucket = `arn:${partition}:s3:::${config.backend.bucket}`;
  const prefix = `${bucket}/${config.backend.keyPrefix}/`;
  const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket, `${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyObjectsOutsideThisEnvironmentsPrefix",
        Effect: "Deny",
        Principal: "*",
        Action: objectActions,
        NotResource: [`${prefix}*`],
      },
      {
        Sid: "DenyStateToAnyoneButDeployAndBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: objectActions,
        Resource: [`${prefix}*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [config.iam.deployRoleArn, config.iam.breakGlassRoleArn] } },
      },
      {
        Sid: "DenyStateNotEncryptedWithTheEnvironmentsKey",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: [`${prefix}*.tfstate`],
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": config.backend.kmsKeyId } },
      },
    ],
  };
}
