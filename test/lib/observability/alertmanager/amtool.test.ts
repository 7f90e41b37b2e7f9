/**
 * The generated configuration, checked by Alertmanager's own tool: every environment's file passes
 * `amtool check-config`, and `amtool config routes test` sends each tier to its receiver kind.
 * Inhibition is evaluated by a running Alertmanager only; test/e2e/slo-alerting.test.ts proves it there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENTS, loadEnvironments } from "../../../../environments";
import { buildAlertmanagerConfig, emitAlertmanagerYaml, withUrlsInlined } from "../../../../lib/observability/alertmanager";
import { AMTOOL, describeWithBinaries, runBinary } from "../../../support/binaries";
import { alertmanagerBuildOptions } from "../../../../stacks/observability-artifacts";

describeWithBinaries("amtool", [AMTOOL], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amtool-"));
  const files = new Map<string, string>();
  const environments = loadEnvironments();
  for (const env of environments) {
    const file = path.join(dir, `${env.name}.yaml`);
    // Built as the synth builds it (Falco's priority names, each team's namespaces). amtool 0.25 (Debian's) does not know
    // url_file (Alertmanager 0.26+): it checks the generated configuration with placeholder URLs inlined; the cluster's
    // Alertmanager reads the URLs from the mounted Secret's files.
    const generated = buildAlertmanagerConfig(env.alerting!, alertmanagerBuildOptions(env));
    fs.writeFileSync(file, emitAlertmanagerYaml(withUrlsInlined(generated, (secretFile) => `https://receiver.invalid/${path.basename(secretFile)}`)));
    files.set(env.name, file);
  }
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(ENVIRONMENTS.filter((e) => e.alerting !== undefined).map((e) => e.name))("check-config accepts %s", (env) => {
    const r = runBinary(AMTOOL, ["check-config", files.get(env)!]);
    expect(r.output).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  const routes = (env: string, labels: string[]) =>
    runBinary(AMTOOL, ["config", "routes", "test", `--config.file=${files.get(env)}`, ...labels]).stdout.trim();

  // P1 lists both receivers: PagerDuty's route is active in business hours and Slack's is muted in them, so
  // exactly one notifies at any time (the time check happens at notification, which amtool does not run).
  test.each([
    ["staging", "P0", "pagerduty"],
    ["staging", "P1", "pagerduty,slack"],
    ["staging", "P2", "slack"],
    ["staging", "P3", "null"],
    ["staging", "P4", "email-digest"],
    // prod pages its P0s by SMS too: PagerDuty, then (continue) the SMS topic.
    ["prod", "P0", "webhook,pagerduty,sms"],
    ["prod", "P1", "webhook,pagerduty,slack"],
    ["prod", "P2", "slack"],
    ["prod", "P4", "email-digest"],
  ])("%s: priority=%s reaches %s", (env, priority, receivers) => {
    expect(routes(env, [`priority=${priority}`, "sre_service=checkout-api", "alertname=X"])).toBe(receivers);
  });

  test.each([
    ["prod", "slack"],
    ["dev", "null"],
  ])("%s: an alert without a priority goes to %s", (env, receiver) => {
    expect(routes(env, ["alertname=Unlabelled"])).toBe(receiver);
  });

  // kube-prometheus-stack's Watchdog (severity=none, no tier) is the dead man's switch: it reaches the heartbeat service
  // alone, never a person's channel nor the webhook copy, whatever labels it carries.
  test.each([
    ["staging", ["severity=none"], "heartbeat"],
    ["prod", ["severity=none"], "heartbeat"],
    ["prod", ["priority=P1", "sre_service=checkout-api"], "heartbeat"],
    ["dev", ["severity=none"], "no-heartbeat-configured"],
  ])("%s: Watchdog with %j reaches %s only", (env, labels, receiver) => {
    expect(routes(env, ["alertname=Watchdog", ...labels])).toBe(receiver);
  });

  test.each(ENVIRONMENTS.filter((e) => e.alerting?.heartbeat !== undefined).map((e) => e.name))("%s: the heartbeat is sent every minute, authenticated with the mounted token", (env) => {
    const config = buildAlertmanagerConfig(loadEnvironments().find((e) => e.name === env)!.alerting!, alertmanagerBuildOptions(loadEnvironments().find((e) => e.name === env)!));
    expect(config.route.routes![0]).toMatchObject({ receiver: "heartbeat", matchers: ['alertname="Watchdog"'], repeat_interval: "1m" });
    expect(config.route.routes![0]!.continue).toBeUndefined();
    const hb = config.receivers.find((r) => r.name === "heartbeat")!.webhook_configs![0]!;
    expect(hb.http_config!.authorization.credentials_file).toBe("/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-bearer-token");
  });

  // An unhandled P0's escalation is e-mailed to the escalation address and sent to the platform's phones by SMS (prod
  // has both), whoever owns the P0, and reaches nothing else; without an escalation configured (staging) the alert is
  // an ordinary P0.
  test.each([
    ["prod", ["sre_service=checkout-api"], "p0-escalation,sms"],
    ["prod", ["sre_service=checkout-api", "team=payments"], "p0-escalation,sms"],
    ["prod", ["namespace=payments"], "p0-escalation,sms"],
    ["staging", ["sre_service=checkout-api"], "pagerduty"],
  ])("%s: P0Escalation with %j reaches %s", (env, labels, receivers) => {
    expect(routes(env, ["alertname=P0Escalation", "priority=P0", "escalated_alert=CheckoutApiDown", ...labels])).toBe(receivers);
  });

  test("prod: the escalation e-mail goes to the escalation address, with its own subject", () => {
    const prod = loadEnvironments().find((e) => e.name === "prod")!;
    const mail = buildAlertmanagerConfig(prod.alerting!, alertmanagerBuildOptions(prod)).receivers.find((r) => r.name === "p0-escalation")!.email_configs![0]!;
    expect(mail.to).toBe(prod.alerting!.escalation!.to);
    expect(mail.headers["Subject"]).toBe("[P0 escalation] {{ .CommonLabels.escalated_alert }} unresolved after 30m");
  });

  // falcosidekick labels `source="falco"` and Falco's own priority name; the tier is reached through the Falco branch.
  test.each([
    ["staging", "Emergency", "pagerduty"],
    ["staging", "Critical", "pagerduty"],
    ["staging", "Error", "pagerduty,slack"],
    ["staging", "Warning", "slack"],
    ["staging", "Notice", "null"],
    ["staging", "Debug", "null"],
    // prod copies P0 and P1 to the incident webhook: Falco's alerts of those tiers are copied too.
    ["prod", "Critical", "webhook,pagerduty,sms"],
    ["prod", "Error", "webhook,pagerduty,slack"],
    ["prod", "Warning", "slack"],
  ])("%s: a Falco alert of priority %s reaches %s", (env, priority, receivers) => {
    expect(routes(env, ["source=falco", `priority=${priority}`, "rule=X", "alertname=X"])).toBe(receivers);
  });

  // Every team of every environment: its alerts, recognised by the `team` label an SLO spec sets or by the namespace
  // prometheus-operator enforces on its own rules, reach its own receivers tier by tier; the platform's stay the platform's.
  const teamCases = environments.flatMap((env) =>
    env.security.namespaces.teams.flatMap((team) => {
      const copied = (p: string) => (env.alerting!.webhook?.priorities as readonly string[] | undefined)?.includes(p) ? "webhook," : "";
      const rx = (kind: string) => `team-${team.name}-${kind}`;
      const owners = [[`team=${team.name}`], ...Object.keys(team.namespaces).map((ns) => [`namespace=${ns}`])];
      return owners.flatMap((owner) => [
        // A team's P0 reaches its own phones when it has any, never the platform's.
        [env.name, owner, "P0", `${copied("P0")}${rx("pagerduty")}${env.alerting!.teams?.[team.name]?.sms !== undefined ? `,${rx("sms")}` : ""}`],
        [env.name, owner, "P1", `${copied("P1")}${rx("pagerduty")},${rx("slack")}`],
        [env.name, owner, "P2", `${copied("P2")}${rx("slack")}`],
        [env.name, owner, "P3", `${copied("P3")}null`],
        [env.name, owner, "P4", `${copied("P4")}${rx("email-digest")}`],
      ] as Array<[string, string[], string, string]>);
    }),
  );
  test("every environment has a team to route to", () => expect(new Set(teamCases.map((c) => c[0])).size).toBe(environments.length));
  test.each(teamCases)("%s: an alert labelled %j of priority %s reaches %s", (env, owner, priority, receivers) => {
    expect(routes(env, [...owner, `priority=${priority}`, "sre_service=checkout-api", "alertname=X"])).toBe(receivers);
  });

  test.each([
    // A team's own rule (its namespace enforced) cannot hand its alert to the platform, nor to another owner, by its labels.
    ["prod", ["namespace=payments", "team=platform", "priority=P0"], "webhook,team-payments-pagerduty,team-payments-sms"],
    ["staging", ["namespace=payments", "priority=P0"], "team-payments-pagerduty"],
    // Unlabelled alerts of a team fall back on the team's chat (dev drops them, as it drops the platform's).
    ["staging", ["team=payments"], "team-payments-slack"],
    ["dev", ["team=payments"], "null"],
    // An alert of no team, or of a team the environment does not have, is the platform's.
    ["staging", ["team=unknown", "priority=P0"], "pagerduty"],
    ["staging", ["namespace=monitoring", "priority=P2"], "slack"],
  ])("%s: %j reaches %s", (env, labels, receivers) => {
    expect(routes(env, ["alertname=X", ...labels])).toBe(receivers);
  });

  // A detection in a team's namespace (falcosidekick's `k8s_ns_name`) is the team's, in its chat at most: the team's own
  // image can raise any rule at will. Platform namespaces and the host (no namespace) keep their tier and the platform.
  test.each([
    ["staging", ["k8s_ns_name=payments"], "Emergency", "team-payments-slack"],
    ["staging", ["k8s_ns_name=payments"], "Critical", "team-payments-slack"],
    ["staging", ["k8s_ns_name=payments"], "Error", "team-payments-slack"],
    ["staging", ["k8s_ns_name=payments"], "Warning", "team-payments-slack"],
    ["staging", ["k8s_ns_name=payments"], "Notice", "null"],
    // Not copied to prod's incident tool either: it is not a P0 or P1.
    ["prod", ["k8s_ns_name=payments"], "Critical", "team-payments-slack"],
    ["dev", ["k8s_ns_name=payments"], "Critical", "team-payments-slack"],
    // A team label on a Falco event is no claim: the namespace decides.
    ["prod", ["k8s_ns_name=monitoring", "team=payments", "namespace=payments"], "Critical", "webhook,pagerduty,sms"],
    ["staging", ["k8s_ns_name=falco"], "Critical", "pagerduty"],
    ["staging", ["k8s_ns_name=kube-system"], "Error", "pagerduty,slack"],
    ["staging", [], "Critical", "pagerduty"],
  ])("%s: a Falco alert from %j of priority %s reaches %s", (env, labels, priority, receivers) => {
    expect(routes(env, ["source=falco", `priority=${priority}`, "rule=X", "alertname=X", ...labels])).toBe(receivers);
  });
});
