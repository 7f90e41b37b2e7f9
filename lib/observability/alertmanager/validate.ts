/**
 * Rules for {@link AlertRoutingConfig}, checked once before anything is generated. Each problem names the field,
 * the value given and what is allowed. Environment validation (lib/config) runs them for its `alerting` section;
 * {@link parseAlertRouting} runs the schema and them for routing from anywhere else.
 */
import { formatProblems, type ValidationProblem } from "../../problems";
import { prometheusDurationSeconds } from "../../kubernetes/durations";
import { LABEL_NAME_RE } from "../../slo/promql";
import { TEAM_NAME_ALLOWED, TEAM_NAME_RE } from "../ownership";
import { isPriority, PRIORITIES } from "../priorities";
import { smsPagingProblems, smsSchemaProblem } from "./sms";
import { ALERTMANAGER_INLINE_SECRET_FIELDS, ALERTMANAGER_INLINE_URL_FIELDS, ALERTMANAGER_SECRETS_ROOT, AlertRoutingSchema, DEFAULT_TIER_TIMING, WEEKDAYS, type AlertRoutingConfig, type TierTiming } from "./model";

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const SMARTHOST = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const SLACK_CHANNEL = /^[#@][a-z0-9][a-z0-9._-]{0,79}$/;

/** Seconds in a Prometheus duration (`1h30m`), or undefined when it is not one. */
export const durationSeconds = prometheusDurationSeconds;

/** True for a time zone this runtime knows (the same IANA database Alertmanager loads). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return name !== "" && name.toLowerCase() !== "local";
  } catch {
    return false;
  }
}

function minutes(t: string): number {
  const [h, m] = t.split(":").map(Number);
  return h! * 60 + m!;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === "https:" || u.protocol === "http:") && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}

/** Invalid alert routing; the message lists every problem with its field, value and what is allowed. */
export class AlertRoutingError extends Error {
  constructor(scope: string, message: string) {
    super(`${scope}:\n${message}`);
    this.name = "AlertRoutingError";
  }
}

/**
 * Alert routing from outside the environment configuration (another team's stack, a test), checked once: its
 * shape ({@link AlertRoutingSchema}, which also fills in defaults) and then {@link validateAlertRouting}'s rules.
 * The result is what {@link buildAlertmanagerConfig} takes.
 * @param scope names the input in problems and the error, e.g. `alerting`
 * @throws AlertRoutingError listing every problem
 */
export function parseAlertRouting(input: unknown, scope = "alerting"): AlertRoutingConfig {
  const parsed = AlertRoutingSchema.safeParse(input);
  const problems: ValidationProblem[] = parsed.success
    ? validateAlertRouting(parsed.data, scope)
    : parsed.error.issues.flatMap((issue) => {
        const value = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
        const pathOf = (keys: readonly PropertyKey[]) => [scope, ...keys.map(String)].reduce((acc, k) => (/^\d+$/.test(k) ? `${acc}[${k}]` : `${acc}.${k}`));
        // Under `sms`, one problem per unknown key, at the key, so a phone number written in a field of its own is not
        // repeated with the object that holds it.
        if (issue.code === "unrecognized_keys" && issue.path.includes("sms")) {
          return issue.keys.map((k) => smsSchemaProblem({ path: pathOf([...issue.path, k]), value: (value as Record<string, unknown>)?.[k], allowed: `no field "${k}" here` }));
        }
        let allowed = issue.message;
        if (issue.code === "unrecognized_keys") allowed = `no field(s) ${issue.keys.join(", ")} here`;
        else if (issue.code === "invalid_value") allowed = `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        else if (issue.code === "invalid_type") allowed = value === undefined ? `a value (required), of type ${issue.expected}` : `a value of type ${issue.expected}`;
        return [smsSchemaProblem({ path: pathOf(issue.path), value, allowed })];
      });
  if (problems.length > 0) throw new AlertRoutingError(scope, formatProblems("invalid alert routing", problems));
  return parsed.data!;
}

/** Every problem of one environment's alert routing; empty when it can be generated. */
export function validateAlertRouting(c: AlertRoutingConfig, at = "alerting"): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path: `${at}.${path}`, value, allowed });

  const bh = c.businessHours;
  if (!isTimeZone(bh.location)) add("businessHours.location", bh.location, "an IANA time zone such as Europe/Dublin or America/New_York");
  if (bh.weekdays.length === 0) add("businessHours.weekdays", bh.weekdays, 'at least one day or range, e.g. "monday:friday"');
  bh.weekdays.forEach((w, i) => {
    const days = w.split(":");
    const idx = days.map((d) => (WEEKDAYS as readonly string[]).indexOf(d));
    if (days.length > 2 || idx.some((x) => x < 0) || (idx.length === 2 && idx[0]! > idx[1]!)) {
      add(`businessHours.weekdays[${i}]`, w, `a lowercase day (${WEEKDAYS.join(", ")}) or a range "start:end" ascending in Alertmanager's Sunday-first week, such as "monday:friday" or "sunday:saturday"`);
    }
  });
  if (bh.times.length === 0) add("businessHours.times", bh.times, 'at least one span, e.g. { start: "09:00", end: "17:00" }');
  bh.times.forEach((t, i) => {
    for (const k of ["start", "end"] as const) {
      if (!TIME.test(t[k])) add(`businessHours.times[${i}].${k}`, t[k], 'a time "HH:MM" from 00:00 to 24:00');
    }
    if (TIME.test(t.start) && TIME.test(t.end) && minutes(t.start) >= minutes(t.end)) {
      add(`businessHours.times[${i}]`, t, "a start before the end (a span across midnight is two spans)");
    }
  });

  if (c.pagerDuty?.url !== undefined && !isHttpUrl(c.pagerDuty.url)) add("pagerDuty.url", c.pagerDuty.url, "an http(s) URL without credentials");
  if (!SLACK_CHANNEL.test(c.slack.channel)) add("slack.channel", c.slack.channel, 'a Slack channel such as "#alerts-prod" (lowercase, starting with # or @)');
  for (const k of ["to", "from"] as const) {
    if (!EMAIL.test(c.email[k])) add(`email.${k}`, c.email[k], "an e-mail address such as sre@example.com");
  }
  if (!SMARTHOST.test(c.email.smarthost)) add("email.smarthost", c.email.smarthost, 'an SMTP server as "host:port", e.g. "smtp.example.com:587"');
  if (c.email.authUsername !== undefined && c.email.authUsername.trim() === "") add("email.authUsername", c.email.authUsername, "a user name, or leave it out for no SMTP authentication");

  if (c.webhook !== undefined) {
    if (c.webhook.priorities.length === 0) add("webhook.priorities", c.webhook.priorities, `at least one of ${PRIORITIES.join(", ")}`);
    c.webhook.priorities.forEach((p, i) => {
      if (!isPriority(p)) add(`webhook.priorities[${i}]`, p, `one of ${PRIORITIES.join(", ")}`);
      else if (c.webhook!.priorities.indexOf(p) !== i) add(`webhook.priorities[${i}]`, p, "each tier once");
    });
  }

  if (c.heartbeat !== undefined) {
    const every = c.heartbeat.repeatInterval;
    if (every !== undefined) {
      const seconds = durationSeconds(every);
      if (seconds === undefined || seconds < 60 || seconds > 300) add("heartbeat.repeatInterval", every, 'a duration from "1m" to "5m": the heartbeat service must hear often enough to notice a silence within minutes');
    }
  }

  if (c.sms !== undefined) problems.push(...smsPagingProblems(c.sms, `${at}.sms`));

  if (c.escalation !== undefined) {
    const seconds = durationSeconds(c.escalation.after);
    if (seconds === undefined || seconds < 300 || seconds > 86400) add("escalation.after", c.escalation.after, 'a duration from "5m" to "24h": how long a P0 may fire before it escalates');
    if (c.escalation.to !== undefined && !EMAIL.test(c.escalation.to)) add("escalation.to", c.escalation.to, "an e-mail address such as sre-lead@example.com");
  }

  const problemsAt = at;
  for (const [team, r] of Object.entries(c.teams ?? {})) {
    const at = `teams.${team}`;
    if (!TEAM_NAME_RE.test(team)) add(at, team, `a team name: ${TEAM_NAME_ALLOWED}`);
    if (r.pagerDuty?.url !== undefined && !isHttpUrl(r.pagerDuty.url)) add(`${at}.pagerDuty.url`, r.pagerDuty.url, "an http(s) URL without credentials");
    if (!SLACK_CHANNEL.test(r.slack.channel)) add(`${at}.slack.channel`, r.slack.channel, 'a Slack channel such as "#payments-alerts" (lowercase, starting with # or @)');
    if (!EMAIL.test(r.email.to)) add(`${at}.email.to`, r.email.to, "an e-mail address such as payments@example.com");
    if (r.sms !== undefined) problems.push(...smsPagingProblems(r.sms, `${problemsAt}.${at}.sms`));
  }

  for (const [tier, timing] of Object.entries(c.tiers ?? {})) {
    if (!isPriority(tier)) {
      add(`tiers.${tier}`, timing, `one of ${PRIORITIES.join(", ")}`);
      continue;
    }
    // Checked merged with the defaults, so an override cannot undercut a default it leaves in place.
    problems.push(...timingProblems({ ...DEFAULT_TIER_TIMING[tier], ...timing }, `${at}.tiers.${tier}`));
  }
  if (c.unprioritized !== undefined && c.unprioritized !== "P2" && c.unprioritized !== "P3") {
    add("unprioritized", c.unprioritized, '"P2" (chat, so nothing is lost) or "P3" (no notification)');
  }
  if (c.serviceLabel !== undefined && !LABEL_NAME_RE.test(c.serviceLabel)) add("serviceLabel", c.serviceLabel, "a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
  return problems;
}

/** Problems of one tier's (partial) timing: valid durations, a non-zero group interval, repeat ≥ group interval. */
function timingProblems(t: TierTiming, at: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seconds: Partial<Record<keyof TierTiming, number>> = {};
  for (const k of ["groupWait", "groupInterval", "repeatInterval"] as const) {
    const v = t[k];
    if (v === undefined) continue;
    const s = durationSeconds(v);
    if (s === undefined) problems.push({ path: `${at}.${k}`, value: v, allowed: 'a Prometheus duration such as "30s", "5m", "4h" or "7d"' });
    else if (k !== "groupWait" && s === 0) problems.push({ path: `${at}.${k}`, value: v, allowed: "a duration above zero" });
    else seconds[k] = s;
  }
  if (seconds.groupInterval !== undefined && seconds.repeatInterval !== undefined && seconds.repeatInterval < seconds.groupInterval) {
    problems.push({ path: `${at}.repeatInterval`, value: t.repeatInterval, allowed: `at least the group interval (${t.groupInterval})` });
  }
  return problems;
}

/** The folder prometheus-operator mounts each `alertmanagerSpec.secrets` entry in, with a trailing `/`. */
export function mountedSecretDirs(secretNames: readonly string[]): string[] {
  return secretNames.map((n) => `${ALERTMANAGER_SECRETS_ROOT}/${n}/`);
}

/** Options of {@link alertmanagerSecretProblems}. */
export interface SecretProblemsOptions {
  /** Path prefix of the problems. @default "alertmanager.config" */
  readonly at?: string;
  /** What is allowed for a `*_file` when `fileDirs` is empty. @default "no *_file field: no folder of secret files is mounted" */
  readonly whenNoDirs?: string;
}

/**
 * Credentials in an Alertmanager configuration, generated or written by hand: every inline credential field
 * ({@link ALERTMANAGER_INLINE_SECRET_FIELDS}) is refused, and every `*_file` must lie in one of `fileDirs`. The
 * generator checks its own output with it and the monitoring add-on checks whatever configuration it is given, so
 * both hold the same rule: a credential never lands in the synthesized JSON or the state, and a file Alertmanager
 * reads is one that is mounted.
 */
export function alertmanagerSecretProblems(config: unknown, fileDirs: readonly string[], opts: SecretProblemsOptions = {}): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const dirs = fileDirs.map((d) => `${d.replace(/\/+$/, "")}/`);
  const walk = (value: unknown, path: string, within?: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, within));
    if (value === null || typeof value !== "object") return;
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}.${key}`;
      const inlineSecret = ALERTMANAGER_INLINE_SECRET_FIELDS.includes(key) || (within !== undefined && (ALERTMANAGER_INLINE_URL_FIELDS[within] ?? []).includes(key));
      if (inlineSecret && typeof v === "string") {
        problems.push({ path: at, value: "(a credential)", allowed: `${key}_file pointing into a mounted Secret: inline credentials would land in the synthesized JSON and the state` });
      } else if (key.endsWith("_file") && typeof v === "string" && !dirs.some((r) => v.startsWith(r))) {
        problems.push({ path: at, value: v, allowed: dirs.length ? `a file under ${dirs.join(" or ")}` : (opts.whenNoDirs ?? "no *_file field: no folder of secret files is mounted") });
      } else walk(v, at, Array.isArray(v) ? key : within);
    }
  };
  walk(config, opts.at ?? "alertmanager.config");
  return problems;
}
