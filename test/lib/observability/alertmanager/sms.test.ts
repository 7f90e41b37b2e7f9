/**
 * P0 pages by SMS: the generated routes and `sns_configs`, the refusal of phone numbers written in configuration, and
 * the SMS text rendered by Alertmanager's own template engine (amtool 0.25, the oldest Alertmanager the platform checks
 * with; the cluster runs 0.34, which knows every field used here).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  buildAlertmanagerConfig, emitAlertmanagerYaml, parseAlertRouting, p0SmsTopicName, smsMessageTemplate, snsTopicArn, validateAlertRouting, withUrlsInlined,
  AlertRoutingError, SMS_MAX_CHARACTERS, SMS_SUBJECT_TEMPLATE, type AlertRoutingConfig, type AmRoute, type SmsTopics,
} from "../../../../lib/observability/alertmanager";
import { AMTOOL, describeWithBinaries, runBinary } from "../../../support/binaries";

const PHONES = { phoneNumbers: [{ name: "primary-on-call", secret: "sre-platform/prod/p0-sms/primary-on-call" }] };
const BASE: AlertRoutingConfig = {
  businessHours: { location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:30" }] },
  slack: { channel: "#alerts" },
  email: { to: "cap@example.com", from: "am@example.com", smarthost: "smtp.example.com:587" },
  sms: PHONES,
  escalation: { after: "30m", to: "lead@example.com" },
  teams: {
    payments: { slack: { channel: "#payments" }, email: { to: "payments@example.com" }, sms: { phoneNumbers: [{ name: "payments-on-call", secret: "arn:aws:secretsmanager:eu-west-1:333333333333:secret:payments/on-call-AbCdEf" }] } },
    search: { slack: { channel: "#search" }, email: { to: "search@example.com" } },
  },
};
const arn = (name: string) => snsTopicArn({ region: "eu-west-1", account: "333333333333", name });
const TOPICS: SmsTopics = { region: "eu-west-1", topicArn: arn(p0SmsTopicName("prod")), teamTopicArns: { payments: arn(p0SmsTopicName("prod", "payments")) } };
const has = (r: AmRoute, m: string) => r.matchers?.includes(m) ?? false;

describe("SMS pages in the generated configuration", () => {
  const cfg = buildAlertmanagerConfig(BASE, { smsTopics: TOPICS });
  const routes = cfg.route.routes!;

  test("a platform P0 pages PagerDuty, then (continue) the SMS topic; no other tier reaches it", () => {
    const p0 = routes.filter((r) => has(r, 'priority="P0"'));
    expect(p0.map((r) => [r.receiver, r.continue])).toEqual([["pagerduty", true], ["sms", undefined]]);
    expect(p0[1]).toMatchObject({ group_wait: "0s", group_by: ["alertname", "sre_service"] });
    expect(routes.filter((r) => r.receiver === "sms" && !has(r, 'priority="P0"') && !has(r, 'alertname="P0Escalation"'))).toEqual([]);
  });

  test("the escalation goes by e-mail, then (continue) by SMS to the platform's phones, and stops there", () => {
    const esc = routes.filter((r) => has(r, 'alertname="P0Escalation"'));
    expect(esc.map((r) => [r.receiver, r.continue])).toEqual([["p0-escalation", true], ["sms", undefined]]);
    // Right after each other: nothing between them could catch the escalation first.
    expect(routes.indexOf(esc[1]!)).toBe(routes.indexOf(esc[0]!) + 1);
  });

  test("a team's P0 reaches the team's own topic, and a team without phones pages PagerDuty only", () => {
    const team = (t: string) => routes.find((r) => has(r, `team="${t}"`))!.routes!.filter((r) => has(r, 'priority="P0"')).map((r) => r.receiver);
    expect(team("payments")).toEqual(["team-payments-pagerduty", "team-payments-sms"]);
    expect(team("search")).toEqual(["team-search-pagerduty"]);
    expect(cfg.receivers.find((r) => r.name === "team-payments-sms")!.sns_configs![0]!.topic_arn).toBe("arn:aws:sns:eu-west-1:333333333333:sre-prod-payments-p0-sms");
  });

  test("the SMS receiver publishes to the environment's topic, signed for its region, as a transactional SMS", () => {
    expect(cfg.receivers.find((r) => r.name === "sms")).toEqual({
      name: "sms",
      sns_configs: [
        {
          topic_arn: "arn:aws:sns:eu-west-1:333333333333:sre-prod-p0-sms",
          sigv4: { region: "eu-west-1" },
          subject: SMS_SUBJECT_TEMPLATE,
          message: smsMessageTemplate("sre_service"),
          attributes: { "AWS.SNS.SMS.SMSType": "Transactional" },
          send_resolved: true,
        },
      ],
    });
    // No credential, no endpoint: the pod's IRSA role signs, SNS's regional endpoint receives.
    expect(emitAlertmanagerYaml(cfg)).not.toMatch(/api_url:|access_key|secret_key/);
    expect(smsMessageTemplate("service")).toContain(".CommonLabels.service ");
  });

  test("without sms nothing publishes to SNS and a P0 pages PagerDuty alone", () => {
    const { sms: _sms, teams: _teams, ...plain } = BASE;
    const c = buildAlertmanagerConfig(plain);
    expect(c.receivers.some((r) => r.sns_configs !== undefined)).toBe(false);
    expect(c.route.routes!.filter((r) => has(r, 'priority="P0"')).map((r) => [r.receiver, r.continue])).toEqual([["pagerduty", undefined]]);
    expect(c.route.routes!.find((r) => has(r, 'alertname="P0Escalation"'))!.continue).toBeUndefined();
  });

  test.each([
    ["no topics at all", undefined, "alerting.sms"],
    ["the team's topic missing", { region: "eu-west-1", topicArn: TOPICS.topicArn }, "alerting.teams.payments.sms"],
  ])("fails when SMS pages have %s, naming the owner", (_what, topics, field) => {
    expect(() => buildAlertmanagerConfig(BASE, topics === undefined ? {} : { smsTopics: topics })).toThrow(AlertRoutingError);
    expect(() => buildAlertmanagerConfig(BASE, topics === undefined ? {} : { smsTopics: topics })).toThrow(field);
  });
});

describe("SMS phone numbers are Secrets Manager references", () => {
  const problems = (sms: unknown, team = false) =>
    validateAlertRouting(team ? { ...BASE, sms: undefined, teams: { payments: { ...BASE.teams!["payments"]!, sms: sms as never } } } : { ...BASE, sms: sms as never });

  test("names and ARNs of secrets are accepted", () => expect(validateAlertRouting(BASE)).toEqual([]));

  test.each(["+4915112345678", "+49 151 1234 5678", "004915112345678", "(555) 123-4567"])("fails when a phone number is written instead of a secret: %s", (literal) => {
    const [p, ...rest] = problems({ phoneNumbers: [{ name: "primary", secret: literal }] });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ path: "alerting.sms.phoneNumbers[0].secret", value: "(a phone number)" });
    expect(p!.allowed).toMatch(/Secrets Manager secret holding the number, never the number itself/);
    // The number itself is not repeated in the message.
    expect(JSON.stringify(p)).not.toContain(literal);
  });

  test("fails when a team's phone number is written instead of a secret, naming the team's field", () => {
    expect(problems({ phoneNumbers: [{ name: "primary", secret: "+4915112345678" }] }, true).map((p) => p.path)).toEqual(["alerting.teams.payments.sms.phoneNumbers[0].secret"]);
  });

  test.each([
    ["a secret reference that is neither name nor ARN", [{ name: "primary", secret: "arn:aws:s3:::bucket" }], "phoneNumbers[0].secret"],
    ["a name that is not a lowercase key", [{ name: "Primary On Call", secret: "x/y" }], "phoneNumbers[0].name"],
    ["a name used twice", [{ name: "primary", secret: "x/a" }, { name: "primary", secret: "x/b" }], "phoneNumbers[1].name"],
    ["no phone", [], "phoneNumbers"],
  ])("fails on %s", (_what, phoneNumbers, field) => {
    expect(problems({ phoneNumbers }).map((p) => p.path)).toEqual([`alerting.sms.${field}`]);
  });

  test.each([
    ["a number field instead of the secret", [{ name: "primary", number: "+4915112345678" }], /alerting\.sms\.phoneNumbers\[0\]\.number: got "\(a phone number\)"; allowed: no field "number" here/],
    ["the number alone", ["+4915112345678"], /alerting\.sms\.phoneNumbers\[0\]: got "\(a phone number\)"; allowed: \{ name, secret \}: .*never the number itself/],
  ])("fails through the schema on %s, without repeating the number", (_what, phoneNumbers, message) => {
    let error: Error | undefined;
    try {
      parseAlertRouting({ ...BASE, sms: { phoneNumbers } });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(AlertRoutingError);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain("4915112345678");
  });
});

describeWithBinaries("SMS pages, checked by amtool", [AMTOOL], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amtool-sms-"));
  const file = path.join(dir, "alertmanager.yaml");
  fs.writeFileSync(file, emitAlertmanagerYaml(withUrlsInlined(buildAlertmanagerConfig(BASE, { smsTopics: TOPICS }), (f) => `https://receiver.invalid/${path.basename(f)}`)));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const routes = (labels: string[]) => runBinary(AMTOOL, ["config", "routes", "test", `--config.file=${file}`, ...labels]).stdout.trim();

  test("check-config accepts the sns_configs", () => {
    const r = runBinary(AMTOOL, ["check-config", file]);
    expect(r.output).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  test.each([
    [["priority=P0", "sre_service=checkout-api"], "pagerduty,sms"],
    [["priority=P0", "team=payments"], "team-payments-pagerduty,team-payments-sms"],
    [["priority=P0", "team=search"], "team-search-pagerduty"],
    [["priority=P1", "sre_service=checkout-api"], "pagerduty,slack"],
    [["alertname=P0Escalation", "priority=P0", "escalated_alert=CheckoutApiDown", "team=payments"], "p0-escalation,sms"],
  ])("routes %j to %s", (labels, receivers) => {
    expect(routes(labels.some((l) => l.startsWith("alertname=")) ? labels : ["alertname=X", ...labels])).toBe(receivers);
  });

  const render = (template: string, summary: string, status = "firing") => {
    const data = path.join(dir, `data-${status}.json`);
    const labels = { alertname: "CheckoutApiDown", priority: "P0", sre_service: "checkout-api" };
    fs.writeFileSync(data, JSON.stringify({ status, receiver: "sms", groupLabels: labels, commonLabels: labels, commonAnnotations: { summary }, externalURL: "http://am", alerts: [{ status, labels, annotations: { summary } }] }));
    fs.writeFileSync(path.join(dir, "empty.tmpl"), "");
    const r = runBinary(AMTOOL, ["template", "render", `--template.glob=${path.join(dir, "empty.tmpl")}`, `--template.text=${template}`, `--template.data=${data}`]);
    if (r.code !== 0) throw new Error(r.output);
    return r.stdout.replace(/\n$/, "");
  };

  test("the SMS text says what is down in one message, and a long summary is cut to one SMS", () => {
    expect(render(smsMessageTemplate("sre_service"), "checkout-api is down.")).toBe("FIRING P0 CheckoutApiDown checkout-api: checkout-api is down.");
    expect(render(smsMessageTemplate("sre_service"), "checkout-api is down.", "resolved")).toBe("RESOLVED P0 CheckoutApiDown checkout-api: checkout-api is down.");
    const long = render(smsMessageTemplate("sre_service"), `${"ä".repeat(200)}\nsecond line`);
    expect([...long]).toHaveLength(SMS_MAX_CHARACTERS);
    expect(long).toMatch(/^FIRING P0 CheckoutApiDown checkout-api: ä+$/);
    expect(render(SMS_SUBJECT_TEMPLATE, "x")).toBe("[P0] CheckoutApiDown");
  });
});
