/**
 * End to end, loopback only: prod's compiled SLO rules run in a real Prometheus, which scrapes a tiny target
 * serving 50% server errors and sends its alerts to a real Alertmanager running prod's generated
 * configuration. Receivers point at a local recording server; their secrets are files this test writes.
 *
 * Time is compressed in two documented ways, and nothing else is changed:
 * - the error history of the last hour is backfilled with `promtool tsdb create-blocks-from openmetrics`,
 *   so every rate window has data at the first evaluation;
 * - rule groups are evaluated every second (their `interval:` only; expressions untouched), and the tiers'
 *   `group_wait` is 1s; Prometheus resends firing alerts every second (its first sends can precede the
 *   Alertmanager's discovery); the business hours are widened to the whole week, so a P1 page is in hours;
 * - the service-down (P0) alert waits `for: 15s` instead of its spec's `for:` (the only `for:` changed), still
 *   longer than Prometheus takes to discover its first targets (about 5s), when `up` is absent.
 * The last test stops the scrape target: a real outage that the compiled service-down alert turns into a P0, paged
 * through PagerDuty and by SMS: the SNS receiver's `api_url` (in this test's copy of the configuration only) is the
 * local recording server, which answers as SNS does; the Alertmanager signs with placeholder AWS keys, set for it alone.
 * Resolution timing and the service-down timing are proved by the promtool scenarios
 * (test/lib/slo/promtool.test.ts, test/lib/slo/service-down.test.ts).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ENVIRONMENTS, loadEnvironments } from "../../environments";
import { buildAlertmanagerConfig, emitAlertmanagerYaml, withUrlsInlined, RECEIVER_SECRET_KEYS, requiredAlertmanagerRetention, teamReceiverSecretKeys, type AlertmanagerConfig, type AlertRoutingConfig } from "../../lib/observability/alertmanager";
import { alertmanagerBuildOptions } from "../../stacks/observability-artifacts";
import { serviceDownGroupName } from "../../lib/slo/service-down";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";
import { ALERTMANAGER, describeWithBinaries, findBinary, PROMETHEUS, PROMTOOL, runBinary } from "../support/binaries";
import { Child, close, freePort, get, listen, RecordingServer, waitFor } from "./support/processes";

const JOB = "checkout-api"; // the job the checkout-api SLO specs select
const NAMESPACE = "payments"; // and the namespace (the label prometheus-operator's pod and service monitors set)
const REQUESTS_PER_SECOND = 20;
const ERROR_SHARE = 0.5;
const HISTORY_SECONDS = 3600;
const BUDGET_MS = 50_000;
/** The service-down alerts' `for:` in this test (see the header). */
const SERVICE_DOWN_FOR = "15s";

/** Counter values at time t (seconds) since the history began: the target and the backfill agree. */
function counters(elapsed: number): { ok: number; errors: number } {
  const total = REQUESTS_PER_SECOND * elapsed;
  return { ok: Math.floor(total * (1 - ERROR_SHARE)), errors: Math.floor(total * ERROR_SHARE) };
}

describeWithBinaries("SLO alerts end to end (Prometheus → Alertmanager → receivers)", [PROMETHEUS, ALERTMANAGER, PROMTOOL], () => {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slo-e2e-"));
  // SNS's Publish answer (the AWS SDK parses it; anything else is an error it retries).
  const sink = new RecordingServer({
    "/sns/": {
      contentType: "text/xml",
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>e2e-1</MessageId></PublishResult><ResponseMetadata><RequestId>e2e-r</RequestId></ResponseMetadata></PublishResponse>',
    },
  });
  let target: http.Server | undefined;
  const children: Child[] = [];
  let amUrl = "";
  let promUrl = "";
  let routing: AlertRoutingConfig;
  const tokens = { routingKey: "pd-routing-key-e2e", teamRoutingKey: "pd-payments-routing-key-e2e", webhookToken: "webhook-token-e2e" };

  beforeAll(async () => {
    const prod = loadEnvironments(["prod"])[0]!;
    const historyStart = Math.floor(Date.now() / 1000) - HISTORY_SECONDS;

    // The scrape target: counters that continue the backfilled history.
    target = http.createServer((_req, res) => {
      const c = counters(Date.now() / 1000 - historyStart);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${c.ok}\nhttp_requests_total{code="500"} ${c.errors}\n`);
    });
    const targetPort = await listen(target);
    await sink.start();
    const [promPort, amPort] = [await freePort(), await freePort()];
    amUrl = `http://127.0.0.1:${amPort}`;
    promUrl = `http://127.0.0.1:${promPort}`;

    // Backfill: the same series Prometheus will scrape (same job and instance labels), every 15s for an hour.
    const lines = ["# TYPE http_requests counter"];
    for (let t = historyStart; t < historyStart + HISTORY_SECONDS - 5; t += 15) {
      const c = counters(t - historyStart);
      const labels = (code: string) => `{code="${code}",instance="127.0.0.1:${targetPort}",job="${JOB}",namespace="${NAMESPACE}"}`;
      lines.push(`http_requests_total${labels("200")} ${c.ok} ${t}`, `http_requests_total${labels("500")} ${c.errors} ${t}`);
    }
    lines.push("# EOF", "");
    const om = path.join(dir, "history.om");
    fs.writeFileSync(om, lines.join("\n"));
    const tsdb = path.join(dir, "prometheus");
    const backfill = runBinary(PROMTOOL, ["tsdb", "create-blocks-from", "openmetrics", om, tsdb]);
    if (backfill.code !== 0) throw new Error(`backfill failed:\n${backfill.output}`);

    // prod's compiled SLO rules, evaluated every second.
    const rules = parse(compileEnvironmentSlos(prod, ENVIRONMENTS.map((e) => e.name)).rulesYaml) as { groups: Array<{ name: string; interval?: string; rules: Array<{ for?: string }> }> };
    for (const g of rules.groups) g.interval = "1s";
    for (const g of rules.groups.filter((x) => x.name === serviceDownGroupName(JOB))) for (const r of g.rules) r.for = SERVICE_DOWN_FOR;
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify(rules, { lineWidth: 0 }));
    fs.writeFileSync(
      path.join(dir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: [path.join(dir, "rules.yaml")],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [{ job_name: JOB, static_configs: [{ targets: [`127.0.0.1:${targetPort}`], labels: { namespace: NAMESPACE } }] }],
      }),
    );

    // prod's alert routing, with receivers on loopback, secrets in files, and the clock inside business hours.
    const secrets = path.join(dir, "secrets");
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.pagerDutyRoutingKey), tokens.routingKey);
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.slackWebhookUrl), `http://127.0.0.1:${sink.port}/slack`);
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.smtpPassword), "unused");
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.webhookBearerToken), tokens.webhookToken);
    // The checkout API's team (its spec's labels.team) has receivers of its own, keyed in the same Secret.
    const team = teamReceiverSecretKeys("payments");
    fs.writeFileSync(path.join(secrets, team.pagerDutyRoutingKey), tokens.teamRoutingKey);
    fs.writeFileSync(path.join(secrets, team.slackWebhookUrl), `http://127.0.0.1:${sink.port}/slack`);
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.webhookUrl), `http://127.0.0.1:${sink.port}/webhook`);
    fs.writeFileSync(path.join(secrets, RECEIVER_SECRET_KEYS.heartbeatUrl), `http://127.0.0.1:${sink.port}/heartbeat`);
    const fast = { groupWait: "1s", groupInterval: "5s" };
    routing = {
      ...prod.alerting!,
      businessHours: { location: "UTC", weekdays: ["sunday:saturday"], times: [{ start: "00:00", end: "24:00" }] },
      pagerDuty: { url: `http://127.0.0.1:${sink.port}/pagerduty` },
      teams: { payments: { ...prod.alerting!.teams!["payments"]!, pagerDuty: { url: `http://127.0.0.1:${sink.port}/pagerduty` } } },
      tiers: { P0: { groupWait: "0s", groupInterval: "5s" }, P1: fast, P2: fast },
    };
    // The local Alertmanager (Debian's 0.25) does not know url_file: the webhook URLs are read from their secret files
    // here, as the cluster's Alertmanager reads them itself.
    const generated = buildAlertmanagerConfig(routing, { ...alertmanagerBuildOptions(prod), secretsDir: secrets });
    // SNS is the recording server, in this test's copy only: the generated configuration uses the region's endpoint.
    const local = withSnsEndpoint(withUrlsInlined(generated, (file) => fs.readFileSync(file, "utf8")), `http://127.0.0.1:${sink.port}/sns/`);
    fs.writeFileSync(path.join(dir, "alertmanager.yml"), emitAlertmanagerYaml(local));

    children.push(
      new Child("alertmanager", findBinary(ALERTMANAGER)!, [
        `--config.file=${path.join(dir, "alertmanager.yml")}`,
        `--storage.path=${path.join(dir, "alertmanager")}`,
        `--data.retention=${requiredAlertmanagerRetention(routing)}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        "--cluster.listen-address=", // no gossip port: nothing listens beyond loopback
        "--log.level=warn",
      ], { AWS_ACCESS_KEY_ID: "e2e-access-key", AWS_SECRET_ACCESS_KEY: "e2e-secret-key", AWS_EC2_METADATA_DISABLED: "true" }),
      new Child("prometheus", findBinary(PROMETHEUS)!, [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        // Alerts that fire before the Alertmanager is discovered are dropped; resend them every second, not minute.
        "--rules.alert.resend-delay=1s",
        "--log.level=warn",
      ]),
    );
    for (const [name, url] of [["alertmanager", `${amUrl}/-/ready`], ["prometheus", `http://127.0.0.1:${promPort}/-/ready`]] as const) {
      const child = children.find((c) => c.name === name)!;
      await waitFor(`${name} ready`, async () => {
        if (child.proc.exitCode !== null) throw new Error(`${name} exited with ${child.proc.exitCode}\n${logs()}`);
        return (await get(url))?.status === 200 ? true : undefined;
      }, deadline, logs);
    }
  }, BUDGET_MS + 5000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all([sink.stop(), close(target)]);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`SLO alerting end-to-end test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const logs = () => children.map((c) => `--- ${c.name}\n${c.output}`).join("\n") + `\n--- received\n${JSON.stringify(sink.received, null, 1).slice(0, 4000)}`;
  const at = (p: string) => sink.received.filter((r) => r.path === p);

  test("the SLO page reaches the owning team's PagerDuty service as P1 (business hours), with the team's routing key from its file", async () => {
    const page = await waitFor("a P1 page at /pagerduty", () => at("/pagerduty").find((r) => pd(r).payload?.custom_details?.priority === "P1"), deadline, logs);
    expect(pd(page)).toMatchObject({ routing_key: tokens.teamRoutingKey, event_action: "trigger", payload: { severity: "error" } });
    // The platform's on-call is not paged for the team's SLO.
    expect(at("/pagerduty").filter((r) => pd(r).routing_key === tokens.routingKey && pd(r).payload?.custom_details?.priority === "P1")).toEqual([]);
    expect(pd(page).payload!.summary).toMatch(/^\[P1\] CheckoutApiAvailability/);
  });

  test("the SLO ticket arrives in the team's Slack channel as P2 through its own route; no P1 reaches Slack in business hours", async () => {
    const ticket = await waitFor("a P2 ticket at /slack", () => at("/slack").find((r) => slackTitles(r).some((t) => t.startsWith("[P2] CheckoutApiAvailability"))), deadline, logs);
    expect((ticket.body as { channel: string }).channel).toBe(routing.teams!["payments"]!.slack.channel);
    expect(at("/slack").flatMap(slackTitles).filter((t) => t.startsWith("[P1]"))).toEqual([]);
  });

  test("the generic webhook gets a copy of the page with the bearer token from its file", async () => {
    const copy = await waitFor("a P1 copy at /webhook", () => at("/webhook").find((r) => (r.body as { commonLabels?: Record<string, string> }).commonLabels?.priority === "P1"), deadline, logs);
    expect(copy.headers.authorization).toBe(`Bearer ${tokens.webhookToken}`);
  });

  test("a real outage of the scraped target pages the compiled P0 and inhibits the service's P1 and P2 alerts, and no other service's", async () => {
    // Healthy until now (targets up, requests flowing): no P0 has fired.
    expect(at("/pagerduty").filter((r) => pd(r).payload?.custom_details?.priority === "P0")).toEqual([]);
    // Another service's warning, which the checkout API's P0 must not silence.
    const post = await fetch(`${amUrl}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ labels: { alertname: "OtherWarning", priority: "P2", sre_service: "other" } }]),
    });
    expect(post.status).toBe(200);
    // The target was scraped (so what follows is an outage, not a target never discovered)…
    const up = `up{job="${JOB}",namespace="${NAMESPACE}"} == 1`;
    await waitFor("the target to be up", async () => {
      const r = JSON.parse((await get(`${promUrl}/api/v1/query?query=${encodeURIComponent(up)}`))!.text) as { data: { result: unknown[] } };
      return r.data.result.length === 1 ? true : undefined;
    }, deadline, logs);
    // …then the outage: the only checkout-api target stops answering scrapes.
    await close(target);
    type AmAlert = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    const alerts = await waitFor("the P0 and the inhibited SLO alerts", async () => {
      const list = JSON.parse((await get(`${amUrl}/api/v2/alerts`))!.text) as AmAlert[];
      const slo = list.filter((a) => a.labels.sre_service === JOB && a.labels.priority !== "P0");
      const p0 = list.some((a) => a.labels.alertname === "CheckoutApiDown" && a.labels.priority === "P0");
      return p0 && slo.length >= 2 && slo.every((a) => a.status.state === "suppressed") ? list : undefined;
    }, deadline, logs);
    const by = (name: string, priority: string) => alerts.find((a) => a.labels.alertname === name && a.labels.priority === priority)!;
    expect(by("CheckoutApiAvailability", "P1").status.inhibitedBy).toHaveLength(1);
    expect(by("CheckoutApiAvailability", "P2").status.inhibitedBy).toHaveLength(1);
    expect(by("OtherWarning", "P2").status).toMatchObject({ state: "active", inhibitedBy: [] });
    expect(by("CheckoutApiDown", "P0")).toMatchObject({ labels: { sre_service: JOB, team: "payments", severity: "critical" }, status: { state: "active" } });
    const p0 = await waitFor("the P0 at /pagerduty", () => at("/pagerduty").find((r) => pd(r).payload?.custom_details?.priority === "P0"), deadline, logs);
    expect(pd(p0).payload).toMatchObject({ severity: "critical", summary: expect.stringMatching(/^\[P0\] CheckoutApiDown/) });
    // The compiled P0 carries the spec's team: it pages the owning team's PagerDuty service…
    expect(pd(p0).routing_key).toBe(tokens.teamRoutingKey);
    // …and the team's phones by SMS: one signed SNS Publish to the team's topic, a transactional SMS of one message.
    const sms = await waitFor("the P0 at /sns/", () => at("/sns/").map(snsPublish).find((m) => m.get("Message")?.startsWith("FIRING P0 CheckoutApiDown")), deadline, logs);
    expect(Object.fromEntries(sms)).toMatchObject({
      Action: "Publish",
      TopicArn: `arn:aws:sns:${prod().region}:${prod().account}:sre-prod-payments-p0-sms`,
      Message: "FIRING P0 CheckoutApiDown checkout-api: checkout-api is down.",
      "MessageAttributes.entry.1.Name": "AWS.SNS.SMS.SMSType",
      "MessageAttributes.entry.1.Value.StringValue": "Transactional",
    });
    expect(at("/sns/")[0]!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=e2e-access-key/\\d{8}/${prod().region}/sns/aws4_request`));
    // Only P0s reach the phones: no SLO page or ticket was ever sent by SMS.
    expect(at("/sns/").map(snsPublish).filter((m) => !m.get("Message")!.includes(" P0 "))).toEqual([]);
    // By now every notification of the run has gone out: none of them was a P1 in Slack (muted in hours).
    expect(at("/slack").flatMap(slackTitles).filter((t) => t.startsWith("[P1]"))).toEqual([]);
  });
});

interface PagerDutyEvent {
  routing_key?: string;
  event_action?: string;
  payload?: { summary?: string; severity?: string; custom_details?: Record<string, string> };
}
const pd = (r: { body: unknown }) => r.body as PagerDutyEvent;
/** An SNS Publish request's form fields (the AWS SDK posts the query protocol, form-encoded). */
const snsPublish = (r: { body: unknown }) => new URLSearchParams(String(r.body));
const prod = () => loadEnvironments(["prod"])[0]!;

/** A copy of `config` whose SNS receivers publish to `url` (a local stand-in for SNS) instead of the region's endpoint. */
function withSnsEndpoint(config: AlertmanagerConfig, url: string): AlertmanagerConfig {
  return { ...config, receivers: config.receivers.map((r) => (r.sns_configs === undefined ? r : { ...r, sns_configs: r.sns_configs.map((c) => ({ ...c, api_url: url })) })) };
}
const slackTitles = (r: { body: unknown }) => ((r.body as { attachments?: Array<{ title?: string }> }).attachments ?? []).map((a) => a.title ?? "");
