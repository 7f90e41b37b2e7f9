import { Construct } from "constructs";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { EncryptedTopic, type TopicServicePublisher } from "../common/encrypted-topic";
import { requireProps, throwIfProblems, ValidationProblem } from "../common/validation";
import { smsPagingProblems, type SmsPhoneNumber } from "../../lib/observability/alertmanager/sms";
import { constructKey } from "../../lib/naming/construct-key";

/** Props of {@link SmsPager}. */
export interface SmsPagerProps {
  /** Name of the SNS topic (`p0SmsTopicName()` for the platform's pages), which the Alertmanager configuration names. */
  readonly topicName: string;
  /** What the topic carries, e.g. `P0 pages of prod by SMS`; the description of its key. */
  readonly description: string;
  /**
   * The phones paged: each a name and the Secrets Manager secret (name or ARN) whose value is the number in E.164 form
   * (`+4915112345678`). Never the number itself.
   */
  readonly phoneNumbers: readonly SmsPhoneNumber[];
  /**
   * AWS services that may publish to the topic on this account's behalf, e.g. Amazon Managed Prometheus's alert
   * manager for one workspace (`aps.amazonaws.com` with the workspace's ARN).
   * @default - none: only the roles given their publish statements (the in-cluster Alertmanager's)
   */
  readonly servicePublishers?: readonly TopicServicePublisher[];
  /**
   * Terraform `prevent_destroy` on the topic's key (production turns it on).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** The E.164 rule the numbers read from Secrets Manager must follow; checked by Terraform when it reads them. */
const E164_HCL = "^\\\\+[1-9][0-9]{6,14}$";

/**
 * P0 pages by SMS: an {@link EncryptedTopic} (customer-managed key) with one `sms` subscription per phone, the number
 * read from its Secrets Manager secret at plan time, so no number is written in code, configuration or the synthesized
 * JSON. A secret whose value is not an E.164 number fails the plan, naming the secret, never the value.
 *
 * The number does reach the Terraform state: the secret version read, and the subscription's `endpoint`, are stored
 * there (SNS has no way to subscribe a number Terraform does not know). The state is encrypted with the environment's
 * state key (bootstrap) and readable only by the roles that deploy; that is the trade-off against subscribing numbers
 * by hand outside Terraform, which would leave the pages unreviewed and undeclared.
 *
 * Publishers (the Alertmanager's IRSA role) need {@link publishStatements} in their own policy: `sns:Publish` on this
 * topic and `kms:GenerateDataKey`/`kms:Decrypt` on its key, nothing else.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-topic.html
 */
export class SmsPager extends Construct {
  public readonly topic: EncryptedTopic;
  /** ARN of the topic. */
  public readonly topicArn: string;
  /** The secret versions read, by phone name. */
  public readonly numbers: Readonly<Record<string, DataAwsSecretsmanagerSecretVersion>>;

  constructor(scope: Construct, id: string, props: SmsPagerProps) {
    super(scope, id);
    requireProps(this, props, { topicName: "the SNS topic name", description: "what the topic carries", phoneNumbers: "the phones paged: [{ name, secret }]" });
    throwIfProblems(this.node.path, validateSmsPagerProps(props));
    const numbers: Record<string, DataAwsSecretsmanagerSecretVersion> = {};
    for (const phone of props.phoneNumbers) {
      numbers[phone.name] = new DataAwsSecretsmanagerSecretVersion(this, `Number-${constructKey(phone.name)}`, {
        secretId: phone.secret,
        lifecycle: {
          postcondition: [
            {
              condition: `\${can(regex("${E164_HCL}", self.secret_string))}`,
              errorMessage: `The Secrets Manager secret ${phone.secret} (SMS phone "${phone.name}") must hold one phone number in E.164 form, e.g. +4915112345678, and nothing else.`,
            },
          ],
        },
      });
    }
    this.numbers = numbers;
    this.topic = new EncryptedTopic(this, "Topic", {
      name: props.topicName,
      description: props.description,
      servicePublishers: props.servicePublishers,
      preventDestroy: props.preventDestroy,
      subscriptions: props.phoneNumbers.map((phone) => ({ id: `Sms-${constructKey(phone.name)}`, protocol: "sms" as const, endpoint: numbers[phone.name]!.secretString })),
    });
    this.topicArn = this.topic.topicArn;
  }

  /** The statements a publisher's role needs: `sns:Publish` on the topic, the key's `kms:GenerateDataKey`/`kms:Decrypt`. */
  public publishStatements(): DataAwsIamPolicyDocumentStatement[] {
    return this.topic.publishStatements();
  }
}

/** Checks {@link SmsPagerProps} without building anything: the phones' names and that each is a secret, not a number. */
export function validateSmsPagerProps(props: SmsPagerProps): ValidationProblem[] {
  return smsPagingProblems({ phoneNumbers: props.phoneNumbers ?? [] }, "").map((p) => ({ ...p, path: p.path.replace(/^\./, "") }));
}
