/**
 * P0 pages by SMS: an environment's (or a team's) phone numbers are subscribed to an Amazon SNS topic of their own,
 * and the Alertmanager publishes each P0, and each P0 escalation, to that topic (`sns_configs`). The numbers are never
 * written in configuration: each is a Secrets Manager secret, read by Terraform when it subscribes the number.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html
 */
import type { ValidationProblem } from "../../problems";
import { LABEL_PRIORITY } from "../priorities";
import type { AmSnsConfig } from "./types";

/** A phone that receives P0 pages by SMS. @see SmsPagingConfig */
export interface SmsPhoneNumber {
  /** What the number is (`primary-on-call`): the subscription's Terraform address is keyed by it. */
  readonly name: string;
  /** Name or ARN of the Secrets Manager secret whose value is the number in E.164 form (`+4915112345678`). */
  readonly secret: string;
}

/** An owner's SMS paging: the phones its P0s and escalations reach. */
export interface SmsPagingConfig {
  readonly phoneNumbers: readonly SmsPhoneNumber[];
}

/** Where the generator's `sns_configs` publish: the SMS topics' ARNs and their region. */
export interface SmsTopics {
  /** Region of the topics (`sigv4.region`): Alertmanager signs its requests for it. */
  readonly region: string;
  /** The platform's topic (`alerting.sms`); required when the routing has `sms`. */
  readonly topicArn?: string;
  /** Each team's topic by team name (`alerting.teams.<team>.sms`). */
  readonly teamTopicArns?: Readonly<Record<string, string>>;
}

/** The SNS topic name of an environment's P0 SMS pages, or of one team's: `sre-<env>-p0-sms`, `sre-<env>-<team>-p0-sms`. */
export function p0SmsTopicName(environment: string, team?: string): string {
  return team === undefined ? `sre-${environment}-p0-sms` : `sre-${environment}-${team}-p0-sms`;
}

/** A topic's ARN from its parts: the platform names its topics, so their ARNs are known before they exist. */
export function snsTopicArn(parts: { readonly partition?: string; readonly region: string; readonly account: string; readonly name: string }): string {
  return `arn:${parts.partition ?? "aws"}:sns:${parts.region}:${parts.account}:${parts.name}`;
}

/** Characters of one GSM-7 SMS: a page longer than this would be split in two messages (and billed twice). */
export const SMS_MAX_CHARACTERS = 160;

/**
 * Text of an SMS page, one message at most: status, tier, alert, service and summary, cut at
 * {@link SMS_MAX_CHARACTERS} (Go's `.` counts characters, not bytes), e.g. `FIRING P0 CheckoutApiDown checkout-api:
 * checkout-api is down.`
 * @param serviceLabel the label naming the service (the routing's `serviceLabel`, a Prometheus label name)
 */
export function smsMessageTemplate(serviceLabel: string): string {
  const text = `printf "%s %s %s %s: %s" (.Status | toUpper) .CommonLabels.${LABEL_PRIORITY} .CommonLabels.alertname .CommonLabels.${serviceLabel} .CommonAnnotations.summary`;
  return `{{ reReplaceAll "^(.{0,${SMS_MAX_CHARACTERS}})(?s:.*)$" "$1" (${text}) }}`;
}

/** Subject of the SNS message: SMS subscribers never see it; SNS refuses subjects of 100 characters or more. */
export const SMS_SUBJECT_TEMPLATE = '{{ reReplaceAll "^(.{0,99})(?s:.*)$" "$1" (printf "[%s] %s" .CommonLabels.' + `${LABEL_PRIORITY} .CommonLabels.alertname) }}`;

/**
 * The SNS message attribute that makes SMS deliveries transactional (critical messages, delivered with the highest
 * reliability) rather than the account's default, which may be promotional (cheapest, may be dropped).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-topic.html
 */
export const SMS_TYPE_ATTRIBUTE = { "AWS.SNS.SMS.SMSType": "Transactional" } as const;

/**
 * One `sns_configs` entry publishing to `topicArn` with the platform's short SMS text. Resolved pages are sent too: the
 * person woken by the page learns by the same way that it is over.
 * @param serviceLabel the label naming the service (the routing's `serviceLabel`)
 */
export function smsConfig(topicArn: string, region: string, serviceLabel: string): AmSnsConfig {
  return {
    topic_arn: topicArn,
    sigv4: { region },
    subject: SMS_SUBJECT_TEMPLATE,
    message: smsMessageTemplate(serviceLabel),
    attributes: { ...SMS_TYPE_ATTRIBUTE },
    send_resolved: true,
  };
}

const PHONE_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
/** Text that reads as a phone number: digits with an optional `+`, spaces, dots, dashes or brackets. */
const LOOKS_LIKE_A_PHONE_NUMBER = /^\+?[\d\s().-]{6,}$/;

/** True for a Secrets Manager secret name or secret ARN (not a phone number). */
export function isSecretReference(text: string): boolean {
  return !LOOKS_LIKE_A_PHONE_NUMBER.test(text) && (SECRET_ARN.test(text) || (!text.startsWith("arn:") && SECRET_NAME.test(text)));
}

/**
 * A schema problem under an `sms` section as the user should read it: a phone number written where a `{ name, secret }`
 * belongs (or in a field of its own) is never repeated in the message (CI logs keep it), and what is allowed says
 * where the number goes instead. Other problems are returned as they are.
 */
export function smsSchemaProblem(problem: ValidationProblem): ValidationProblem {
  if (!/(^|\.)sms\.phoneNumbers(\[\d+\]|\.|$)/.test(problem.path)) return problem;
  const phone = typeof problem.value === "string" && LOOKS_LIKE_A_PHONE_NUMBER.test(problem.value);
  if (/\.phoneNumbers\[\d+\]$/.test(problem.path) && typeof problem.value === "string") {
    return { path: problem.path, value: phone ? "(a phone number)" : problem.value, allowed: "{ name, secret }: what the phone is, and the Secrets Manager secret holding its number, never the number itself" };
  }
  return phone ? { ...problem, value: "(a phone number)" } : problem;
}

/** Problems of one owner's `sms` section, with paths under `at` (e.g. `alerting.sms`). */
export function smsPagingProblems(sms: SmsPagingConfig, at: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (sms.phoneNumbers.length === 0) problems.push({ path: `${at}.phoneNumbers`, value: [], allowed: "at least one { name, secret }, or leave sms out" });
  const seen = new Set<string>();
  sms.phoneNumbers.forEach((p, i) => {
    const path = `${at}.phoneNumbers[${i}]`;
    if (!PHONE_NAME.test(p.name)) problems.push({ path: `${path}.name`, value: p.name, allowed: "lowercase letters, digits and '-' (what the phone is, e.g. primary-on-call)" });
    else if (seen.has(p.name)) problems.push({ path: `${path}.name`, value: p.name, allowed: "a name no other phone number of this list has" });
    seen.add(p.name);
    if (LOOKS_LIKE_A_PHONE_NUMBER.test(p.secret)) {
      problems.push({
        path: `${path}.secret`,
        value: "(a phone number)",
        allowed: "the name or ARN of a Secrets Manager secret holding the number, never the number itself: it would sit in the repository, the synthesized JSON and every plan",
      });
    } else if (!isSecretReference(p.secret)) {
      problems.push({ path: `${path}.secret`, value: p.secret, allowed: "a Secrets Manager secret name (e.g. sre-platform/prod/p0-sms/primary-on-call) or secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)" });
    }
  });
  return problems;
}
