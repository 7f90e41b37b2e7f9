/**
 * Input and constants of the Alertmanager configuration generator: what an environment says about where
 * alerts go (data, as a zod schema the configuration embeds), and where the receivers' secrets are mounted (never
 * their values).
 */
import { z } from "zod";
import { PRIORITIES, type Priority } from "../priorities";

/**
 * Days as Alertmanager spells and orders them in `time_intervals[].weekdays`: its weeks start on Sunday, so a
 * range must ascend in this order (`sunday:saturday` is the whole week; `monday:sunday` is refused).
 */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

const nonEmpty = z.string().min(1);

/** Grouping and repetition of one tier's notifications (Prometheus durations such as `30s`, `4h`, `7d`). */
/** A key that held a URL which now lives in the receivers' Secret: refused with where the URL goes instead. */
function movedToSecret(key: string) {
  return z
    .unknown()
    .refine((v) => v === undefined, { message: `nothing: the URL is read from the alertmanager-receivers Secret's key ${key} (url_file); store it there and remove url` })
    .transform((): undefined => undefined)
    .optional();
}

export const TierTimingSchema = z.strictObject({
  /** Wait before the first notification of a new group, to batch alerts that fire together. */
  groupWait: nonEmpty,
  /** Wait before notifying about alerts added to a group that was already notified. */
  groupInterval: nonEmpty,
  /** Wait before repeating a notification that has not changed; at least `groupInterval`. */
  repeatInterval: nonEmpty,
});

/** A PagerDuty receiver's endpoint; its routing key is always a key of the receivers' Secret, never here. */
const PagerDutyEndpointSchema = z.strictObject({
  /**
   * Events API endpoint.
   * @default "https://events.pagerduty.com/v2/enqueue"
   */
  url: nonEmpty.optional(),
});

/** A Slack receiver's channel; its incoming webhook URL is always a key of the receivers' Secret, never here. */
const SlackChannelSchema = z.strictObject({
  /** Channel the incoming webhook posts to, e.g. `#alerts-prod` or `#payments-alerts`. */
  channel: nonEmpty,
});

/**
 * P0 pages by SMS (and P0 escalations, for the platform's): phones subscribed to an SNS topic of the owner's, each
 * number a Secrets Manager secret (name or ARN) whose value is the number in E.164 form. A number written here is
 * refused: it would sit in the repository, the synthesized JSON and every plan. Terraform reads each secret to
 * subscribe the number, so the number is kept in the Terraform state (encrypted with the state's key).
 */
export const SmsPagingSchema = z.strictObject({
  /** The phones paged, each `{ name, secret }`: what the phone is (`primary-on-call`) and the secret holding its number. */
  phoneNumbers: z.array(z.strictObject({ name: nonEmpty, secret: nonEmpty })),
});

/**
 * One team's receivers: where the alerts the team owns go (its SLOs' alerts, its own rules' alerts, Falco detections in
 * its namespaces), tier by tier as the platform's go to the platform's receivers. Credentials are never written here:
 * the PagerDuty routing key and the Slack webhook URL are keys of the receivers' Secret named after the team
 * ({@link teamReceiverSecretKeys}), filled from Secrets Manager like the platform's own.
 */
export const TeamReceiversSchema = z.strictObject({
  /**
   * The team's PagerDuty service (P0 always, P1 in business hours), through the Events API v2; the routing key is the
   * Secret key `team-<team>-pagerduty-routing-key`.
   * @default - the Events API v2 endpoint
   */
  pagerDuty: PagerDutyEndpointSchema.optional(),
  /** The team's Slack channel (P2, and P1 outside business hours); the webhook URL is the Secret key `team-<team>-slack-webhook-url`. */
  slack: SlackChannelSchema,
  /** The team's weekly P4 digest; sent through the platform's SMTP server and sender. */
  email: z.strictObject({
    /** Recipient address (the team's list or mailbox). */
    to: nonEmpty,
  }),
  /**
   * The team's P0 pages by SMS too, through a topic of the team's own (`sre-<env>-<team>-p0-sms`).
   * @default - the team's P0s page through PagerDuty only
   */
  sms: SmsPagingSchema.optional(),
});

/**
 * One environment's alert routing, as written in `environments/<env>.ts` under `alerting` (P0–P4 tiers). The
 * environment schema (lib/config) embeds it; the generator's input type is derived from it, so the two cannot
 * drift apart. This is the shape; the rules that need more (time zone, times, durations, addresses) are
 * {@link validateAlertRouting}'s.
 */
export const AlertRoutingSchema = z.strictObject({
  /**
   * When a P1 (SLO page) may page a person. Outside these hours a P1 goes to chat instead.
   * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
   */
  businessHours: z.strictObject({
    /** IANA time zone the hours are in, e.g. `Europe/Dublin` (Alertmanager's `location`). */
    location: nonEmpty,
    /**
     * Days or inclusive day ranges in Sunday-first order, e.g. `["monday:friday"]`, `["sunday:saturday"]`.
     * @default ["monday:friday"]
     */
    weekdays: z.array(nonEmpty).default(["monday:friday"]),
    /**
     * Start and end of each span, `HH:MM` in 24-hour time (`24:00` ends at midnight); start before end.
     * @default [{ start: "09:00", end: "17:00" }]
     */
    times: z.array(z.strictObject({ start: nonEmpty, end: nonEmpty })).default([{ start: "09:00", end: "17:00" }]),
  }),
  /**
   * PagerDuty Events API v2 receiver (P0 always, P1 in business hours). The routing key is a mounted file.
   * @default - the Events API v2 endpoint
   */
  pagerDuty: PagerDutyEndpointSchema.optional(),
  /** Slack receiver (P2, and P1 outside business hours). The webhook URL is a mounted file. */
  slack: SlackChannelSchema,
  /** E-mail receiver for the weekly P4 capacity digest. The SMTP password is a mounted file. */
  email: z.strictObject({
    /** Recipient address (a list or a team mailbox). */
    to: nonEmpty,
    /** Sender address. */
    from: nonEmpty,
    /** SMTP server as `host:port`. */
    smarthost: nonEmpty,
    /**
     * SMTP user; the password is read from the mounted secret file.
     * @default - no SMTP authentication
     */
    authUsername: z.string().optional(),
  }),
  /**
   * A generic webhook (incident tooling, chat-ops) that receives a copy of the chosen tiers.
   * @default - no webhook receiver
   */
  webhook: z
    .strictObject({
      /** Gone: the endpoint URL is the receivers' Secret's `webhook-url` (a URL often carries its own token). */
      url: movedToSecret("webhook-url"),
      /** Tiers copied to the webhook, in addition to their own receivers. */
      priorities: z.array(z.enum(PRIORITIES)),
      /**
       * Send a bearer token read from the mounted secret file.
       * @default true
       */
      bearerToken: z.boolean().optional(),
    })
    .optional(),
  /**
   * The dead man's switch: a service outside the cluster (healthchecks.io, Dead Man's Snitch, a PagerDuty or Opsgenie
   * heartbeat) that receives kube-prometheus-stack's always-firing `Watchdog` alert every `repeatInterval` and alerts
   * a person when it stops arriving, the one failure the cluster cannot report itself (Prometheus, Alertmanager or
   * the whole cluster down). `Watchdog` goes here and nowhere else: never to a person's channel.
   * @default - no heartbeat: `Watchdog` goes to the receiver `no-heartbeat-configured`, which notifies nobody
   */
  heartbeat: z
    .strictObject({
      /**
       * Gone: the endpoint URL is the receivers' Secret's `heartbeat-url` (a heartbeat service's ping URL is its
       * credential: healthchecks.io, Dead Man's Snitch).
       */
      url: movedToSecret("heartbeat-url"),
      /**
       * Send a bearer token read from the mounted secret file (`heartbeat-bearer-token`).
       * @default true
       */
      bearerToken: z.boolean().optional(),
      /**
       * How often `Watchdog` is sent while it fires (always): the heartbeat service's expected period.
       * @default "1m"
       */
      repeatInterval: nonEmpty.optional(),
    })
    .optional(),
  /**
   * The platform's P0 pages by SMS too, and its P0 escalations: the in-cluster Alertmanager publishes them to the
   * environment's SNS topic `sre-<env>-p0-sms`, to which these phones are subscribed.
   * @default - P0s page through PagerDuty only
   */
  sms: SmsPagingSchema.optional(),
  /**
   * Escalation of unhandled P0s: a P0 still firing `after` its start raises `P0Escalation` (a rule generated with the
   * environment's SLO rules, lib/observability/alertmanager/escalation.ts), which goes by e-mail to `to` through the
   * platform's SMTP server, and by SMS to the platform's phones when `sms` is set; nowhere else.
   * @default - no escalation
   */
  escalation: z
    .strictObject({
      /** How long a P0 may fire before it escalates, a Prometheus duration from 5m to 24h (`30m`). */
      after: nonEmpty,
      /**
       * Who hears of the escalation (the platform's lead, an incident manager).
       * @default - `email.to`
       */
      to: nonEmpty.optional(),
    })
    .optional(),
  /**
   * Each team's receivers, keyed by the team's name (`security.namespaces.teams[].name` in an environment). A team's
   * alerts (those labelled `team="<name>"`, those from its namespaces) reach these, with the same tiers; everything
   * else reaches the platform's.
   * @default {} (every alert reaches the platform's receivers)
   */
  teams: z.record(z.string(), TeamReceiversSchema).optional(),
  /**
   * Per-tier overrides of {@link DEFAULT_TIER_TIMING}; unset fields keep the default.
   * @default - the defaults
   */
  tiers: z.partialRecord(z.enum(PRIORITIES), TierTimingSchema.partial()).optional(),
  /**
   * How an alert without a `priority` label is treated: P2 (chat) so nothing is lost, or P3 (dropped).
   * @default "P2"
   */
  unprioritized: z.enum(["P2", "P3"]).optional(),
  /**
   * The label naming the service, shared by a P0 and the P1–P3 alerts it silences. The SLO compiler's alerts
   * carry `sre_service`; P0 rules written elsewhere must carry the same label.
   * @default "sre_service" (lib/slo/conventions.ts LABEL_SERVICE)
   */
  serviceLabel: nonEmpty.optional(),
});

/** One environment's alert routing after the schema (defaults filled in): what the generator reads. */
export type AlertRoutingConfig = z.output<typeof AlertRoutingSchema>;
/** {@link AlertRoutingConfig} as written, before defaults. */
export type AlertRoutingInput = z.input<typeof AlertRoutingSchema>;
/** @see AlertRoutingConfig.businessHours */
export type BusinessHours = AlertRoutingConfig["businessHours"];
/** Grouping and repetition of one tier's notifications. */
export type TierTiming = z.output<typeof TierTimingSchema>;
/** @see AlertRoutingConfig.pagerDuty */
export type PagerDutyReceiverConfig = NonNullable<AlertRoutingConfig["pagerDuty"]>;
/** @see AlertRoutingConfig.slack */
export type SlackReceiverConfig = AlertRoutingConfig["slack"];
/** @see AlertRoutingConfig.email */
export type EmailReceiverConfig = AlertRoutingConfig["email"];
/** @see AlertRoutingConfig.webhook */
export type WebhookReceiverConfig = NonNullable<AlertRoutingConfig["webhook"]>;
/** One team's receivers. @see AlertRoutingConfig.teams */
export type TeamReceiversConfig = z.output<typeof TeamReceiversSchema>;
/** @see AlertRoutingConfig.heartbeat */
export type HeartbeatReceiverConfig = NonNullable<AlertRoutingConfig["heartbeat"]>;

/** Where kube-prometheus-stack mounts `alertmanagerSpec.secrets` entries: `/etc/alertmanager/secrets/<name>/<key>`. */
export const ALERTMANAGER_SECRETS_ROOT = "/etc/alertmanager/secrets";

/**
 * Alertmanager configuration fields that would carry a credential inline; only their `*_file` forms are allowed,
 * because an inline value would land in the synthesized JSON and the Terraform state.
 */
export const ALERTMANAGER_INLINE_SECRET_FIELDS: readonly string[] = [
  "routing_key", "service_key", "api_url", "auth_password", "auth_secret", "password", "credentials", "bearer_token", "api_key", "token",
];

/**
 * URL fields that are credentials in one kind of receiver config only (a webhook's URL often carries its token; a
 * heartbeat's ping URL is the credential), by the list that holds such configs: only `url_file` is allowed there.
 * PagerDuty's `url`, the public Events API, stays inline.
 */
export const ALERTMANAGER_INLINE_URL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  webhook_configs: ["url"],
};

/** The Kubernetes Secret (filled by external-secrets) that holds every receiver credential. */
export const RECEIVER_SECRET_NAME = "alertmanager-receivers";

/** Keys of {@link RECEIVER_SECRET_NAME}; each becomes one file in the mounted folder. */
export const RECEIVER_SECRET_KEYS = {
  pagerDutyRoutingKey: "pagerduty-routing-key",
  slackWebhookUrl: "slack-webhook-url",
  smtpPassword: "smtp-password",
  webhookBearerToken: "webhook-bearer-token",
  heartbeatBearerToken: "heartbeat-bearer-token",
  /** The generic webhook's endpoint (`url_file`): a URL often carries its own token. */
  webhookUrl: "webhook-url",
  /** The heartbeat service's endpoint (`url_file`): a ping URL is the credential itself. */
  heartbeatUrl: "heartbeat-url",
} as const;

/**
 * A team's keys of {@link RECEIVER_SECRET_NAME}: its credentials sit beside the platform's in the same Secret (and the
 * same Secrets Manager secret), under names derived from the team's, so no configuration can point one team's receiver
 * at another's key or hold a credential inline.
 */
export function teamReceiverSecretKeys(team: string): { readonly pagerDutyRoutingKey: string; readonly slackWebhookUrl: string } {
  return { pagerDutyRoutingKey: `team-${team}-pagerduty-routing-key`, slackWebhookUrl: `team-${team}-slack-webhook-url` };
}

/** The folder Alertmanager reads the receiver secret files from in the cluster. */
export const RECEIVER_SECRET_DIR = `${ALERTMANAGER_SECRETS_ROOT}/${RECEIVER_SECRET_NAME}`;

/** Receiver names in the generated configuration (stable: silences and tests refer to them). */
export const RECEIVERS = {
  pagerDuty: "pagerduty",
  slack: "slack",
  emailDigest: "email-digest",
  webhook: "webhook",
  heartbeat: "heartbeat",
  /** Where `P0Escalation` goes: e-mail, when `escalation` is configured. */
  p0Escalation: "p0-escalation",
  /** The platform's SMS topic (P0 and escalations), when `sms` is configured. */
  sms: "sms",
  /** Where `Watchdog` goes when no heartbeat is configured: named so that the configuration shows what is missing. */
  noHeartbeat: "no-heartbeat-configured",
  none: "null",
} as const;

/** A team's receiver names in the generated configuration: `team-<team>-pagerduty`, `-slack`, `-email-digest`, `-sms`. */
export function teamReceiverNames(team: string): { readonly pagerDuty: string; readonly slack: string; readonly emailDigest: string; readonly sms: string } {
  return { pagerDuty: `team-${team}-pagerduty`, slack: `team-${team}-slack`, emailDigest: `team-${team}-email-digest`, sms: `team-${team}-sms` };
}

/** The alert kube-prometheus-stack fires at all times, so that its absence outside the cluster means trouble. */
export const WATCHDOG_ALERT = "Watchdog";

/** Timing of the `Watchdog` route when the heartbeat does not set its own repeat interval. */
export const HEARTBEAT_TIMING: TierTiming = { groupWait: "0s", groupInterval: "1m", repeatInterval: "1m" };

/** Name of the time interval P1 pages are active in. */
export const BUSINESS_HOURS_INTERVAL = "business-hours";

/** Default grouping per tier: P0 at once, P1 soon, P2 batched, P4 as a weekly digest. */
export const DEFAULT_TIER_TIMING: Readonly<Record<Priority, TierTiming>> = {
  P0: { groupWait: "0s", groupInterval: "1m", repeatInterval: "1h" },
  P1: { groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" },
  P2: { groupWait: "1m", groupInterval: "15m", repeatInterval: "1d" },
  P3: { groupWait: "5m", groupInterval: "1h", repeatInterval: "1d" },
  P4: { groupWait: "1h", groupInterval: "7d", repeatInterval: "7d" },
};

/** @see PagerDutyReceiverConfig.url */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
