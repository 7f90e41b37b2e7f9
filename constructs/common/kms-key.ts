import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { throwIfProblems, ValidationProblem } from "./validation";

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
   * Let CloudWatch Logs in this account and region use the key, restricted by the
   * `kms:EncryptionContext:aws:logs:arn` condition to log groups of this account.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * AWS services (e.g. `eks.amazonaws.com`) allowed to use the key through a grant or
   * `kms:ViaService` in this region, for this account only.
   * @default - none
   */
  readonly viaServices?: readonly string[];
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
}

/**
 * A customer-managed symmetric KMS key with yearly rotation and an explicit key policy:
 * the account administers the key through IAM, and named services may use it only from this account.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class KmsKey extends Construct {
  public readonly key: KmsKeyResource;
  /** ARN of the key. */
  public readonly keyArn: string;
  /** Resolved deletion window in days. */
  public readonly deletionWindowInDays: number;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    this.deletionWindowInDays = props.deletionWindowInDays ?? 30;
    throwIfProblems(this.node.path, validateKmsKeyProps(props));

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");
    const accountRoot = `arn:${partition.partition}:iam::${account.accountId}:root`;

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "AccountAdministersKeyThroughIam",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [accountRoot] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        sid: "CloudWatchLogsOfThisAccount",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [`logs.${region.region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: [`arn:${partition.partition}:logs:${region.region}:${account.accountId}:log-group:*`],
          },
        ],
      });
    }
    if (props.viaServices && props.viaServices.length > 0) {
      statements.push({
        sid: "ServicesOfThisAccount",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        resources: ["*"],
        condition: [
          { test: "StringEquals", variable: "kms:CallerAccount", values: [account.accountId] },
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: props.viaServices.map((s) => `${s.replace(/\.amazonaws\.com$/, "")}.${region.region}.amazonaws.com`),
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
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.keyArn = this.key.arn;
    if (props.alias) {
      new KmsAlias(this, "Alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    }
  }
}

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
  return problems;
}
