import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { EncryptedTopic, EncryptedTopicProps, validateEncryptedTopicProps } from "../../../constructs/common/encrypted-topic";

type Statement = { sid: string; effect: string; actions: string[]; principals: Array<{ type: string; identifiers: string[] }>; condition?: Array<{ test: string; variable: string; values: string[] }> };

function synth(props: EncryptedTopicProps) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const topic = new EncryptedTopic(stack, "Alerts", props);
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const docs = parsed.data.aws_iam_policy_document as Record<string, { statement: Statement[] }>;
  const doc = (suffix: string) => Object.entries(docs).find(([k]) => k.includes(suffix))?.[1].statement ?? [];
  return { topic, json, parsed, topicPolicy: doc("Alerts_Policy"), keyPolicy: doc("Alerts_Key") };
}

describe("EncryptedTopic", () => {
  const base: EncryptedTopicProps = { name: "prod-budgets", description: "Budget alerts" };

  test("encrypts the topic with its own customer-managed key", () => {
    const { json, parsed } = synth(base);
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: "prod-budgets" });
    const topic = Object.values(parsed.resource.aws_sns_topic)[0] as { kms_master_key_id: string };
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(Object.keys(parsed.resource.aws_kms_key)).toHaveLength(1);
  });

  test("uses a given key and creates none", () => {
    const { parsed, topic } = synth({ ...base, kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abc" });
    expect(parsed.resource.aws_kms_key).toBeUndefined();
    expect(topic.kmsKeyArn).toBe("arn:aws:kms:eu-west-1:111122223333:key/abc");
  });

  test("refuses publishing without TLS, to everyone", () => {
    const { topicPolicy } = synth(base);
    const deny = topicPolicy.find((s) => s.sid === "RefuseRequestsWithoutTls");
    expect(deny).toMatchObject({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  test("lets a publishing service publish and encrypt only for this account and the named sources", () => {
    const { topicPolicy, keyPolicy } = synth({
      ...base,
      servicePublishers: [{ service: "budgets.amazonaws.com", sourceArns: ["arn:aws:budgets::111122223333:*"] }],
    });
    const publish = topicPolicy.find((s) => s.sid === "PublishBudgets");
    expect(publish?.principals).toEqual([{ type: "Service", identifiers: ["budgets.amazonaws.com"] }]);
    expect(publish?.actions).toEqual(["sns:Publish"]);
    expect(publish?.condition?.map((c) => c.variable)).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    const encrypt = keyPolicy.find((s) => s.sid === "PublishBudgets");
    expect(encrypt?.actions).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(encrypt?.condition?.[0].variable).toBe("aws:SourceAccount");
  });

  test("no one but the account manages the topic when no publisher is named", () => {
    const { topicPolicy } = synth(base);
    expect(topicPolicy.filter((s) => s.effect === "Allow").map((s) => s.sid)).toEqual(["AccountManagesTopicThroughIam"]);
    expect(topicPolicy.flatMap((s) => s.actions)).not.toContain("sns:*");
  });

  test("subscribes the given endpoints under their own ids", () => {
    const { json, parsed } = synth({ ...base, subscriptions: [{ id: "FinanceEmail", protocol: "email", endpoint: "finance@example.com" }] });
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "email", endpoint: "finance@example.com" });
    expect(Object.keys(parsed.resource.aws_sns_topic_subscription)[0]).toMatch(/FinanceEmail/);
  });

  test("gives a publishing role's policy the topic and its key", () => {
    const { topic } = synth(base);
    const actions = topic.publishStatements().flatMap((s) => s.actions ?? []);
    expect(actions).toEqual(["sns:Publish", "kms:GenerateDataKey", "kms:Decrypt"]);
  });

  describe("validation", () => {
    test.each<[string, Partial<EncryptedTopicProps>, string]>([
      ["a topic name with a dot", { name: "prod.budgets" }, "name"],
      ["a service that is not a principal", { servicePublishers: [{ service: "budgets" }] }, "servicePublishers[0].service"],
      ["a publisher that is not a role", { publisherRoleArns: ["arn:aws:iam::111122223333:user/x"] }, "publisherRoleArns[0]"],
      ["a phone number not in E.164", { subscriptions: [{ id: "Sms", protocol: "sms", endpoint: "0151 123" }] }, "subscriptions[0].endpoint"],
      ["an http endpoint", { subscriptions: [{ id: "Hook", protocol: "https", endpoint: "http://x" }] }, "subscriptions[0].endpoint"],
      ["two subscriptions with one id", { subscriptions: [{ id: "A", protocol: "email", endpoint: "a@b.co" }, { id: "A", protocol: "email", endpoint: "c@b.co" }] }, "subscriptions[1].id"],
    ])("fails with %s", (_what, change, path) => {
      expect(validateEncryptedTopicProps({ ...base, ...change }).map((p) => p.path)).toEqual([path]);
    });

    test("never prints a phone number it refuses", () => {
      const [problem] = validateEncryptedTopicProps({ ...base, subscriptions: [{ id: "Sms", protocol: "sms", endpoint: "0151 123" }] });
      expect(JSON.stringify(problem)).not.toContain("0151");
    });

    test("the constructor throws naming the field", () => {
      expect(() => synth({ ...base, name: "bad name" })).toThrow(/name/);
    });
  });
});
