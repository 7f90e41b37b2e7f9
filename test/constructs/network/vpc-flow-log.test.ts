import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { validateVpcFlowLogProps, VpcFlowLog, VpcFlowLogProps } from "../../../constructs/network";

function synth(props: VpcFlowLogProps) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const flowLog = new VpcFlowLog(stack, "FlowLog", props);
  return { flowLog, json: Testing.synth(stack) };
}

describe("VpcFlowLog", () => {
  test("logs ALL traffic of the VPC to a new encrypted group kept 365 days by default", () => {
    const { json, flowLog } = synth({ vpcId: "vpc-1" });
    expect(json).toHaveResourceWithProperties(FlowLog, { vpc_id: "vpc-1", traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 365, name_prefix: "/aws/vpc-flow-logs/" });
    expect(json).toHaveResource(KmsKey);
    expect(flowLog.retentionInDays).toBe(365);
    expect(flowLog.key).toBeDefined();
  });

  test("uses a given key and name prefix", () => {
    const { json, flowLog } = synth({ vpcId: "vpc-1", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k", logGroupNamePrefix: "/x/" });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/k", name_prefix: "/x/" });
    expect(json).not.toHaveResource(KmsKey);
    expect(flowLog.key).toBeUndefined();
  });

  test("protects the log group and its key from destruction when asked", () => {
    const { json, flowLog } = synth({ vpcId: "vpc-1", preventDestroy: true });
    expect(flowLog.preventDestroy).toBe(true);
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
  });

  test("protects the log group even with a given key", () => {
    const { json } = synth({ vpcId: "vpc-1", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k", preventDestroy: true });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { lifecycle: { prevent_destroy: true } });
  });

  test("scopes the new key to log groups of its name prefix and aliases it when asked", () => {
    const { json, flowLog } = synth({ vpcId: "vpc-1", logGroupNamePrefix: "/flows/dev-", keyAlias: "dev/flow-logs" });
    expect(flowLog.key?.cloudWatchLogGroupNames).toEqual(["/flows/dev-*"]);
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: "alias/dev/flow-logs" });
  });

  test("fails when the retention is not a CloudWatch Logs period", () => {
    expect(() => synth({ vpcId: "vpc-1", retentionInDays: 366 })).toThrow(/retentionInDays: got 366; allowed: one of the CloudWatch Logs retention periods/);
    expect(validateVpcFlowLogProps({ vpcId: "v", retentionInDays: 0 })).toHaveLength(1);
    expect(validateVpcFlowLogProps({ vpcId: "v", retentionInDays: 3653 })).toEqual([]);
  });
});
