import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey, validateKmsKeyProps } from "../../../constructs/common/kms-key";

function synth(props: ConstructorParameters<typeof KmsKey>[2]) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const key = new KmsKey(stack, "Key", props);
  return { key, json: Testing.synth(stack), parsed: JSON.parse(Testing.synth(stack)) };
}

describe("KmsKey", () => {
  test("rotates yearly with a 30-day deletion window and an explicit policy by default", () => {
    const { json, key } = synth({ description: "test" });
    expect(json).toHaveResourceWithProperties(KmsKeyResource, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(key.deletionWindowInDays).toBe(30);
    expect(json).not.toHaveResource(KmsAlias);
  });

  test("lets CloudWatch Logs use the key only for this account's log groups", () => {
    const { parsed } = synth({ description: "logs", allowCloudWatchLogs: true });
    const doc = Object.values(parsed.data.aws_iam_policy_document)[0] as { statement: Array<{ sid: string; condition?: unknown[] }> };
    const logs = doc.statement.find((s) => s.sid === "CloudWatchLogsOfThisAccount");
    expect(logs?.condition).toEqual([
      expect.objectContaining({ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn" }),
    ]);
  });

  test("sets prevent_destroy when asked", () => {
    const { parsed } = synth({ description: "state", preventDestroy: true, alias: "platform/state" });
    const key = Object.values(parsed.resource.aws_kms_key)[0] as { lifecycle?: { prevent_destroy?: boolean } };
    expect(key.lifecycle?.prevent_destroy).toBe(true);
    expect(JSON.stringify(parsed.resource.aws_kms_alias)).toContain("alias/platform/state");
  });

  test("fails when the deletion window is outside 7–30 days", () => {
    expect(() => synth({ description: "x", deletionWindowInDays: 3 })).toThrow(/deletionWindowInDays: got 3; allowed: a whole number of days from 7 to 30/);
  });

  test("fails when the alias uses the reserved aws/ prefix", () => {
    expect(validateKmsKeyProps({ description: "x", alias: "aws/ebs" })).toEqual([
      expect.objectContaining({ path: "alias" }),
    ]);
  });
});
