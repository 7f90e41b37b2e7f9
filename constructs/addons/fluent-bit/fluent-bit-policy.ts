import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** What the `cloudwatch_logs` output calls: streams and events of existing groups, never `logs:CreateLogGroup`. */
export const FLUENT_BIT_LOG_ACTIONS: readonly string[] = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"];

/**
 * Fluent Bit's IAM statement: create and write streams of the named log groups only (each group's ARN and its
 * streams'). The groups are Terraform's, so no permission to create one.
 * @param logGroupArns ARNs of the groups (`aws_cloudwatch_log_group.arn`, without the trailing `:*`)
 */
export function fluentBitLogStatements(logGroupArns: readonly string[]): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "WritePlatformLogGroupsOnly",
      effect: "Allow",
      actions: [...FLUENT_BIT_LOG_ACTIONS],
      resources: logGroupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]),
    },
  ];
}
