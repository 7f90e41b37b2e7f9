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

type Statement = { sid: string; actions: string[]; condition?: Array<{ test: string; variable: string; values: string[] }> };

function statements(parsed: any): Statement[] {
  return (Object.values(parsed.data.aws_iam_policy_document)[0] as { statement: Statement[] }).statement;
}

function statement(parsed: any, sid: string): Statement {
  const found = statements(parsed).find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

/** The log group ARN patterns of the CloudWatch Logs statement's encryption-context condition. */
function logArnPatterns(parsed: any): string[] {
  const condition = statement(parsed, "CloudWatchLogsOfThisAccount").condition ?? [];
  return condition.find((c) => c.variable === "kms:EncryptionContext:aws:logs:arn")?.values ?? [];
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

  test("grants CloudWatch Logs exact actions, never a wildcard", () => {
    const { parsed } = synth({ description: "logs", allowCloudWatchLogs: true });
    const logs = statement(parsed, "CloudWatchLogsOfThisAccount");
    expect(logs.actions).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]));
    expect(logs.actions.filter((a: string) => a.includes("*"))).toEqual([]);
  });

  test("admits any log group of the account with allowCloudWatchLogs alone", () => {
    const { parsed, key } = synth({ description: "logs", allowCloudWatchLogs: true });
    expect(key.cloudWatchLogGroupNames).toEqual(["*"]);
    expect(logArnPatterns(parsed)).toEqual([expect.stringMatching(/^arn:\$\{.*\}:logs:\$\{.*\}:\$\{.*\}:log-group:\*$/)]);
  });

  test("scopes CloudWatch Logs to the named log groups and prefixes", () => {
    const { parsed, key } = synth({ description: "logs", cloudWatchLogGroupNames: ["/aws/eks/prod/cluster", "/aws/vpc-flow-logs/prod-*"] });
    expect(key.cloudWatchLogGroupNames).toEqual(["/aws/eks/prod/cluster", "/aws/vpc-flow-logs/prod-*"]);
    const patterns = logArnPatterns(parsed);
    expect(patterns).toHaveLength(2);
    expect(patterns[0]).toMatch(/:log-group:\/aws\/eks\/prod\/cluster$/);
    expect(patterns[1]).toMatch(/:log-group:\/aws\/vpc-flow-logs\/prod-\*$/);
    expect(patterns.some((p) => p.endsWith("log-group:*"))).toBe(false);
  });

  test("names take precedence over allowCloudWatchLogs", () => {
    const { parsed } = synth({ description: "logs", allowCloudWatchLogs: true, cloudWatchLogGroupNames: ["/a"] });
    expect(logArnPatterns(parsed)).toEqual([expect.stringMatching(/:log-group:\/a$/)]);
  });

  test("lets CloudWatch Logs use no key unless asked", () => {
    const { parsed, key } = synth({ description: "quiet" });
    expect(key.cloudWatchLogGroupNames).toEqual([]);
    expect(statements(parsed).map((s) => s.sid)).toEqual(["AccountAdministersKeyThroughIam"]);
  });

  test("lets services of this account use the key through kms:ViaService with exact actions", () => {
    const { parsed } = synth({ description: "ebs", viaServices: ["ec2"] });
    const via = statement(parsed, "ServicesOfThisAccount");
    expect(via.actions).toContain("kms:CreateGrant");
    expect(via.actions).toContain("kms:GenerateDataKeyWithoutPlaintext");
    expect(via.actions.filter((a: string) => a.includes("*"))).toEqual([]);
    expect(JSON.stringify(via.condition)).toContain("ec2.${data.aws_region.Key_Region_");
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

  test("fails when cloudWatchLogGroupNames is empty", () => {
    expect(() => synth({ description: "x", cloudWatchLogGroupNames: [] })).toThrow(/cloudWatchLogGroupNames: got \[\]; allowed: at least one log group name/);
  });

  test("fails when a log group name has a character CloudWatch Logs refuses or a '*' not at the end", () => {
    expect(validateKmsKeyProps({ description: "x", cloudWatchLogGroupNames: ["/ok", "bad name", "/a*b", "*"] })).toEqual([
      expect.objectContaining({ path: "cloudWatchLogGroupNames[1]" }),
      expect.objectContaining({ path: "cloudWatchLogGroupNames[2]" }),
      expect.objectContaining({ path: "cloudWatchLogGroupNames[3]" }),
    ]);
  });

  test("fails when allowCloudWatchLogs is false but log group names are given", () => {
    expect(validateKmsKeyProps({ description: "x", allowCloudWatchLogs: false, cloudWatchLogGroupNames: ["/a"] })).toEqual([
      expect.objectContaining({ path: "allowCloudWatchLogs" }),
    ]);
  });

  test("fails when the alias uses the reserved aws/ prefix", () => {
    expect(validateKmsKeyProps({ description: "x", alias: "aws/ebs" })).toEqual([
      expect.objectContaining({ path: "alias" }),
    ]);
  });
});

describe("KmsKey with separation of duties", () => {
  const administration = { adminRoleArns: ["arn:aws:iam::111122223333:role/kms-admin"], breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass" };

  test("drops the account-root kms:* and the AWS \"*\" use statement, and skips the lockout check the deployer cannot pass", () => {
    const { json, parsed } = synth({ description: "t", administration, viaServices: ["s3"] });
    const sids = statements(parsed).map((s) => s.sid);
    expect(sids).not.toContain("AccountAdministersKeyThroughIam");
    expect(sids).not.toContain("ServicesOfThisAccount");
    expect(sids).toEqual(expect.arrayContaining(["KeyAdministrationWithoutUse", "UseOnlyThroughOwningServicesOfThisAccount", "DenyDeletionAndPolicyChangesButBreakGlass"]));
    expect(json).toHaveResourceWithProperties(KmsKeyResource, { bypass_policy_lockout_safety_check: true });
  });

  test("fails naming the field when administration has no role list (plain JavaScript callers)", () => {
    expect(() => synth({ description: "t", administration: { breakGlassRoleArn: administration.breakGlassRoleArn } as never, viaServices: ["s3"] })).toThrow(
      /administration\.adminRoleArns: got nothing; allowed: a list of key administrator role ARNs/,
    );
  });

  test("keeps the lockout check without separation of duties", () => {
    const { parsed } = synth({ description: "t" });
    expect(Object.values(parsed.resource.aws_kms_key)[0]).not.toHaveProperty("bypass_policy_lockout_safety_check");
  });

  test("fails when separation of duties names no service to use the key through", () => {
    expect(validateKmsKeyProps({ description: "t", administration }).map((p) => p.path)).toEqual(["viaServices"]);
  });

  test("fails when an administrator is not a role ARN", () => {
    const bad = { ...administration, adminRoleArns: ["arn:aws:iam::111122223333:user/alice"] };
    expect(validateKmsKeyProps({ description: "t", administration: bad, viaServices: ["s3"] }).map((p) => p.path)).toEqual(["administration.adminRoleArns[0]"]);
  });
});
