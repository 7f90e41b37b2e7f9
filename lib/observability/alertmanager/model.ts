/**
 * Input and constants of the Alertmanager configuration generator: what an environment says about where
 * alerts go (data), and where the receivers' secrets are mounted (never their values).
 */
import type { Priority } from "../priorities";

/**
 * Days as Alertmanager spells and orders them in `time_intervals[].weekdays`: its weeks start on Sunday, so a
 * range must ascend in this order (`sunday:saturday` is the whole week; `monday:sunday` is refused).
 */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/**
 * When a P1 (SLO page) may page a person. Outside these hours a P1 goes to chat instead.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
 */
export interface BusinessHours {
  /** IANA time zone the hours are in, e.g. `Europe/Dublin` (Alertmanager's `location`). */
  readonly location: string;
  /** Days or inclusive day ranges in Sunday-first order, e.g. `["monday:friday"]`, `["sunday:saturday"]`. */
  readonly weekdays: readonly string[];
  /** Start and end of each span, `HH:MM` in 24-hour time (`24:00` ends at midnight); start before end. */
  readonly times: ReadonlyArray<{ readonly start: string; readonly end: string }>;
}

/** Grouping and repetition of one tier's notifications (Prometheus durations such as `30s`, `4h`, `7d`). */
export interface TierTiming {
  /** Wait before the first notification of a new group, to batch alerts that fire together. */
  readonly groupWait: string;
  /** Wait before notifying about alerts added to a group that was already notified. */
  readonly groupInterval: string;
  /** Wait before repeating a notification that has not changed; at least `groupInterval`. */
  readonly repeatInterval: string;
}

/** PagerDuty Events API v2 receiver (P0 always, P1 in business hours). The routing key is a mounted file. */
export interface PagerDutyReceiverConfig {
  /**
   * Events API endpoint.
   * @default "https://events.pagerduty.com/v2/enqueue"
   */
  readonly url?: string;
}

/** Slack receiver (P2, and P1 outside business hours). The webhook URL is a mounted file. */
export interface SlackReceiverConfig {
  /** Channel the incoming webhook posts to, e.g. `#alerts-prod`. */
  readonly channel: string;
}

/** E-mail receiver for the weekly P4 capacity digest. The SMTP password is a mounted file. */
export interface EmailReceiverConfig {
  /** Recipient address (a list or a team mailbox). */
  readonly to: string;
  /** Sender address. */
  readonly from: string;
  /** SMTP server as `host:port`. */
  readonly smarthost: string;
  /**
   * SMTP user; the password is read from the mounted secret file.
   * @default - no SMTP authentication
   */
  readonly authUsername?: string;
}

/** A generic webhook (incident tooling, chat-ops) that receives a copy of the chosen tiers. */
export interface WebhookReceiverConfig {
  /** Endpoint URL; not secret (the bearer token is). */
  readonly url: string;
  /** Tiers copied to the webhook, in addition to their own receivers. */
  readonly priorities: readonly Priority[];
  /**
   * Send a bearer token read from the mounted secret file.
   * @default true
   */
  readonly bearerToken?: boolean;
}

/** One environment's alert routing, as written in `environments/<env>.ts` under `alerting`. */
export interface AlertRoutingConfig {
  readonly businessHours: BusinessHours;
  /** @default - the Events API v2 endpoint */
  readonly pagerDuty?: PagerDutyReceiverConfig;
  readonly slack: SlackReceiverConfig;
  readonly email: EmailReceiverConfig;
  /** @default - no webhook receiver */
  readonly webhook?: WebhookReceiverConfig;
  /**
   * Per-tier overrides of {@link DEFAULT_TIER_TIMING}; unset fields keep the default.
   * @default - the defaults
   */
  readonly tiers?: Partial<Record<Priority, Partial<TierTiming>>>;
  /**
   * How an alert without a `priority` label is treated: P2 (chat) so nothing is lost, or P3 (dropped).
   * @default "P2"
   */
  readonly unprioritized?: "P2" | "P3";
  /**
   * The label naming the service, shared by a P0 and the P1–P3 alerts it silences. The SLO compiler's alerts
   * carry `sre_service`; P0 rules written elsewhere must carry the same label.
   * @default "sre_service" (lib/slo/conventions.ts LABEL_SERVICE)
   */
  readonly serviceLabel?: string;
}

/** Where kube-prometheus-stack mounts `alertmanagerSpec.secrets` entries: `/etc/alertmanager/secrets/<name>/<key>`. */
export const ALERTMANAGER_SECRETS_ROOT = "/etc/alertmanager/secrets";

/**
 * Alertmanager configuration fields that would carry a credential inline; only their `*_file` forms are allowed,
 * because an inline value would land in the synthesized JSON and the Terraform state.
 */
export const ALERTMANAGER_INLINE_SECRET_FIELDS: readonly string[] = [
  "routing_key", "service_key", "api_url", "auth_password", "auth_secret", "password", "credentials", "bearer_token", "api_key", "token",
];

/** The Kubernetes Secret (filled by external-secrets) that holds every receiver credential. */
export const RECEIVER_SECRET_NAME = "alertmanager-receivers";

/** Keys of {@link RECEIVER_SECRET_NAME}; each becomes one file in the mounted folder. */
export const RECEIVER_SECRET_KEYS = {
  pagerDutyRoutingKey: "pagerduty-routing-key",
  slackWebhookUrl: "slack-webhook-url",
  smtpPassword: "smtp-password",
  webhookBearerToken: "webhook-bearer-token",
} as const;

/** The folder Alertmanager reads the receiver secret files from in the cluster. */
export const RECEIVER_SECRET_DIR = `${ALERTMANAGER_SECRETS_ROOT}/${RECEIVER_SECRET_NAME}`;

/** Receiver names in the generated configuration (stable: silences and tests refer to them). */
export const RECEIVERS = {
  pagerDuty: "pagerduty",
  slack: "slack",
  emailDigest: "email-digest",
  webhook: "webhook",
  none: "null",
} as const;

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
