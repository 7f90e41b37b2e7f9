import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";
import { KmsKey } from "./kms-key";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "./validation";

/** An AWS service that publishes to a topic on this account's behalf (AWS Budgets, Amazon Managed Prometheus…). */
export interface TopicServicePublisher {
  /** Service principal, e.g. `budgets.amazonaws.com` or `aps.amazonaws.com`. */
  readonly service: string;
  /**
   * ARNs (or `ArnLike` patterns) of the resources that may publish through this service (`aws:SourceArn`),
   * against the confused-deputy problem.
   * @default - any resource of this account (`aws:SourceAccount` only)
   */
  readonly sourceArns?: readonly string[];
}

/** A subscription of an {@link EncryptedTopic}. */
export interface TopicSubscription {
  /** `email`, `sms` or `https`. */
  readonly protocol: "email" | "sms" | "https";
  /**
   * The address, phone number (E.164) or URL. For phone numbers prefer a value read from Secrets Manager
   * (a token), never a literal in code.
   */
  readonly endpoint: string;
  /**
   * Stable construct id of the subscription (a Terraform address): key it by what it is (`OnCallEmail`),
   * never by list position.
   */
  readonly id: string;
}

/** Props of {@link EncryptedTopic}. */
export interface EncryptedTopicProps {
  /** Topic name (1–256 of `A-Za-z0-9_-`). */
  readonly name: string;
  /** What the topic carries; the description of the key this construct creates. */
  readonly description: string;
  /**
   * ARN of an existing key for the topic. The services in `servicePublishers` need `kms:GenerateDataKey` and
   * `kms:Decrypt` on it in its key policy.
   * @default - a new customer-managed key with yearly rotation whose policy lets exactly the
   * `servicePublishers` (from this account) encrypt messages
   */
  readonly kmsKeyArn?: string;
  /**
   * AWS services that may publish, each only on behalf of this account.
   * @default - none
   */
  readonly servicePublishers?: readonly TopicServicePublisher[];
  /**
   * IAM roles of this account that may publish (for example the Alertmanager's IRSA role). They also need
   * `sns:Publish` and the key's `kms:GenerateDataKey`/`kms:Decrypt` in their own policies; see
   * {@link EncryptedTopic.publishStatements}.
   * @default - none
   */
  readonly publisherRoleArns?: readonly string[];
  /**
   * Subscriptions created with the topic.
   * @default - none
   */
  readonly subscriptions?: readonly TopicSubscription[];
  /**
   * Terraform `prevent_destroy` on the key this construct creates (with `kmsKeyArn`, nothing to protect).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * An SNS topic encrypted with a customer-managed key (Checkov CKV_AWS_26), whose policy lets only the named
 * AWS services (on behalf of this account) and the named roles publish, and refuses any request not made
 * over TLS. The default key's policy grants the publishing services exactly what SNS needs of it.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export class EncryptedTopic extends Construct {
  public readonly topic: SnsTopic;
  /** The topic's policy: depend on it before a service publishes (AWS checks its rights when it is configured). */
  public readonly policy: SnsTopicPolicy;
  /** ARN of the topic. */
  public readonly topicArn: string;
  /** ARN of the key that encrypts the topic. */
  public readonly kmsKeyArn: string;
  /** The key created for the topic; undefined when `kmsKeyArn` was given. */
  public readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    requireProps(this, props, { name: "the topic name", description: "what the topic carries" });
    throwIfProblems(this.node.path, validateEncryptedTopicProps(props));

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const publishers = props.servicePublishers ?? [];

    if (props.kmsKeyArn === undefined) {
      this.key = new KmsKey(this, "Key", {
        description: props.description,
        preventDestroy: props.preventDestroy,
        extraStatements: publishers.map((p) => ({
          sid: `Publish${sidPart(p.service)}`,
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [p.service] }],
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }],
        })),
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? (this.key as KmsKey).keyArn;

    this.topic = new SnsTopic(this, "Topic", { name: props.name, kmsMasterKeyId: this.kmsKeyArn });
    this.topicArn = this.topic.arn;

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "RefuseRequestsWithoutTls",
        effect: "Deny",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: ["sns:Publish"],
        resources: [this.topic.arn],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "AccountManagesTopicThroughIam",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }],
        actions: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:DeleteTopic"],
        resources: [this.topic.arn],
      },
    ];
    for (const p of publishers) {
      statements.push({
        sid: `Publish${sidPart(p.service)}`,
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [p.service] }],
        actions: ["sns:Publish"],
        resources: [this.topic.arn],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
          ...(p.sourceArns && p.sourceArns.length > 0 ? [{ test: "ArnLike", variable: "aws:SourceArn", values: [...p.sourceArns] }] : []),
        ],
      });
    }
    if (props.publisherRoleArns && props.publisherRoleArns.length > 0) {
      statements.push({
        sid: "PublishNamedRoles",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [...props.publisherRoleArns] }],
        actions: ["sns:Publish"],
        resources: [this.topic.arn],
      });
    }
    const policy = new DataAwsIamPolicyDocument(this, "Policy", { statement: statements });
    this.policy = new SnsTopicPolicy(this, "TopicPolicy", { arn: this.topic.arn, policy: policy.json });

    for (const s of props.subscriptions ?? []) {
      new SnsTopicSubscription(this, s.id, { topicArn: this.topic.arn, protocol: s.protocol, endpoint: s.endpoint });
    }
  }

  /**
   * The identity-policy statements a role needs to publish to this topic: `sns:Publish` on the topic and
   * `kms:GenerateDataKey`/`kms:Decrypt` on its key.
   */
  public publishStatements(): DataAwsIamPolicyDocumentStatement[] {
    return [
      { sid: "PublishToTopic", effect: "Allow", actions: ["sns:Publish"], resources: [this.topicArn] },
      { sid: "EncryptForTopic", effect: "Allow", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [this.kmsKeyArn] },
    ];
  }
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Checks {@link EncryptedTopicProps} without building anything. */
export function validateEncryptedTopicProps(props: EncryptedTopicProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isUnresolved(props.name) && !TOPIC_NAME.test(props.name)) {
    problems.push({ path: "name", value: props.name, allowed: "1–256 letters, digits, '-' or '_'" });
  }
  (props.servicePublishers ?? []).forEach((p, i) => {
    if (!SERVICE_PRINCIPAL.test(p.service)) {
      problems.push({ path: `servicePublishers[${i}].service`, value: p.service, allowed: "a service principal such as budgets.amazonaws.com" });
    }
  });
  (props.publisherRoleArns ?? []).forEach((arn, i) => {
    if (!isUnresolved(arn) && !IAM_ROLE_ARN.test(arn)) {
      problems.push({ path: `publisherRoleArns[${i}]`, value: arn, allowed: IAM_ROLE_ARN_RULE });
    }
  });
  const ids = new Set<string>();
  (props.subscriptions ?? []).forEach((s, i) => {
    if (ids.has(s.id)) problems.push({ path: `subscriptions[${i}].id`, value: s.id, allowed: "an id used by no other subscription" });
    ids.add(s.id);
    if (isUnresolved(s.endpoint)) return;
    if (s.protocol === "sms" && !E164.test(s.endpoint)) {
      problems.push({ path: `subscriptions[${i}].endpoint`, value: "(a phone number)", allowed: "an E.164 phone number such as +4915112345678" });
    } else if (s.protocol === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.endpoint)) {
      problems.push({ path: `subscriptions[${i}].endpoint`, value: s.endpoint, allowed: "an e-mail address" });
    } else if (s.protocol === "https" && !/^https:\/\/\S+$/.test(s.endpoint)) {
      problems.push({ path: `subscriptions[${i}].endpoint`, value: s.endpoint, allowed: "an https:// URL" });
    }
  });
  return problems;
}

function sidPart(service: string): string {
  return service
    .replace(/\.amazonaws\.com$/, "")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
