/**
 * The subset of Alertmanager's configuration file this platform generates, spelled as Alertmanager spells it
 * (snake_case), so the object serializes to YAML as is. Only `*_file` fields carry credentials.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */

/** A routing tree node. */
export interface AmRoute {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly continue?: boolean;
  readonly active_time_intervals?: readonly string[];
  readonly mute_time_intervals?: readonly string[];
  readonly routes?: readonly AmRoute[];
}

export interface AmInhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal: readonly string[];
}

export interface AmPagerDutyConfig {
  readonly routing_key_file: string;
  readonly url: string;
  readonly send_resolved: boolean;
  readonly severity: string;
  readonly description: string;
  readonly details: Readonly<Record<string, string>>;
}

export interface AmSlackConfig {
  readonly api_url_file: string;
  readonly channel: string;
  readonly send_resolved: boolean;
  readonly title: string;
  readonly text: string;
}

export interface AmEmailConfig {
  readonly to: string;
  readonly from: string;
  readonly smarthost: string;
  readonly auth_username?: string;
  readonly auth_password_file?: string;
  readonly require_tls: boolean;
  readonly send_resolved: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export interface AmWebhookConfig {
  /** Only in {@link withUrlsInlined}'s copy for Alertmanager before 0.26: the generated configuration reads `url_file`. */
  readonly url?: string;
  readonly url_file?: string;
  readonly send_resolved: boolean;
  readonly http_config?: { readonly authorization: { readonly type: "Bearer"; readonly credentials_file: string } };
}

/**
 * A publication to an Amazon SNS topic, signed with the pod's AWS credentials (IRSA) for `sigv4.region`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 */
export interface AmSnsConfig {
  /** Only in a local test's copy (a loopback stand-in for SNS); the generated configuration uses the region's endpoint. */
  readonly api_url?: string;
  readonly topic_arn: string;
  readonly sigv4: { readonly region: string };
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly send_resolved: boolean;
}

export interface AmReceiver {
  readonly name: string;
  readonly pagerduty_configs?: readonly AmPagerDutyConfig[];
  readonly slack_configs?: readonly AmSlackConfig[];
  readonly email_configs?: readonly AmEmailConfig[];
  readonly webhook_configs?: readonly AmWebhookConfig[];
  readonly sns_configs?: readonly AmSnsConfig[];
}

export interface AmTimeInterval {
  readonly name: string;
  readonly time_intervals: ReadonlyArray<{
    readonly weekdays: readonly string[];
    readonly times: ReadonlyArray<{ readonly start_time: string; readonly end_time: string }>;
    readonly location: string;
  }>;
}

/** A whole Alertmanager configuration file. */
export interface AlertmanagerConfig {
  readonly global: { readonly resolve_timeout: string };
  readonly route: AmRoute;
  readonly inhibit_rules: readonly AmInhibitRule[];
  readonly receivers: readonly AmReceiver[];
  readonly time_intervals: readonly AmTimeInterval[];
}
