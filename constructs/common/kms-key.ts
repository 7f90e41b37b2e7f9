import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { placeOnProvider } from "./provider-placement";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";
import { KmsKeyAdministration, separationOfDutiesStatements } from "./private/kms-separation-of-duties";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "./validation";

export { BREAK_GLASS_ONLY_ACTIONS, KEY_ADMIN_ACTIONS } from "./private/kms-separation-of-duties";
export type { KmsKeyAdministration } from "./private/kms-separation-of-duties";

/**
 * What a service needs to envelope-encrypt with a key, named one by one: scanners (Trivy) flag wildcard
 * actions, and `kms:GenerateDataKey*` would also grant the asymmetric `GenerateDataKeyPair*` no one here uses.
 */
export const KMS_ENVELOPE_ACTIONS: readonly string[] = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
];

/** Props of {@link KmsKey}. */
export interface KmsKeyProps {
  /** What the key protects; shown in the AWS console. */
  readonly description: string;
  /**
   * Alias without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * Let CloudWatch Logs in this account and region use the key for ANY log group of this account
   * (`kms:EncryptionContext:aws:logs:arn` = `…:log-group:*`). Prefer `cloudWatchLogGroupNames`, which
   * names the log groups.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Let CloudWatch Logs in this account and region use the key only for these log groups: exact names, or
   * name prefixes ending in `*` (for groups created with `name_prefix`). Each becomes
   * `arn:<partition>:logs:<region>:<account>:log-group:<name>` in the `kms:EncryptionContext:aws:logs:arn`
   * condition. Takes precedence over `allowCloudWatchLogs`.
   * @default - as `allowCloudWatchLogs` says
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly cloudWatchLogGroupNames?: readonly string[];
  /**
   * AWS services (e.g. `ec2.amazonaws.com`) allowed to use the key on behalf of any principal of this
   * account, in this region (`kms:ViaService` and `kms:CallerAccount`), as AWS-managed keys such as
   * `aws/ebs` do. The statement's principal is `AWS: "*"`, which Checkov reports as CKV_AWS_33; use it only
   * where the callers cannot be named, and prefer identity policies of named roles otherwise.
   * @default - none
   */
  readonly viaServices?: readonly string[];
  /**
   * Separation of duties (AWS FSBP KMS.3): the named roles administer the key without being able to use it;
   * principals of this account use it only through `viaServices` (required then), as IAM allows them; only
   * the break-glass role may change the policy, schedule deletion or disable the key. Replaces the
   * account-root `kms:*` statement and the `AWS: "*"` principal of `viaServices`.
   * @default - the account administers the key through IAM (account-root `kms:*`)
   */
  readonly administration?: KmsKeyAdministration;
  /**
   * Extra key policy statements, appended after the defaults.
   * @default - none
   */
  readonly extraStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Waiting period before a scheduled deletion, in days (7–30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Terraform `prevent_destroy`: `terraform destroy` and replacements fail instead of deleting the key.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * The AWS provider the key (and the data sources its policy reads) is created with: an aliased provider of another
   * region, for a replica's key.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed symmetric KMS key with yearly rotation and an explicit key policy: the account
 * administers the key through IAM, or, with `administration`, named roles administer it without use and
 * only a break-glass role may delete it; named services may use it only from this account.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class KmsKey extends Construct {
  public readonly key: KmsKeyResource;
  /** ARN of the key. */
  public readonly keyArn: string;
  /** Resolved deletion window in days. */
  public readonly deletionWindowInDays: number;
  /**
   * Log group names (or `*`-terminated prefixes) CloudWatch Logs may use the key for: `["*"]` with
   * `allowCloudWatchLogs` alone, empty when CloudWatch Logs may not use the key.
   */
  public readonly cloudWatchLogGroupNames: readonly string[];

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    requireProps(this, props, { description: "what the key protects, shown in the AWS console" });
    this.deletionWindowInDays = props.deletionWindowInDays ?? 30;
    this.cloudWatchLogGroupNames = props.cloudWatchLogGroupNames
      ? [...props.cloudWatchLogGroupNames]
      : props.allowCloudWatchLogs
        ? ["*"]
        : [];
    throwIfProblems(this.node.path, validateKmsKeyProps(props));

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");
    const accountRoot = `arn:${partition.partition}:iam::${account.accountId}:root`;

    const viaServices = (props.viaServices ?? []).map((s) => `${s.replace(/\.amazonaws\.com$/, "")}.${region.region}.amazonaws.com`);
    const statements: DataAwsIamPolicyDocumentStatement[] = props.administration
      ? separationOfDutiesStatements(props.administration, {
          accountId: account.accountId,
          accountRoot,
          viaServices,
          envelopeActions: KMS_ENVELOPE_ACTIONS,
        })
      : [
          {
            sid: "AccountAdministersKeyThroughIam",
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: [accountRoot] }],
            actions: ["kms:*"],
            resources: ["*"],
          },
        ];
    if (this.cloudWatchLogGroupNames.length > 0) {
      const logGroupArn = (name: string) => `arn:${partition.partition}:logs:${region.region}:${account.accountId}:log-group:${name}`;
      statements.push({
        sid: "CloudWatchLogsOfThisAccount",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [`logs.${region.region}.amazonaws.com`] }],
        actions: [...KMS_ENVELOPE_ACTIONS],
        resources: ["*"],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: this.cloudWatchLogGroupNames.map(logGroupArn),
          },
        ],
      });
    }
    if (!props.administration && viaServices.length > 0) {
      statements.push({
        sid: "ServicesOfThisAccount",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: [...KMS_ENVELOPE_ACTIONS, "kms:CreateGrant"],
        resources: ["*"],
        condition: [
          { test: "StringEquals", variable: "kms:CallerAccount", values: [account.accountId] },
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: viaServices,
          },
        ],
      });
    }
    statements.push(...(props.extraStatements ?? []));

    const policy = new DataAwsIamPolicyDocument(this, "Policy", { statement: statements });
    this.key = new KmsKeyResource(this, "Key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: this.deletionWindowInDays,
      policy: policy.json,
      // With separation of duties the deploying role may not change the policy it creates; KMS's lockout
      // check only knows the caller, but the break-glass role keeps kms:PutKeyPolicy, so no one is locked out.
      bypassPolicyLockoutSafetyCheck: props.administration ? true : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.keyArn = this.key.arn;
    if (props.alias) {
      new KmsAlias(this, "Alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    }
    if (props.provider) placeOnProvider(this, props.provider);
  }
}

const LOG_GROUP_NAME_OR_PREFIX = /^[A-Za-z0-9._\-/#]{1,512}\*?$/;

/** Checks {@link KmsKeyProps} without building anything. */
export function validateKmsKeyProps(props: KmsKeyProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const window = props.deletionWindowInDays;
  if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) {
    problems.push({ path: "deletionWindowInDays", value: window, allowed: "a whole number of days from 7 to 30" });
  }
  if (props.alias !== undefined && !/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias)) {
    problems.push({ path: "alias", value: props.alias, allowed: "letters, digits, '/', '_' and '-' (no 'alias/' prefix)" });
  }
  if (props.alias?.startsWith("aws/")) {
    problems.push({ path: "alias", value: props.alias, allowed: "a name not starting with 'aws/' (reserved for AWS-managed keys)" });
  }
  const admin = props.administration;
  if (admin && (!Array.isArray(admin.adminRoleArns) || typeof admin.breakGlassRoleArn !== "string")) {
    if (!Array.isArray(admin.adminRoleArns)) problems.push({ path: "administration.adminRoleArns", value: admin.adminRoleArns, allowed: "a list of key administrator role ARNs (include the role Terraform deploys with)" });
    if (typeof admin.breakGlassRoleArn !== "string") problems.push({ path: "administration.breakGlassRoleArn", value: admin.breakGlassRoleArn, allowed: IAM_ROLE_ARN_RULE });
  } else if (admin) {
    if (admin.adminRoleArns.length === 0) problems.push({ path: "administration.adminRoleArns", value: [], allowed: "at least one role (include the role Terraform deploys with)" });
    const roles: Array<[string, string]> = [...admin.adminRoleArns.map((a, i): [string, string] => [`administration.adminRoleArns[${i}]`, a]), ["administration.breakGlassRoleArn", admin.breakGlassRoleArn]];
    for (const [path, arn] of roles) {
      if (!isUnresolved(arn) && !IAM_ROLE_ARN.test(arn)) problems.push({ path, value: arn, allowed: IAM_ROLE_ARN_RULE });
    }
    if (admin.adminRoleArns.includes(admin.breakGlassRoleArn)) {
      problems.push({ path: "administration.breakGlassRoleArn", value: admin.breakGlassRoleArn, allowed: "a role that is not also a key administrator" });
    }
    if ((props.viaServices ?? []).length === 0) {
      problems.push({ path: "viaServices", value: props.viaServices, allowed: "at least one service (e.g. s3) with administration: principals use the key only through it" });
    }
  }
  const names = props.cloudWatchLogGroupNames;
  if (names !== undefined && !isUnresolved(names)) {
    if (names.length === 0) {
      problems.push({ path: "cloudWatchLogGroupNames", value: [], allowed: "at least one log group name, or leave it out" });
    }
    if (props.allowCloudWatchLogs === false && names.length > 0) {
      problems.push({ path: "allowCloudWatchLogs", value: false, allowed: "true or nothing when cloudWatchLogGroupNames is given" });
    }
    names.forEach((name, i) => {
      if (!isUnresolved(name) && !LOG_GROUP_NAME_OR_PREFIX.test(name)) {
        problems.push({
          path: `cloudWatchLogGroupNames[${i}]`,
          value: name,
          allowed: "a log group name (1–512 letters, digits, '.', '-', '_', '/', '#'), optionally ending in '*' as a prefix",
        });
      }
    });
  }
  return problems;
}
