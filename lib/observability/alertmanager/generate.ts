/**
 * Alert routing (typed, per environment) → Alertmanager configuration: a route per tier, one receiver per
 * kind, business-hours time intervals and the P0 inhibition. Secrets are only ever referenced as files.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
import { stringify } from "yaml";
import { formatProblems, type ValidationProblem } from "../../problems";
import { LABEL_SERVICE } from "../../slo/conventions";
import { ENFORCED_NAMESPACE_LABEL } from "../monitoring-selection";
import { LABEL_TEAM } from "../ownership";
import { LABEL_PRIORITY, PRIORITIES, type Priority } from "../priorities";
import {
  BUSINESS_HOURS_INTERVAL, DEFAULT_TIER_TIMING, HEARTBEAT_TIMING, PAGERDUTY_EVENTS_URL, WATCHDOG_ALERT, RECEIVER_SECRET_DIR, RECEIVER_SECRET_KEYS, RECEIVERS,
  teamReceiverNames, teamReceiverSecretKeys, type AlertRoutingConfig, type TierTiming,
} from "./model";
import { ESCALATED_ALERT_LABEL, P0_ESCALATION_ALERT } from "./escalation";
import { smsConfig, type SmsTopics } from "./sms";
import type { AlertmanagerConfig, AmEmailConfig, AmPagerDutyConfig, AmReceiver, AmRoute, AmSlackConfig } from "./types";
import { AlertRoutingError, alertmanagerSecretProblems, durationSeconds } from "./validate";

/** Re-exported where it was first declared, for callers that import it from here. */
export { AlertRoutingError };

/** Options of {@link buildAlertmanagerConfig} that are about where it runs, not about the environment. */
export interface AlertmanagerBuildOptions {
  /**
   * Folder holding the receiver secret files named by {@link RECEIVER_SECRET_KEYS} and {@link teamReceiverSecretKeys}.
   * @default RECEIVER_SECRET_DIR (where kube-prometheus-stack mounts the `alertmanager-receivers` Secret)
   */
  readonly secretsDir?: string;
  /** Used in error messages. @default "alerting" */
  readonly scope?: string;
  /**
   * Sources that label alerts with priority names of their own (falcosidekick writes Falco's); each gets the same
   * tier routes, and the same webhook copy, matching its names.
   * @default [] (every alert carries a tier P0–P4)
   */
  readonly priorityDialects?: readonly PriorityDialect[];
  /**
   * Each team's namespaces, keyed by the team's name: an alert labelled with one of them (the namespace
   * prometheus-operator enforces on a team's rules, or a dialect's {@link PriorityDialect.namespaceLabel}) is the
   * team's, whatever other labels it carries. A team of `routing.teams` missing here is recognised by its `team` label only.
   * @default {} (teams are recognised by their `team` label only)
   */
  readonly teamNamespaces?: Readonly<Record<string, readonly string[]>>;
  /**
   * The receiver each route names, from what the route is for: the same routing tree (matchers, grouping, timing,
   * time intervals, inhibitions) with other receivers, for an Alertmanager that reaches people differently (Amazon
   * Managed Prometheus's, SNS only: alertmanager/amp.ts). The receivers list is still the generated one; a caller
   * that renames receivers supplies its own.
   * @default - the generated receivers
   */
  readonly routeReceiver?: (route: RouteUse) => string;
  /**
   * The SNS topics the SMS pages are published to (`sns_configs`): required for the routing's `sms` and each team's.
   * @default - none: routing with `sms` is refused
   */
  readonly smsTopics?: SmsTopics;
}

/** What a route of the generated tree is for, as {@link AlertmanagerBuildOptions.routeReceiver} is told. */
export interface RouteUse {
  /** The receiver the generated configuration names (`pagerduty`, `team-payments-slack`, `heartbeat`, …). */
  readonly receiver: string;
  /** The tier the route delivers, when it delivers one (a tier route, or an owner's fallback). */
  readonly tier?: Priority;
  /** The team whose branch the route is on. @default - the platform's */
  readonly team?: string;
}

/** How alerts of one source reach the tiers when their `priority` label holds the source's own names. */
export interface PriorityDialect {
  /** A matcher that selects the source's alerts, e.g. `source="falco"`. */
  readonly sourceMatcher: string;
  /** The source's priority names that mean `tier` (none: such alerts stay on the fallback receiver). */
  namesOfTier(tier: Priority): readonly string[];
  /**
   * The label naming the namespace an alert comes from, e.g. `k8s_ns_name`: alerts from a team's namespace go to that
   * team, at most at {@link teamCeiling}.
   * @default - the source's alerts are the platform's, whatever their namespace
   */
  readonly namespaceLabel?: string;
  /**
   * The most urgent tier an alert of the source from a team's namespace reaches; more urgent names land on it.
   * @default "P0" (no ceiling)
   */
  readonly teamCeiling?: Priority;
}

/** The secret file path of one receiver credential. */
export function secretFile(key: keyof typeof RECEIVER_SECRET_KEYS, dir: string = RECEIVER_SECRET_DIR): string {
  return secretPath(RECEIVER_SECRET_KEYS[key], dir);
}

function secretPath(key: string, dir: string): string {
  return `${dir.replace(/\/+$/, "")}/${key}`;
}

/** Each tier's timing: the defaults with the environment's overrides. */
export function resolveTierTiming(c: AlertRoutingConfig): Record<Priority, TierTiming> {
  return Object.fromEntries(PRIORITIES.map((p) => [p, { ...DEFAULT_TIER_TIMING[p], ...c.tiers?.[p] }])) as Record<Priority, TierTiming>;
}

/**
 * The notification log retention Alertmanager needs for this routing: its longest repeat interval (the P4
 * digest's week by default). With less (Alertmanager's default is 120h) it forgets what it sent and repeats
 * early; the cluster layer sets `alertmanagerSpec.retention` to at least this.
 * @returns hours, as Alertmanager's `--data.retention` spells them, e.g. `168h`
 */
export function requiredAlertmanagerRetention(c: AlertRoutingConfig): string {
  const seconds = Math.max(...Object.values(resolveTierTiming(c)).map((t) => durationSeconds(t.repeatInterval) ?? 0));
  return `${Math.ceil(seconds / 3600)}h`;
}

const is = (p: Priority) => `${LABEL_PRIORITY}="${p}"`;

function timing(t: TierTiming): Pick<AmRoute, "group_wait" | "group_interval" | "repeat_interval"> {
  return { group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval };
}

/** A matcher for any of `values` (escaped for Alertmanager's regular expressions, which are anchored). */
function anyOf(label: string, values: readonly string[]): string {
  return `${label}=~"${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")}"`;
}

/** The receivers of one owner (the platform, or a team) that the tiers route to. */
interface TierReceivers {
  readonly pagerDuty: string;
  readonly slack: string;
  readonly emailDigest: string;
  /** The SMS receiver a P0 also reaches (`continue` from PagerDuty), when the owner has phones. */
  readonly sms?: string;
}

/** A dialect's names of the tiers, with the tiers more urgent than `ceiling` landing on it. */
function capped(d: PriorityDialect, ceiling: Priority): (tier: Priority) => readonly string[] {
  const rank = (p: Priority) => PRIORITIES.indexOf(p);
  return (tier) => {
    if (rank(tier) < rank(ceiling)) return [];
    if (tier === ceiling) return PRIORITIES.filter((p) => rank(p) <= rank(ceiling)).flatMap((p) => d.namesOfTier(p));
    return d.namesOfTier(tier);
  };
}

/**
 * Builds the configuration. P1 is routed twice: to PagerDuty while the business-hours interval is active
 * (`continue`, so the second route is also evaluated) and to Slack while it is muted; exactly one of the two
 * notifies at any moment.
 *
 * Owners: a team's alerts (labelled with one of its namespaces, else with `team="<name>"`) go down the team's own
 * branch, the same tier routes ending in the team's receivers; every other alert is the platform's. Namespaces come
 * first: a team's own rule cannot claim another team (or the platform) by its `team` label.
 *
 * The input is validated routing, checked once where it enters: an environment's `alerting` as
 * `validateEnvironments()` returns it, or the result of {@link parseAlertRouting} for routing from anywhere else.
 * It is not checked again here.
 * @throws AlertRoutingError when the result would carry a credential inline or read one from outside `secretsDir`
 * ({@link alertmanagerSecretProblems})
 */
export function buildAlertmanagerConfig(c: AlertRoutingConfig, opts: AlertmanagerBuildOptions = {}): AlertmanagerConfig {
  const scope = opts.scope ?? "alerting";
  const dir = opts.secretsDir ?? RECEIVER_SECRET_DIR;
  const service = c.serviceLabel ?? LABEL_SERVICE;
  const tiers = resolveTierTiming(c);
  const byService = ["alertname", service];
  const fallback = c.unprioritized ?? "P2";
  const smsProblems = smsTopicProblems(c, opts.smsTopics);
  if (smsProblems.length > 0) throw new AlertRoutingError(scope, formatProblems("SMS pages without their topics", smsProblems.map((p) => ({ ...p, path: `${scope}.${p.path}` }))));
  const platform: TierReceivers = {
    pagerDuty: RECEIVERS.pagerDuty, slack: RECEIVERS.slack, emailDigest: RECEIVERS.emailDigest, ...(c.sms !== undefined ? { sms: RECEIVERS.sms } : {}),
  };
  const fallbackOf = (r: TierReceivers) => (fallback === "P2" ? r.slack : RECEIVERS.none);
  const target = (use: RouteUse) => opts.routeReceiver?.(use) ?? use.receiver;
  // `match` gives a tier's matcher, or undefined to leave the tier out.
  const tierRoutes = (match: (p: Priority) => string | undefined, r: TierReceivers, team?: string): AmRoute[] => {
    const tier = (p: Priority, receiver: string, extra: Partial<AmRoute> = {}): AmRoute[] => {
      const m = match(p);
      return m === undefined ? [] : [{ receiver: target({ receiver, tier: p, team }), matchers: [m], group_by: byService, ...timing(tiers[p]), ...extra }];
    };
    // A P0 pages twice: PagerDuty, then (`continue`) the owner's phones by SMS, each integration retried on its own.
    return [
      ...tier("P0", r.pagerDuty, r.sms !== undefined ? { continue: true } : {}),
      ...(r.sms !== undefined ? tier("P0", r.sms) : []),
      ...tier("P1", r.pagerDuty, { active_time_intervals: [BUSINESS_HOURS_INTERVAL], continue: true }),
      ...tier("P1", r.slack, { mute_time_intervals: [BUSINESS_HOURS_INTERVAL] }),
      ...tier("P2", r.slack),
      ...tier("P3", RECEIVERS.none),
      // One digest for all capacity alerts: grouped by the tier alone.
      ...tier("P4", r.emailDigest, { group_by: [LABEL_PRIORITY] }),
    ];
  };

  /** A tier's matcher for alerts that carry P0–P4, or for a dialect's names (undefined when it has none). */
  const plain = (p: Priority) => is(p);
  const inNames = (namesOf: (p: Priority) => readonly string[]) => (...ps: Priority[]) => {
    const names = ps.flatMap((p) => namesOf(p));
    return names.length === 0 ? undefined : `${LABEL_PRIORITY}=~"${names.join("|")}"`;
  };
  const inDialect = (d: PriorityDialect) => inNames((p) => d.namesOfTier(p));
  const dialects = opts.priorityDialects ?? [];
  const teams = Object.keys(c.teams ?? {}).sort();
  const teamReceivers = (team: string): TierReceivers => {
    const { sms, ...names } = teamReceiverNames(team);
    return c.teams![team]!.sms !== undefined ? { ...names, sms } : names;
  };
  const namespacesOf = (team: string) => [...(opts.teamNamespaces?.[team] ?? [])].sort();
  /** One owner's branch: alerts matching `matchers` stay in it, on the owner's fallback receiver when no tier matches. */
  const branch = (matchers: string[], r: TierReceivers, routes: AmRoute[], team?: string): AmRoute => ({
    receiver: target({ receiver: fallbackOf(r), tier: fallback, team }), matchers, group_by: byService, ...timing(tiers[fallback]), routes,
  });

  // First and final: the always-firing Watchdog reaches the heartbeat service and no person (nor the webhook copy).
  const routes: AmRoute[] = [
    {
      receiver: target({ receiver: c.heartbeat !== undefined ? RECEIVERS.heartbeat : RECEIVERS.noHeartbeat }),
      matchers: [`alertname="${WATCHDOG_ALERT}"`],
      group_by: ["alertname"],
      ...timing({ ...HEARTBEAT_TIMING, ...(c.heartbeat?.repeatInterval !== undefined ? { repeatInterval: c.heartbeat.repeatInterval } : {}) }),
    },
  ];
  // An unhandled P0's escalation: e-mail to the escalation address, then (`continue`) the platform's phones by SMS when
  // it has any; nothing else (not the tiers, not the webhook copy).
  if (c.escalation !== undefined) {
    const escalation = (receiver: string, extra: Partial<AmRoute> = {}): AmRoute => ({
      receiver: target({ receiver }),
      matchers: [`alertname="${P0_ESCALATION_ALERT}"`],
      group_by: ["alertname", ESCALATED_ALERT_LABEL, service],
      ...timing(tiers.P0),
      ...extra,
    });
    routes.push(escalation(RECEIVERS.p0Escalation, c.sms !== undefined ? { continue: true } : {}));
    if (c.sms !== undefined) routes.push(escalation(RECEIVERS.sms));
  }
  const tiersCopied = c.webhook === undefined ? [] : [...c.webhook.priorities].sort();
  if (c.webhook !== undefined) {
    routes.push({ receiver: target({ receiver: RECEIVERS.webhook }), matchers: [`${LABEL_PRIORITY}=~"${tiersCopied.join("|")}"`], group_by: byService, continue: true });
  }
  // A dialect's alerts reach their tier through a branch of their own: the same routes, matching the dialect's names.
  // An alert whose name no tier has stays on the branch's receiver, the fallback. Those from a team's namespace go to
  // the team, at most at the dialect's ceiling, and are not copied to the webhook (they are not the platform's).
  for (const d of dialects) {
    const inside: AmRoute[] = [];
    if (d.namespaceLabel !== undefined) {
      for (const team of teams) {
        const namespaces = namespacesOf(team);
        if (namespaces.length === 0) continue;
        inside.push(branch([anyOf(d.namespaceLabel, namespaces)], teamReceivers(team), tierRoutes((p) => inNames(capped(d, d.teamCeiling ?? "P0"))(p), teamReceivers(team), team), team));
      }
    }
    const copied = inDialect(d)(...tiersCopied);
    if (copied !== undefined) inside.push({ receiver: target({ receiver: RECEIVERS.webhook }), matchers: [copied], group_by: byService, continue: true });
    inside.push(...tierRoutes((p) => inDialect(d)(p), platform));
    routes.push(branch([d.sourceMatcher], platform, inside));
  }
  for (const team of teams) {
    const namespaces = namespacesOf(team);
    if (namespaces.length > 0) routes.push(branch([anyOf(ENFORCED_NAMESPACE_LABEL, namespaces)], teamReceivers(team), tierRoutes(plain, teamReceivers(team), team), team));
  }
  for (const team of teams) routes.push(branch([`${LABEL_TEAM}="${team}"`], teamReceivers(team), tierRoutes(plain, teamReceivers(team), team), team));
  routes.push(...tierRoutes(plain, platform));

  const config: AlertmanagerConfig = {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: target({ receiver: fallbackOf(platform), tier: fallback }),
      group_by: byService,
      ...timing(tiers[fallback]),
      routes,
    },
    inhibit_rules: [
      {
        // Alertmanager treats a label missing on both sides as equal: require it on the P0, or a P0 without
        // the label would silence every unlabelled alert of any service.
        source_matchers: [is("P0"), `${service}=~".+"`],
        target_matchers: [`${LABEL_PRIORITY}=~"P1|P2|P3"`],
        equal: [service],
      },
    ],
    receivers: [...receivers(c, dir, opts.smsTopics), ...teams.flatMap((t) => teamReceiverList(c, t, dir, opts.smsTopics))],
    time_intervals: [
      {
        name: BUSINESS_HOURS_INTERVAL,
        time_intervals: [
          {
            weekdays: [...c.businessHours.weekdays],
            times: c.businessHours.times.map((t) => ({ start_time: t.start, end_time: t.end })),
            location: c.businessHours.location,
          },
        ],
      },
    ],
  };
  // The same rule the monitoring add-on applies to any configuration it is given: no credential inline, every
  // secret file in the folder the receivers' Secret is mounted at.
  const secretProblems = alertmanagerSecretProblems(config, [dir], { at: scope });
  if (secretProblems.length > 0) throw new AlertRoutingError(scope, formatProblems("generated configuration", secretProblems));
  return config;
}

const TITLE = `[{{ .CommonLabels.${LABEL_PRIORITY} }}] {{ .CommonLabels.alertname }}`;

function pagerDutyConfig(url: string | undefined, keyFile: string): AmPagerDutyConfig {
  return {
    routing_key_file: keyFile,
    url: url ?? PAGERDUTY_EVENTS_URL,
    send_resolved: true,
    severity: `{{ if eq .CommonLabels.${LABEL_PRIORITY} "P0" }}critical{{ else }}error{{ end }}`,
    description: `${TITLE} {{ .CommonAnnotations.summary }}`,
    details: {
      [LABEL_PRIORITY]: `{{ .CommonLabels.${LABEL_PRIORITY} }}`,
      firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
      num_firing: "{{ .Alerts.Firing | len }}",
    },
  };
}

function slackConfig(channel: string, urlFile: string): AmSlackConfig {
  return { api_url_file: urlFile, channel, send_resolved: true, title: TITLE, text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}" };
}

function emailConfig(c: AlertRoutingConfig, to: string, dir: string, subject = `[P4] capacity digest: {{ .Alerts.Firing | len }} alert(s)`): AmEmailConfig {
  return {
    to,
    from: c.email.from,
    smarthost: c.email.smarthost,
    ...(c.email.authUsername !== undefined ? { auth_username: c.email.authUsername, auth_password_file: secretFile("smtpPassword", dir) } : {}),
    require_tls: true,
    send_resolved: false,
    headers: { Subject: subject },
  };
}

/**
 * A team's receivers: its PagerDuty service and Slack channel (keys of its own), its digest through the platform's SMTP
 * server, and its SMS topic when it has phones.
 */
function teamReceiverList(c: AlertRoutingConfig, team: string, dir: string, sms: SmsTopics | undefined): AmReceiver[] {
  const r = c.teams![team]!;
  const names = teamReceiverNames(team);
  const keys = teamReceiverSecretKeys(team);
  return [
    { name: names.pagerDuty, pagerduty_configs: [pagerDutyConfig(r.pagerDuty?.url, secretPath(keys.pagerDutyRoutingKey, dir))] },
    { name: names.slack, slack_configs: [slackConfig(r.slack.channel, secretPath(keys.slackWebhookUrl, dir))] },
    { name: names.emailDigest, email_configs: [emailConfig(c, r.email.to, dir)] },
    ...(r.sms !== undefined ? [{ name: names.sms, sns_configs: [smsConfig(sms!.teamTopicArns![team]!, sms!.region, c.serviceLabel ?? LABEL_SERVICE)] }] : []),
  ];
}

/** Each `sms` of the routing whose topic `topics` does not name (none when every one has its topic). */
function smsTopicProblems(c: AlertRoutingConfig, topics: SmsTopics | undefined): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const owners: Array<[string, string | undefined]> = [
    ...(c.sms !== undefined ? [["sms", topics?.topicArn] as [string, string | undefined]] : []),
    ...Object.entries(c.teams ?? {}).filter(([, t]) => t.sms !== undefined).map(([team]): [string, string | undefined] => [`teams.${team}.sms`, topics?.teamTopicArns?.[team]]),
  ];
  for (const [path, arn] of owners) {
    if (arn === undefined || topics?.region === undefined || topics.region === "") {
      problems.push({ path, value: "(phones)", allowed: "an SNS topic to publish to: pass smsTopics (region and the topic's ARN) to the generator" });
    }
  }
  return problems;
}

function receivers(c: AlertRoutingConfig, dir: string, sms: SmsTopics | undefined): AmReceiver[] {
  const list: AmReceiver[] = [
    { name: RECEIVERS.pagerDuty, pagerduty_configs: [pagerDutyConfig(c.pagerDuty?.url, secretFile("pagerDutyRoutingKey", dir))] },
    { name: RECEIVERS.slack, slack_configs: [slackConfig(c.slack.channel, secretFile("slackWebhookUrl", dir))] },
    { name: RECEIVERS.emailDigest, email_configs: [emailConfig(c, c.email.to, dir)] },
    ...(c.escalation !== undefined
      ? [{ name: RECEIVERS.p0Escalation, email_configs: [emailConfig(c, c.escalation.to ?? c.email.to, dir, `[P0 escalation] {{ .CommonLabels.${ESCALATED_ALERT_LABEL} }} unresolved after ${c.escalation.after}`)] }]
      : []),
    ...(c.sms !== undefined ? [{ name: RECEIVERS.sms, sns_configs: [smsConfig(sms!.topicArn!, sms!.region, c.serviceLabel ?? LABEL_SERVICE)] }] : []),
    { name: RECEIVERS.none },
  ];
  if (c.webhook !== undefined) {
    list.push({
      name: RECEIVERS.webhook,
      webhook_configs: [
        {
          url_file: secretFile("webhookUrl", dir),
          send_resolved: true,
          ...(c.webhook.bearerToken !== false
            ? { http_config: { authorization: { type: "Bearer", credentials_file: secretFile("webhookBearerToken", dir) } } }
            : {}),
        },
      ],
    });
  }
  if (c.heartbeat !== undefined) {
    list.push({
      name: RECEIVERS.heartbeat,
      webhook_configs: [
        {
          url_file: secretFile("heartbeatUrl", dir),
          // A heartbeat is the arrival itself; a "resolved" Watchdog would only mean the pipeline stopped.
          send_resolved: false,
          ...(c.heartbeat.bearerToken !== false
            ? { http_config: { authorization: { type: "Bearer", credentials_file: secretFile("heartbeatBearerToken", dir) } } }
            : {}),
        },
      ],
    });
  } else {
    // Notifies nobody, by a name that says why: a configuration review (or amtool) shows the missing dead man's switch.
    list.push({ name: RECEIVERS.noHeartbeat });
  }
  return list;
}

/**
 * A copy of `config` with each webhook's `url_file` replaced by the URL `urlOf(file)` returns, for Alertmanager and
 * amtool before 0.26 only: they do not know `url_file` (Debian's 0.25, which the platform's amtool checks and
 * end-to-end proofs run, refuses it). The copy holds URLs inline, so it is for local checks with placeholder or
 * loopback URLs and is never deployed: the cluster's Alertmanager (kube-prometheus-stack 88.5.3's) reads the files.
 */
export function withUrlsInlined(config: AlertmanagerConfig, urlOf: (file: string) => string): AlertmanagerConfig {
  return {
    ...config,
    receivers: config.receivers.map((r) =>
      r.webhook_configs === undefined
        ? r
        : { ...r, webhook_configs: r.webhook_configs.map(({ url_file, ...w }) => (url_file === undefined ? w : { ...w, url: urlOf(url_file) })) },
    ),
  };
}

/** Header of the generated file. */
export const ALERTMANAGER_HEADER = "# Generated by sre-platform (lib/observability/alertmanager). DO NOT EDIT.\n";

/** The configuration as Alertmanager YAML, with a header; deterministic for a given input. */
export function emitAlertmanagerYaml(config: AlertmanagerConfig): string {
  // No anchors: reviewers read every route in full.
  return ALERTMANAGER_HEADER + stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}
