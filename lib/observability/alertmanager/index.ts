/**
 * Alertmanager configuration from typed per-environment alert routing (P0–P4 tiers). Framework-free.
 * `parseAlertRouting(input)` → validated routing; `buildAlertmanagerConfig(routing)` → object;
 * `emitAlertmanagerYaml(object)` → the file.
 */
export * from "./model";
export type * from "./types";
export { validateAlertRouting, parseAlertRouting, durationSeconds, isTimeZone, alertmanagerSecretProblems, mountedSecretDirs, AlertRoutingError } from "./validate";
export type { SecretProblemsOptions } from "./validate";
export {
  buildAlertmanagerConfig, emitAlertmanagerYaml, withUrlsInlined, requiredAlertmanagerRetention, resolveTierTiming, secretFile, ALERTMANAGER_HEADER,
} from "./generate";
export type { AlertmanagerBuildOptions, PriorityDialect, RouteUse } from "./generate";
export { p0EscalationGroup, P0_ESCALATION_ALERT, P0_ESCALATION_GROUP, P0_ESCALATION_RUNBOOK_PATH, ESCALATED_ALERT_LABEL } from "./escalation";
export {
  buildAmpAlertmanagerConfig, emitAmpAlertManagerDefinition, ampAlertmanagerProblems, ampDefinitionSizeProblems, AMP_TOPICS, AMP_TEMPLATE_FILES, AMP_MESSAGE_TEMPLATE, AMP_MESSAGE_ATTRIBUTES,
} from "./amp";
export type { AmpTopic, AmpChannel, AmpSnsConfig, AmpReceiver, AmpAlertmanagerOptions, AmpProblemsOptions } from "./amp";
export { p0SmsTopicName, snsTopicArn, smsConfig, smsMessageTemplate, smsPagingProblems, isSecretReference, SMS_MAX_CHARACTERS, SMS_SUBJECT_TEMPLATE, SMS_TYPE_ATTRIBUTE } from "./sms";
export type { SmsPagingConfig, SmsPhoneNumber, SmsTopics } from "./sms";
