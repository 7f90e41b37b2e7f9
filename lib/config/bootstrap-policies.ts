import type { EnvironmentConfig } from "./environment-schema";
import { parseArn } from "../aws/arns";
import type { PolicyDocument } from "./state-bucket-policy";

/**
 * The IAM documents of an environment's bootstrap (`<env>-bootstrap`): the trust and permissions of the deploy,
 * break-glass and key-admin roles the README describes. Framework-free, so the stack, the tests and a reader see the
 * same documents. The state bucket's policy is `stateBucketPolicy`.
 */

/** AWS's managed job-function policy the deploy and break-glass roles build on: every service but IAM and Organizations. */
export const POWER_USER_POLICY = "PowerUserAccess";

/** How long a session of a role that people assume (break-glass, key-admin) lasts, in seconds: one hour. */
export const PERSON_SESSION_SECONDS = 3600;

/**
 * IAM actions the platform's stacks need (IRSA and Pod Identity roles, node roles and instance profiles, the
 * cluster's OIDC provider, policies), on the environment's own account only: named, never `iam:*`.
 */
export const PLATFORM_IAM_ACTIONS: readonly string[] = [
  "iam:GetRole", "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:PassRole",
  "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRoleTags",
  "iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
  "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
  "iam:GetInstanceProfile", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
  "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile",
  "iam:GetOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:CreateServiceLinkedRole",
];

/** What changes a role: denied on the bootstrap's own roles to everyone but the bootstrap's administrator. */
const ROLE_CHANGES = [
  "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
  "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole",
];

/** What changes the state bucket's protection: its policy, encryption, versioning, public access block, the bucket itself. */
const STATE_BUCKET_CHANGES = [
  "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutBucketVersioning",
  "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:PutBucketAcl", "s3:PutLifecycleConfiguration",
];

/** The envelope use of the state key by the S3 backend (SSE-KMS). */
const STATE_KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

function partitionOf(config: EnvironmentConfig): string {
  return parseArn(config.iam.deployRoleArn)?.partition ?? "aws";
}

/** `arn:<partition>:iam::<account>:root`: the account, whose IAM policies then decide who may assume a role. */
export function accountRoot(config: EnvironmentConfig): string {
  return `arn:${partitionOf(config)}:iam::${config.account}:root`;
}

/**
 * A role's trust policy: the principals may assume it; people's roles (`requireMfa`) only with MFA.
 * @param principals role, user or account-root ARNs
 */
export function roleTrustPolicy(principals: readonly string[], requireMfa: boolean): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: requireMfa ? "AssumeWithMfa" : "Assume",
        Effect: "Allow",
        Principal: { AWS: [...principals] },
        Action: "sts:AssumeRole",
        ...(requireMfa ? { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } } : {}),
      },
    ],
  };
}

/** Denies changes to the bootstrap's roles and the state bucket's protection: neither CI nor an emergency rewrites them. */
function bootstrapGuards(config: EnvironmentConfig): Array<Record<string, unknown>> {
  return [
    {
      Sid: "DenyChangesToTheBootstrapRoles",
      Effect: "Deny",
      Action: ROLE_CHANGES,
      Resource: [config.iam.deployRoleArn, config.iam.breakGlassRoleArn, config.iam.keyAdminRoleArn],
    },
    {
      Sid: "DenyChangesToTheStateBucketsProtection",
      Effect: "Deny",
      Action: STATE_BUCKET_CHANGES,
      Resource: [`arn:${partitionOf(config)}:s3:::${config.backend.bucket}`],
    },
  ];
}

/** The platform's IAM rights, on the environment's account only. */
function platformIam(config: EnvironmentConfig): Record<string, unknown> {
  const iam = (resource: string) => `arn:${partitionOf(config)}:iam::${config.account}:${resource}`;
  return {
    Sid: "PlatformIamOfThisAccount",
    Effect: "Allow",
    Action: [...PLATFORM_IAM_ACTIONS],
    Resource: [iam("role/*"), iam("policy/*"), iam("instance-profile/*"), iam("oidc-provider/*")],
  };
}

/**
 * The deploy role's own policy (beside `PowerUserAccess`): the state (list its prefix, read and write its objects,
 * use its key), a token for the cluster as itself (`aws eks get-token --role-arn`), the platform's IAM on its own
 * account, and nothing that changes the bootstrap.
 * @param stateKeyArn the state key's ARN (a token inside the bootstrap stack)
 */
export function deployRolePolicy(config: EnvironmentConfig, stateKeyArn: string): PolicyDocument {
  const bucket = `arn:${partitionOf(config)}:s3:::${config.backend.bucket}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListTheStatePrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucket,
        Condition: { StringLike: { "s3:prefix": [`${config.backend.keyPrefix}/*`] } },
      },
      { Sid: "ReadAndWriteTheState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucket}/${config.backend.keyPrefix}/*` },
      { Sid: "UseTheStateKey", Effect: "Allow", Action: STATE_KEY_USE, Resource: stateKeyArn },
      { Sid: "AssumeItselfForClusterTokens", Effect: "Allow", Action: "sts:AssumeRole", Resource: config.iam.deployRoleArn },
      platformIam(config),
      ...bootstrapGuards(config),
    ],
  };
}

/**
 * The break-glass role's own policy (beside `PowerUserAccess`, which holds KMS: the storage keys' policies let only
 * this role delete, disable or re-policy them): the platform's IAM on its own account, and nothing that changes
 * the bootstrap (that stays with the administrator who ran it).
 */
export function breakGlassRolePolicy(config: EnvironmentConfig): PolicyDocument {
  return { Version: "2012-10-17", Statement: [platformIam(config), ...bootstrapGuards(config)] };
}

/**
 * The key-admin role's policy: keep the account's keys healthy (rotation, aliases, tags, description, grants) and
 * read them; never use a key, delete, disable or re-policy one (denied outright, whatever else it is given).
 */
export function keyAdminRolePolicy(config: EnvironmentConfig, adminActions: readonly string[], breakGlassOnly: readonly string[]): PolicyDocument {
  const kms = (resource: string) => `arn:${partitionOf(config)}:kms:${config.region}:${config.account}:${resource}`;
  const regions = [...new Set([config.region, config.backend.region])];
  const keys = regions.map((r) => `arn:${partitionOf(config)}:kms:${r}:${config.account}:key/*`);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AdministerKeysOfThisAccount", Effect: "Allow", Action: [...adminActions], Resource: keys },
      { Sid: "ManageAliasesOfThisAccount", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: [kms("alias/*")] },
      { Sid: "ListKeys", Effect: "Allow", Action: ["kms:ListKeys", "kms:ListAliases"], Resource: "*" },
      {
        Sid: "NeverUseDeleteOrRepolicyAKey",
        Effect: "Deny",
        Action: [
          "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
          "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:CreateGrant", ...breakGlassOnly,
        ],
        Resource: "*",
      },
    ],
  };
}
