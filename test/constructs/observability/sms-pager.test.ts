import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SmsPager, SmsPagerProps, validateSmsPagerProps } from "../../../constructs/observability/sms-pager";

function synth(props: SmsPagerProps) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const pager = new SmsPager(stack, "P0Sms", props);
  const json = Testing.synth(stack);
  return { pager, json, parsed: JSON.parse(json) };
}

const PROPS: SmsPagerProps = {
  topicName: "sre-prod-p0-sms",
  description: "P0 pages of prod by SMS",
  phoneNumbers: [
    { name: "primary-on-call", secret: "sre-platform/prod/p0-sms/primary-on-call" },
    { name: "secondary-on-call", secret: "arn:aws:secretsmanager:eu-west-1:333333333333:secret:oncall-AbCdEf" },
  ],
};

describe("SmsPager", () => {
  test("subscribes each phone by SMS to an encrypted topic, the number read from its secret, never written", () => {
    const { json, parsed } = synth(PROPS);
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: "sre-prod-p0-sms" });
    const topic = Object.values(parsed.resource.aws_sns_topic)[0] as { kms_master_key_id: string };
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const versions = parsed.data.aws_secretsmanager_secret_version as Record<string, { secret_id: string }>;
    const versionOf = (secret: string) => Object.keys(versions).find((k) => versions[k]!.secret_id === secret)!;
    for (const phone of PROPS.phoneNumbers) {
      expect(json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "sms", endpoint: `\${data.aws_secretsmanager_secret_version.${versionOf(phone.secret)}.secret_string}` });
    }
    // Keyed by what the phone is: adding a phone moves no other subscription.
    expect(Object.keys(parsed.resource.aws_sns_topic_subscription).map((k) => k.replace(/_[0-9A-F]{8}$/, ""))).toEqual(["P0Sms_Topic_Sms-primary-on-call", "P0Sms_Topic_Sms-secondary-on-call"]);
    expect(json).not.toMatch(/"\+\d{7,}/);
  });

  test("a secret that does not hold an E.164 number fails the plan, naming the secret and not the value", () => {
    const { parsed } = synth(PROPS);
    const version = Object.values(parsed.data.aws_secretsmanager_secret_version)[0] as { lifecycle: { postcondition: Array<{ condition: string; error_message: string }> } };
    const [check] = version.lifecycle.postcondition;
    expect(check!.condition).toBe('${can(regex("^\\\\+[1-9][0-9]{6,14}$", self.secret_string))}');
    expect(check!.error_message).toContain("sre-platform/prod/p0-sms/primary-on-call");
    expect(check!.error_message).not.toContain("secret_string");
  });

  test("a publisher is allowed to publish to this topic and use its key, nothing else", () => {
    const { pager } = synth(PROPS);
    const statements = pager.publishStatements();
    expect(statements.map((s) => [s.actions, s.resources])).toEqual([
      [["sns:Publish"], [pager.topicArn]],
      [["kms:GenerateDataKey", "kms:Decrypt"], [pager.topic.kmsKeyArn]],
    ]);
  });

  test("fails when a phone number is given instead of its secret, without repeating it", () => {
    const props = { ...PROPS, phoneNumbers: [{ name: "primary-on-call", secret: "+4915112345678" }] };
    expect(validateSmsPagerProps(props)).toEqual([expect.objectContaining({ path: "phoneNumbers[0].secret", value: "(a phone number)" })]);
    expect(() => synth(props)).toThrow(/P0Sms.*phoneNumbers\[0\]\.secret/s);
    expect(() => synth(props)).not.toThrow(/4915112345678/);
  });
});
