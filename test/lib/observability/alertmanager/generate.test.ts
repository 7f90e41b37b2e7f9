import { parse } from "yaml";
import {
  buildAlertmanagerConfig, emitAlertmanagerYaml, parseAlertRouting, requiredAlertmanagerRetention, validateAlertRouting, durationSeconds, AlertRoutingError, withUrlsInlined,
  type AlertRoutingConfig, type AmRoute,
} from "../../../../lib/observability/alertmanager";

const BASE: AlertRoutingConfig = {
  businessHours: { location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:30" }] },
  slack: { channel: "#alerts" },
  email: { to: "cap@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", authUsername: "am" },
};
const routeFor = (routes: readonly AmRoute[], matcher: string) => routes.filter((r) => r.matchers?.includes(matcher));

describe("buildAlertmanagerConfig", () => {
  const cfg = buildAlertmanagerConfig(BASE);
  const routes = cfg.route.routes!;

  test("P0 pages at once through PagerDuty", () => {
    const [p0] = routeFor(routes, 'priority="P0"');
    expect(p0).toMatchObject({ receiver: "pagerduty", group_wait: "0s" });
    expect(p0!.continue).toBeUndefined();
  });

  test("P1 pages in business hours and goes to Slack outside them", () => {
    const [pd, slack] = routeFor(routes, 'priority="P1"');
    expect(pd).toMatchObject({ receiver: "pagerduty", active_time_intervals: ["business-hours"], continue: true });
    expect(slack).toMatchObject({ receiver: "slack", mute_time_intervals: ["business-hours"] });
    expect(cfg.time_intervals).toEqual([
      { name: "business-hours", time_intervals: [{ weekdays: ["monday:friday"], times: [{ start_time: "09:00", end_time: "17:30" }], location: "Europe/Dublin" }] },
    ]);
  });

  test("P2 to Slack, P3 to the null receiver, P4 to a weekly e-mail digest grouped by tier", () => {
    expect(routeFor(routes, 'priority="P2"')[0]!.receiver).toBe("slack");
    expect(routeFor(routes, 'priority="P3"')[0]!.receiver).toBe("null");
    expect(cfg.receivers.find((r) => r.name === "null")).toEqual({ name: "null" });
    expect(routeFor(routes, 'priority="P4"')[0]).toMatchObject({ receiver: "email-digest", group_by: ["priority"], group_interval: "7d", repeat_interval: "7d" });
  });

  test("a P0 silences P1–P3 of its own service only, and only when it names the service", () => {
    expect(cfg.inhibit_rules).toEqual([
      { source_matchers: ['priority="P0"', 'sre_service=~".+"'], target_matchers: ['priority=~"P1|P2|P3"'], equal: ["sre_service"] },
    ]);
    expect(buildAlertmanagerConfig({ ...BASE, serviceLabel: "service" }).inhibit_rules[0]!.equal).toEqual(["service"]);
  });

  test("secrets are files under the mounted Secret, never values", () => {
    const text = emitAlertmanagerYaml(cfg);
    expect(text).toContain("routing_key_file: /etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key");
    expect(text).toContain("api_url_file: /etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url");
    expect(text).toContain("auth_password_file: /etc/alertmanager/secrets/alertmanager-receivers/smtp-password");
    expect(text).not.toMatch(/routing_key:|api_url:|auth_password:|&a1/);
    const moved = buildAlertmanagerConfig(BASE, { secretsDir: "/tmp/s/" });
    expect(moved.receivers[0]!.pagerduty_configs![0]!.routing_key_file).toBe("/tmp/s/pagerduty-routing-key");
  });

  test("no SMTP user means no password file", () => {
    const cfg2 = buildAlertmanagerConfig({ ...BASE, email: { ...BASE.email, authUsername: undefined } });
    expect(cfg2.receivers.find((r) => r.name === "email-digest")!.email_configs![0]!.auth_password_file).toBeUndefined();
  });

  test("the webhook gets a copy of its tiers first, with a bearer token file unless turned off", () => {
    const withHook = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P1", "P0"] } });
    // First after the Watchdog's own route.
    expect(withHook.route.routes![1]).toMatchObject({ receiver: "webhook", matchers: ['priority=~"P0|P1"'], continue: true });
    expect(withHook.receivers.find((r) => r.name === "webhook")!.webhook_configs![0]!.http_config!.authorization.credentials_file).toMatch(/webhook-bearer-token$/);
    const noToken = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P0"], bearerToken: false } });
    expect(noToken.receivers.find((r) => r.name === "webhook")!.webhook_configs![0]!.http_config).toBeUndefined();
    expect(cfg.receivers.map((r) => r.name)).not.toContain("webhook");
  });

  test("Watchdog goes first and only to the heartbeat, at its repeat interval, with a bearer token file unless turned off", () => {
    const hb = buildAlertmanagerConfig({ ...BASE, heartbeat: { repeatInterval: "2m" } });
    expect(hb.route.routes![0]).toEqual({ receiver: "heartbeat", matchers: ['alertname="Watchdog"'], group_by: ["alertname"], group_wait: "0s", group_interval: "1m", repeat_interval: "2m" });
    expect(hb.receivers.find((r) => r.name === "heartbeat")).toEqual({
      name: "heartbeat",
      webhook_configs: [{ url_file: "/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-url", send_resolved: false, http_config: { authorization: { type: "Bearer", credentials_file: "/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-bearer-token" } } }],
    });
    const noToken = buildAlertmanagerConfig({ ...BASE, heartbeat: { bearerToken: false } });
    expect(noToken.receivers.find((r) => r.name === "heartbeat")!.webhook_configs![0]!.http_config).toBeUndefined();
    expect(noToken.route.routes![0]!.repeat_interval).toBe("1m");
  });

  test("the webhook's and the heartbeat's URLs are files of the receivers' Secret, never inline", () => {
    const both = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P0"] }, heartbeat: {} });
    const hooks = both.receivers.flatMap((r) => r.webhook_configs ?? []);
    expect(hooks.map((w) => [w.url, w.url_file])).toEqual([
      [undefined, "/etc/alertmanager/secrets/alertmanager-receivers/webhook-url"],
      [undefined, "/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-url"],
    ]);
  });

  test.each([["webhook", { priorities: ["P0"] }, "webhook-url"], ["heartbeat", {}, "heartbeat-url"]] as const)("a %s URL still in the configuration is refused, naming the Secret key it moved to", (field, rest, key) => {
    expect(() => parseAlertRouting({ ...BASE, [field]: { ...rest, url: "https://x.example.com/ping/token" } })).toThrow(new RegExp(`alerting\\.${field}\\.url: .*alertmanager-receivers Secret's key ${key}`));
  });

  test("withUrlsInlined, for Alertmanager before 0.26 only, puts each url_file's URL inline and changes nothing else", () => {
    const both = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P0"] }, heartbeat: {} });
    const inlined = withUrlsInlined(both, (file) => `https://check.invalid/${file.split("/").pop()}`);
    expect(inlined.receivers.flatMap((r) => r.webhook_configs ?? []).map((w) => [w.url, w.url_file])).toEqual([
      ["https://check.invalid/webhook-url", undefined],
      ["https://check.invalid/heartbeat-url", undefined],
    ]);
    const strip = (c: typeof both) => JSON.stringify({ ...c, receivers: c.receivers.map((r) => ({ ...r, webhook_configs: undefined })) });
    expect(strip(inlined)).toBe(strip(both));
  });

  test("without a heartbeat, Watchdog goes to a receiver whose name says so and which notifies nobody", () => {
    expect(routes[0]).toMatchObject({ receiver: "no-heartbeat-configured", matchers: ['alertname="Watchdog"'] });
    expect(cfg.receivers.find((r) => r.name === "no-heartbeat-configured")).toEqual({ name: "no-heartbeat-configured" });
    expect(cfg.receivers.map((r) => r.name)).not.toContain("heartbeat");
  });

  test("tier overrides merge with the defaults; unprioritized alerts follow their tier", () => {
    const c = buildAlertmanagerConfig({ ...BASE, tiers: { P1: { groupWait: "1s" } }, unprioritized: "P3" });
    expect(routeFor(c.route.routes!, 'priority="P1"')[0]).toMatchObject({ group_wait: "1s", group_interval: "5m", repeat_interval: "4h" });
    expect(c.route).toMatchObject({ receiver: "null", group_wait: "5m" });
    expect(cfg.route).toMatchObject({ receiver: "slack", group_wait: "1m" });
  });

  test("Alertmanager must keep its notification log as long as the longest repeat interval", () => {
    expect(requiredAlertmanagerRetention(BASE)).toBe("168h");
    expect(requiredAlertmanagerRetention({ ...BASE, tiers: { P4: { groupInterval: "1d", repeatInterval: "2d" } } })).toBe("48h");
  });

  test("the YAML parses back to the same object", () => {
    expect(parse(emitAlertmanagerYaml(cfg))).toEqual(JSON.parse(JSON.stringify(cfg)));
  });

});

describe("parseAlertRouting", () => {
  test("bad input throws one error listing every problem", () => {
    const bad = { ...BASE, slack: { channel: "alerts" }, businessHours: { ...BASE.businessHours, location: "Mars/Base" } };
    expect(() => parseAlertRouting(bad)).toThrow(AlertRoutingError);
    let message = "";
    try {
      parseAlertRouting(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/alerting\.slack\.channel/);
    expect(message).toMatch(/alerting\.businessHours\.location/);
    expect(() => parseAlertRouting({ ...BASE, slack: { channel: "alerts" } })).toThrow(/alerting\.slack\.channel: got "alerts"; allowed: a Slack channel/);
  });

  test("checks the shape first, naming the field", () => {
    expect(() => parseAlertRouting({ ...BASE, slack: {} }, "team")).toThrow(/team\.slack\.channel: got nothing; allowed: a value \(required\), of type string/);
    expect(() => parseAlertRouting({ ...BASE, email: { ...BASE.email, cc: "x@example.com" } })).toThrow(/alerting\.email: got .*; allowed: no field\(s\) cc here/);
    expect(() => parseAlertRouting({ ...BASE, webhook: { priorities: ["P0", "P9"] } })).toThrow(/alerting\.webhook\.priorities\[1\]: got "P9"; allowed: one of "P0", "P1", "P2", "P3", "P4"/);
  });

  test("fills in the schema's defaults, which the generator reads", () => {
    const routing = parseAlertRouting({ ...BASE, businessHours: { location: "Europe/Dublin" } });
    expect(routing.businessHours).toEqual({ location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:00" }] });
    expect(buildAlertmanagerConfig(routing).time_intervals[0]!.time_intervals[0]!.weekdays).toEqual(["monday:friday"]);
  });
});

describe("validateAlertRouting", () => {
  test("the base input is valid", () => expect(validateAlertRouting(BASE)).toEqual([]));

  const bh = BASE.businessHours;
  test.each<[string, Partial<AlertRoutingConfig>, string, RegExp]>([
    ["the time zone is unknown", { businessHours: { ...bh, location: "Europe/Atlantis" } }, "alerting.businessHours.location", /IANA time zone/],
    ["no weekdays are given", { businessHours: { ...bh, weekdays: [] } }, "alerting.businessHours.weekdays", /at least one day/],
    ["a weekday is misspelt", { businessHours: { ...bh, weekdays: ["Monday:friday"] } }, "alerting.businessHours.weekdays[0]", /lowercase day/],
    ["a weekday range descends", { businessHours: { ...bh, weekdays: ["friday:monday"] } }, "alerting.businessHours.weekdays[0]", /range "start:end" ascending/],
    ["a weekday range wraps past Saturday (Alertmanager weeks start on Sunday)", { businessHours: { ...bh, weekdays: ["monday:sunday"] } }, "alerting.businessHours.weekdays[0]", /Sunday-first week.*"sunday:saturday"/],
    ["no times are given", { businessHours: { ...bh, times: [] } }, "alerting.businessHours.times", /at least one span/],
    ["a time is not HH:MM", { businessHours: { ...bh, times: [{ start: "9am", end: "17:00" }] } }, "alerting.businessHours.times[0].start", /HH:MM/],
    ["a span ends before it starts", { businessHours: { ...bh, times: [{ start: "18:00", end: "09:00" }] } }, "alerting.businessHours.times[0]", /start before the end/],
    ["the PagerDuty URL is not http(s)", { pagerDuty: { url: "ftp://x" } }, "alerting.pagerDuty.url", /http\(s\) URL/],
    ["the Slack channel has no #", { slack: { channel: "alerts" } }, "alerting.slack.channel", /Slack channel/],
    ["an e-mail address is malformed", { email: { ...BASE.email, to: "nobody" } }, "alerting.email.to", /e-mail address/],
    ["the smarthost has no port", { email: { ...BASE.email, smarthost: "smtp.example.com" } }, "alerting.email.smarthost", /host:port/],
    ["the SMTP user is blank", { email: { ...BASE.email, authUsername: " " } }, "alerting.email.authUsername", /user name/],
    ["the heartbeat repeats too rarely to notice a silence", { heartbeat: { repeatInterval: "1h" } }, "alerting.heartbeat.repeatInterval", /from "1m" to "5m"/],
    ["the webhook copies no tier", { webhook: { priorities: [] } }, "alerting.webhook.priorities", /at least one of P0/],
    ["the webhook names a tier twice", { webhook: { priorities: ["P0", "P0"] } }, "alerting.webhook.priorities[1]", /each tier once/],
    ["the webhook names an unknown tier", { webhook: { priorities: ["P9" as "P0"] } }, "alerting.webhook.priorities[0]", /one of P0, P1/],
    ["a P0 escalates too soon to be handled", { escalation: { after: "1m" } }, "alerting.escalation.after", /from "5m" to "24h"/],
    ["the escalation delay is not a duration", { escalation: { after: "half an hour" } }, "alerting.escalation.after", /from "5m" to "24h"/],
    ["the escalation address is malformed", { escalation: { after: "30m", to: "lead" } }, "alerting.escalation.to", /e-mail address/],
    ["a tier is unknown", { tiers: { P7: {} } as AlertRoutingConfig["tiers"] }, "alerting.tiers.P7", /one of P0/],
    ["a duration is malformed", { tiers: { P2: { groupWait: "1 minute" } } }, "alerting.tiers.P2.groupWait", /Prometheus duration/],
    ["a group interval is zero", { tiers: { P2: { groupInterval: "0s" } } }, "alerting.tiers.P2.groupInterval", /above zero/],
    ["repeat undercuts the default group interval", { tiers: { P4: { repeatInterval: "1d" } } }, "alerting.tiers.P4.repeatInterval", /at least the group interval \(7d\)/],
    ["unprioritized alerts would page", { unprioritized: "P1" as "P2" }, "alerting.unprioritized", /"P2".*"P3"/],
    ["the service label is not a label name", { serviceLabel: "app.kubernetes.io/name" }, "alerting.serviceLabel", /Prometheus label name/],
  ])("fails when %s", (_why, patch, field, allowed) => {
    const problems = validateAlertRouting({ ...BASE, ...patch });
    expect(problems.map((p) => p.path)).toEqual([field]);
    expect(problems[0]!.allowed).toMatch(allowed);
  });

  test.each([["1h30m", 5400], ["7d", 604800], ["0s", 0], ["", undefined], ["5 m", undefined]])("durationSeconds(%j) = %j", (d, s) => {
    expect(durationSeconds(d)).toBe(s);
  });
  test("a priority dialect gets the tier routes and the webhook copy, matching its own names; without one, no branch", () => {
    const dialect = { sourceMatcher: 'source="scanner"', namesOfTier: (p: string) => (p === "P0" ? ["Fatal"] : p === "P2" ? ["Warn"] : []) };
    const plain = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P0"] } });
    const withDialect = buildAlertmanagerConfig({ ...BASE, webhook: { priorities: ["P0"] } }, { priorityDialects: [dialect] });
    expect(withDialect.route.routes!.length).toBe(plain.route.routes!.length + 1);
    const branch = withDialect.route.routes!.find((r) => r.routes !== undefined && r.matchers!.includes('source="scanner"'))!;
    // The copy first (and continuing), then the tiers.
    expect(branch.routes![0]).toMatchObject({ receiver: "webhook", matchers: ['priority=~"Fatal"'], continue: true });
    expect(branch.routes!.slice(1).map((r) => r.matchers![0])).toEqual(['priority=~"Fatal"', 'priority=~"Warn"']);
  });
});

describe("team receivers", () => {
  const TEAMS: AlertRoutingConfig = {
    ...BASE,
    teams: {
      payments: { slack: { channel: "#payments-alerts" }, email: { to: "payments@example.com" } },
      search: { pagerDuty: { url: "https://pd.example.com/enqueue" }, slack: { channel: "#search" }, email: { to: "search@example.com" } },
    },
  };
  const cfg = buildAlertmanagerConfig(TEAMS, { teamNamespaces: { payments: ["payments", "payments-batch"], search: [] } });
  const top = cfg.route.routes!;

  test("each team gets its own PagerDuty, Slack and digest receivers, credentials read from keys named after the team", () => {
    const rx = (name: string) => cfg.receivers.find((r) => r.name === name)!;
    expect(rx("team-payments-pagerduty").pagerduty_configs![0]).toMatchObject({
      routing_key_file: "/etc/alertmanager/secrets/alertmanager-receivers/team-payments-pagerduty-routing-key",
      url: "https://events.pagerduty.com/v2/enqueue",
    });
    expect(rx("team-search-pagerduty").pagerduty_configs![0]!.url).toBe("https://pd.example.com/enqueue");
    expect(rx("team-payments-slack").slack_configs![0]).toMatchObject({
      api_url_file: "/etc/alertmanager/secrets/alertmanager-receivers/team-payments-slack-webhook-url",
      channel: "#payments-alerts",
    });
    // The digest goes out through the platform's SMTP server, as the platform's sender.
    expect(rx("team-payments-email-digest").email_configs![0]).toMatchObject({ to: "payments@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", require_tls: true });
    // The platform's receivers are unchanged.
    expect(rx("pagerduty").pagerduty_configs![0]!.routing_key_file).toMatch(/\/pagerduty-routing-key$/);
    expect(emitAlertmanagerYaml(cfg)).not.toMatch(/routing_key:|api_url:/);
  });

  test("a team's alerts are recognised by its namespaces first, then by the team label, before the platform's tiers", () => {
    const branches = top.filter((r) => r.routes !== undefined).map((r) => r.matchers);
    expect(branches).toEqual([['namespace=~"payments|payments-batch"'], ['team="payments"'], ['team="search"']]);
    const firstPlatformTier = top.findIndex((r) => r.matchers?.[0] === 'priority="P0"');
    expect(firstPlatformTier).toBeGreaterThan(top.findIndex((r) => r.matchers?.[0] === 'team="search"'));
  });

  test("within a team's branch the tiers mean what they mean for the platform, on the team's receivers", () => {
    const branch = top.find((r) => r.matchers?.[0] === 'team="payments"')!;
    expect(branch.receiver).toBe("team-payments-slack");
    expect(branch.routes!.map((r) => [r.matchers![0], r.receiver, r.active_time_intervals ?? r.mute_time_intervals ?? null])).toEqual([
      ['priority="P0"', "team-payments-pagerduty", null],
      ['priority="P1"', "team-payments-pagerduty", ["business-hours"]],
      ['priority="P1"', "team-payments-slack", ["business-hours"]],
      ['priority="P2"', "team-payments-slack", null],
      ['priority="P3"', "null", null],
      ['priority="P4"', "team-payments-email-digest", null],
    ]);
    const p0 = branch.routes![0]!;
    const platformP0 = routeFor(top, 'priority="P0"')[0]!;
    expect([p0.group_wait, p0.repeat_interval]).toEqual([platformP0.group_wait, platformP0.repeat_interval]);
  });

  test("a dialect's alerts from a team's namespace go to the team, more urgent names landing on the ceiling, never on the webhook", () => {
    const dialect = { sourceMatcher: 'source="scanner"', namesOfTier: (p: string) => ({ P0: ["Fatal"], P1: ["Err"], P2: ["Warn"], P3: ["Info"] })[p] ?? [], namespaceLabel: "ns", teamCeiling: "P2" as const };
    const c = buildAlertmanagerConfig({ ...TEAMS, webhook: { priorities: ["P0", "P2"] } }, { priorityDialects: [dialect], teamNamespaces: { payments: ["payments"] } });
    const source = c.route.routes!.find((r) => r.matchers?.[0] === 'source="scanner"')!;
    const team = source.routes![0]!;
    expect(team.matchers).toEqual(['ns=~"payments"']);
    expect(team.routes!.map((r) => [r.matchers![0], r.receiver])).toEqual([
      ['priority=~"Fatal|Err|Warn"', "team-payments-slack"],
      ['priority=~"Info"', "null"],
    ]);
    // The platform's copy and tiers follow, for every other namespace (and none).
    expect(source.routes![1]).toMatchObject({ receiver: "webhook", matchers: ['priority=~"Fatal|Warn"'], continue: true });
    expect(source.routes![2]).toMatchObject({ receiver: "pagerduty", matchers: ['priority=~"Fatal"'] });
    // A team without namespaces has no branch there; search is recognised by its label only.
    expect(source.routes!.filter((r) => r.matchers![0]!.startsWith("ns="))).toHaveLength(1);
  });

  test("without teams the routing is the platform's alone", () => {
    expect(buildAlertmanagerConfig(BASE).route.routes!.some((r) => r.matchers?.some((m) => m.startsWith("team=") || m.startsWith("namespace=")))).toBe(false);
  });

  test.each<[string, AlertRoutingConfig["teams"], string, RegExp]>([
    ["a team name is not one", { Payments: TEAMS.teams!["payments"]! }, "alerting.teams.Payments", /a team name: lowercase letters/],
    ["a team's Slack channel has no #", { payments: { ...TEAMS.teams!["payments"]!, slack: { channel: "payments" } } }, "alerting.teams.payments.slack.channel", /Slack channel/],
    ["a team's e-mail address is malformed", { payments: { ...TEAMS.teams!["payments"]!, email: { to: "payments" } } }, "alerting.teams.payments.email.to", /e-mail address/],
    ["a team's PagerDuty URL carries credentials", { payments: { ...TEAMS.teams!["payments"]!, pagerDuty: { url: "https://u:p@pd.example.com" } } }, "alerting.teams.payments.pagerDuty.url", /without credentials/],
  ])("fails when %s", (_why, teams, field, allowed) => {
    const problems = validateAlertRouting({ ...BASE, teams });
    expect(problems.map((p) => p.path)).toEqual([field]);
    expect(problems[0]!.allowed).toMatch(allowed);
  });

  test("a credential cannot be written into a team's receivers", () => {
    expect(() => parseAlertRouting({ ...BASE, teams: { payments: { slack: { channel: "#p", apiUrl: "https://hooks.slack.com/x" }, email: { to: "p@example.com" } } } })).toThrow(
      /alerting\.teams\.payments\.slack: got .*; allowed: no field\(s\) apiUrl here/,
    );
  });
});
