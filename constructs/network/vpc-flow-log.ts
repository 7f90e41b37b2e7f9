import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { CLOUDWATCH_RETENTION_DAYS, isCloudWatchRetentionDays } from "../../lib/aws/cloudwatch-logs";
import { KmsKey } from "../common/kms-key";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../common/validation";

export { CLOUDWATCH_RETENTION_DAYS } from "../../lib/aws/cloudwatch-logs";

/** Props of {@link VpcFlowLog}. */
export interface VpcFlowLogProps {
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /**
   * Days CloudWatch Logs keeps the records; one of {@link CLOUDWATCH_RETENTION_DAYS}.
   * @default 365
   */
  readonly retentionInDays?: number;
  /**
   * ARN of an existing KMS key that lets CloudWatch Logs encrypt this log group (see `KmsKey`'s
   * `cloudWatchLogGroupNames`).
   * @default - a new customer-managed key with yearly rotation, usable by CloudWatch Logs for this log
   * group's name prefix only
   */
  readonly kmsKeyArn?: string;
  /**
   * Alias of the key this construct creates, without `alias/` (e.g. `<network name>/flow-logs`). Ignored
   * with `kmsKeyArn`.
   * @default - no alias
   */
  readonly keyAlias?: string;
  /**
   * Terraform `prevent_destroy` on the log group and on the key this construct creates: the flow logs are
   * audit evidence, and deleting the key makes them unreadable.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Prefix of the log group name; Terraform appends a unique suffix so two stacks in one account never clash.
   * @default "/aws/vpc-flow-logs/"
   */
  readonly logGroupNamePrefix?: string;
}

/**
 * VPC flow logs of ALL traffic (accepted and rejected) to a CloudWatch log group encrypted with a
 * customer-managed key. The delivery role may only write streams of that one log group, and only the
 * flow-logs service of this account may assume it (`aws:SourceAccount`/`aws:SourceArn`, against the
 * confused-deputy problem).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export class VpcFlowLog extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly role: IamRole;
  public readonly flowLog: FlowLog;
  /** The key created for the log group; undefined when `kmsKeyArn` was given. */
  public readonly key?: KmsKey;
  /** Resolved retention in days. */
  public readonly retentionInDays: number;
  /** ARN of the key that encrypts the log group. */
  public readonly kmsKeyArn: string;
  /** Resolved prefix of the log group name. */
  public readonly logGroupNamePrefix: string;
  public readonly preventDestroy: boolean;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    requireProps(this, props, { vpcId: "the id of the VPC whose traffic is logged" });
    this.retentionInDays = props.retentionInDays ?? 365;
    this.logGroupNamePrefix = props.logGroupNamePrefix ?? "/aws/vpc-flow-logs/";
    this.preventDestroy = props.preventDestroy ?? false;
    throwIfProblems(this.node.path, validateVpcFlowLogProps(props));

    if (props.kmsKeyArn === undefined) {
      // The group's name is only known after apply (name_prefix), and naming the group here would make the
      // key depend on the group that depends on the key: its name prefix scopes the grant instead.
      this.key = new KmsKey(this, "Key", {
        description: "Encrypts VPC flow logs",
        alias: props.keyAlias,
        cloudWatchLogGroupNames: [`${this.logGroupNamePrefix}*`],
        preventDestroy: this.preventDestroy,
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? (this.key as KmsKey).keyArn;

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      namePrefix: this.logGroupNamePrefix,
      retentionInDays: this.retentionInDays,
      kmsKeyId: this.kmsKeyArn,
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });

    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [
        {
          sid: "FlowLogsServiceOfThisAccount",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [`arn:${partition.partition}:ec2:${region.region}:${account.accountId}:vpc-flow-log/*`],
            },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "Role", {
      assumeRolePolicy: trust.json,
      description: "Delivers VPC flow logs to one CloudWatch log group",
    });
    // The log group exists before the flow log, so the role needs neither logs:CreateLogGroup nor a
    // `*` resource: only writing streams of this group.
    const permissions = new DataAwsIamPolicyDocument(this, "Permissions", {
      statement: [
        {
          sid: "WriteThisLogGroupOnly",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "RolePolicy", { role: this.role.id, policy: permissions.json });

    this.flowLog = new FlowLog(this, "FlowLog", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
    });
  }
}

/** Checks {@link VpcFlowLogProps} without building anything. */
export function validateVpcFlowLogProps(props: VpcFlowLogProps): ValidationProblem[] {
  return retentionProblems("retentionInDays", props.retentionInDays);
}

/** The problem with a log retention period given at `path`, if any (shared with `Network`'s props). */
export function retentionProblems(path: string, days: number | undefined): ValidationProblem[] {
  if (days === undefined || isUnresolved(days) || isCloudWatchRetentionDays(days)) return [];
  return [{ path, value: days, allowed: `one of the CloudWatch Logs retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")} days` }];
}
