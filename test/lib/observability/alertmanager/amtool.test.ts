/**
 * The generated configuration, checked by Alertmanager's own tool: every environment's file passes
 * `amtool check-config`, and `amtool config routes test` sends each tier to its receiver kind.
 * Inhibition is evaluated by a running Alertmanager only; test/e2e/slo-alerting.test.ts proves it there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../../../../environments";
import { buildAlertmanagerConfig, emitAlertmanagerYaml, withUrlsInlined } from "../../../../lib/observability/alertmanager";
import { AMTOOL, describeWithBinaries, runBinary } from "../../../support/binaries";
import { FALCO_PRIORITY_DIALECT } from "../../../../lib/security/falco/priorities";

describeWithBinaries("amtool", [AMTOOL], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amtool-"));
  const files = new Map<string, string>();
  for (const env of loadEnvironments()) {
    const file = path.join(dir, `${env.name}.yaml`);
    // amtool 0.25 (Debian's) does not know url_file (Alertmanager 0.26+): it checks the generated configuration with
    // placeholder URLs inlined; the cluster's Alertmanager reads the URLs from the mounted Secret's files.
    const generated = buildAlertmanagerConfig(env.alerting!, { priorityDialects: [FALCO_PRIORITY_DIALECT] });
    fs.writeFileSync(file, emitAlertmanagerYaml(withUrlsInlined(generated, (secretFile) => `https://receiver.invalid/${path.basename(secretFile)}`)));
    files.set(env.name, file);
  }
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(["dev", "staging", "prod"])("check-config accepts %s", (env) => {
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
    ["prod", "P0", "webhook,pagerduty"],
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

  test.each(["staging", "prod"])("%s: the heartbeat is sent every minute, authenticated with the mounted token", (env) => {
    const config = buildAlertmanagerConfig(loadEnvironments().find((e) => e.name === env)!.alerting!);
    expect(config.route.routes![0]).toMatchObject({ receiver: "heartbeat", matchers: ['alertname="Watchdog"'], repeat_interval: "1m" });
    expect(config.route.routes![0]!.continue).toBeUndefined();
    const hb = config.receivers.find((r) => r.name === "heartbeat")!.webhook_configs![0]!;
    expect(hb.http_config!.authorization.credentials_file).toBe("/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-bearer-token");
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
    ["prod", "Critical", "webhook,pagerduty"],
    ["prod", "Error", "webhook,pagerduty,slack"],
    ["prod", "Warning", "slack"],
  ])("%s: a Falco alert of priority %s reaches %s", (env, priority, receivers) => {
    expect(routes(env, ["source=falco", `priority=${priority}`, "rule=X", "alertname=X"])).toBe(receivers);
  });
});
