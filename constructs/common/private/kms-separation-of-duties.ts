import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * What key administrators may do: keep the key healthy (rotation, aliases, tags, description, grant
 * clean-up) and read its configuration. Nothing here encrypts, decrypts or grants use, and nothing deletes,
 * disables or re-policies the key: those are {@link BREAK_GLASS_ONLY_ACTIONS}.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:RevokeGrant",
  "kms:RetireGrant",
  "kms:CancelKeyDeletion",
];

/** Actions that destroy or open up a key: the break-glass role's alone, denied to everyone else. */
export const BREAK_GLASS_ONLY_ACTIONS: readonly string[] = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation"];

/** Separation of duties of a key; see `KmsKeyProps.administration`. */
export interface KmsKeyAdministration {
  /**
   * Roles that administer the key and can never use it. Include the role Terraform deploys with: it
   * creates the key, its alias and tags, and reads them back on every plan.
   */
  readonly adminRoleArns: readonly string[];
  /** The only principal that may change the key policy, schedule deletion, or disable the key or its rotation. */
  readonly breakGlassRoleArn: string;
}

/** The parts of the key's context the statements need. */
export interface KeyContext {
  readonly accountId: string;
  readonly accountRoot: string;
  /** `kms:ViaService` values, `<service>.<region>.amazonaws.com`. */
  readonly viaServices: readonly string[];
  readonly envelopeActions: readonly string[];
}

/**
 * Key policy statements with separation of duties (AWS FSBP KMS.3): administrators without use, use only by
 * principals of this account through the owning services (`kms:ViaService` + `kms:CallerAccount`, granted
 * to them by IAM), and deletion, disabling and policy changes by the break-glass role alone. There is no
 * account-root `kms:*`: an IAM administrator cannot decrypt outside the service or delete the key.
 */
export function separationOfDutiesStatements(admin: KmsKeyAdministration, ctx: KeyContext): DataAwsIamPolicyDocumentStatement[] {
  const throughServices = [
    { test: "StringEquals", variable: "kms:CallerAccount", values: [ctx.accountId] },
    { test: "StringEquals", variable: "kms:ViaService", values: [...ctx.viaServices] },
  ];
  return [
    {
      sid: "KeyAdministrationWithoutUse",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [...admin.adminRoleArns, admin.breakGlassRoleArn] }],
      actions: [...KEY_ADMIN_ACTIONS],
      resources: ["*"],
    },
    {
      sid: "BreakGlassDeletesDisablesAndChangesPolicy",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [admin.breakGlassRoleArn] }],
      actions: [...BREAK_GLASS_ONLY_ACTIONS],
      resources: ["*"],
    },
    {
      sid: "UseOnlyThroughOwningServicesOfThisAccount",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [ctx.accountRoot] }],
      actions: [...ctx.envelopeActions],
      resources: ["*"],
      condition: throughServices,
    },
    {
      // EFS (and EBS) keep using the key for a resource through a grant they create at its creation.
      sid: "GrantsOnlyForAwsResourcesThroughOwningServices",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [ctx.accountRoot] }],
      actions: ["kms:CreateGrant"],
      resources: ["*"],
      condition: [...throughServices, { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    },
    {
      // Defence in depth: even a statement added later cannot let anyone else delete or re-policy the key.
      sid: "DenyDeletionAndPolicyChangesButBreakGlass",
      effect: "Deny",
      principals: [{ type: "AWS", identifiers: ["*"] }],
      actions: [...BREAK_GLASS_ONLY_ACTIONS],
      resources: ["*"],
      condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [admin.breakGlassRoleArn] }],
    },
  ];
}
