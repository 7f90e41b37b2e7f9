import { alertmanager } from "../../../../lib/observability";
import type { AlertRoutingConfig } from "../../../../lib/observability/alertmanager";

const { alertmanagerSecretProblems, buildAlertmanagerConfig, mountedSecretDirs, RECEIVER_SECRET_DIR } = alertmanager;

const ROUTING: AlertRoutingConfig = {
  businessHours: { location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:00" }] },
  slack: { channel: "#alerts" },
  email: { to: "cap@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", authUsername: "am" },
  webhook: { priorities: ["P0"] },
};

// Through the package's framework-free entry point (`sre-platform/observability`), as another team would call it.
describe("alertmanagerSecretProblems", () => {
  test("refuses a credential written inline, naming the field and its *_file form", () => {
    const config = { receivers: [{ name: "s", slack_configs: [{ api_url: "https://hooks.slack.com/services/x" }] }] };
    expect(alertmanagerSecretProblems(config, [RECEIVER_SECRET_DIR])).toEqual([
      { path: "alertmanager.config.receivers[0].slack_configs[0].api_url", value: "(a credential)", allowed: expect.stringMatching(/^api_url_file pointing into a mounted Secret/) },
    ]);
  });

  test("refuses a secret file outside the mounted folders and accepts one inside", () => {
    const config = (file: string) => ({ receivers: [{ name: "p", pagerduty_configs: [{ routing_key_file: file }] }] });
    const dirs = mountedSecretDirs(["alertmanager-receivers"]);
    expect(dirs).toEqual(["/etc/alertmanager/secrets/alertmanager-receivers/"]);
    expect(alertmanagerSecretProblems(config("/etc/alertmanager/secrets/alertmanager-receivers/pd"), dirs)).toEqual([]);
    // A sibling folder whose name starts the same is not the mounted one.
    expect(alertmanagerSecretProblems(config("/etc/alertmanager/secrets/alertmanager-receivers-old/pd"), dirs, { at: "x" })).toEqual([
      { path: "x.receivers[0].pagerduty_configs[0].routing_key_file", value: "/etc/alertmanager/secrets/alertmanager-receivers-old/pd", allowed: "a file under /etc/alertmanager/secrets/alertmanager-receivers/" },
    ]);
    expect(alertmanagerSecretProblems(config("/tmp/pd"), [], { whenNoDirs: "nothing yet" })[0]!.allowed).toBe("nothing yet");
  });

  test("holds for the generator's output, wherever its secret files are", () => {
    for (const secretsDir of [undefined, "/run/secrets/am/"]) {
      const config = buildAlertmanagerConfig(ROUTING, { secretsDir });
      const fileFields = JSON.stringify(config).match(/_file":/g) ?? [];
      // PagerDuty, Slack, SMTP and webhook credentials, and the webhook's URL: each a file.
      expect(fileFields).toHaveLength(5);
      expect(alertmanagerSecretProblems(config, [secretsDir ?? RECEIVER_SECRET_DIR])).toEqual([]);
      expect(alertmanagerSecretProblems(config, ["/elsewhere"])).toHaveLength(5);
    }
  });

  test("refuses a webhook's URL written inline (it often carries the token), not PagerDuty's public endpoint", () => {
    const config = {
      receivers: [
        { name: "hb", webhook_configs: [{ url: "https://hc-ping.com/6f1c3b2e-secret" }] },
        { name: "pd", pagerduty_configs: [{ url: "https://events.pagerduty.com/v2/enqueue", routing_key_file: `${RECEIVER_SECRET_DIR}/pagerduty-routing-key` }] },
      ],
    };
    expect(alertmanagerSecretProblems(config, [RECEIVER_SECRET_DIR])).toEqual([
      { path: "alertmanager.config.receivers[0].webhook_configs[0].url", value: "(a credential)", allowed: expect.stringMatching(/^url_file pointing into a mounted Secret/) },
    ]);
  });
});
