/**
 * End to end, loopback only: the path of samples to Amazon Managed Prometheus and the workspace's rule evaluation,
 * with two real Prometheus servers standing in for the cluster's and the workspace's.
 * - A (the cluster's) scrapes a tiny target serving 50% server errors for the checkout API, evaluates the cluster's copy
 *   of the SLO rules (recording only, as deployed with AMP on) and remote-writes with the generated settings
 *   (lib/observability/managed-prometheus: the queue configuration the cluster deploys, the series the workspace records
 *   itself left out) and prod's `cluster` external label. SigV4 is off: nothing here signs for AWS.
 * - B (the workspace) has the remote-write receiver on, scrapes nothing, and evaluates prod's generated rule namespace
 *   of the checkout API (its SLOs and its service-down P0), as AMP's ruler would.
 * Time is compressed in one documented way: scrapes and rule groups run every second (their `interval:` only).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ENVIRONMENTS, loadEnvironments } from "../../environments";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";
import { AMP_REMOTE_WRITE_QUEUE, ampRuleNamespaces, inClusterPrometheusRule, prometheusRemoteWriteConfig, recordedSeries, sloRuleNamespaceName } from "../../lib/observability/managed-prometheus";
import { toRuleGroups } from "../../lib/slo/emit";
import { describeWithBinaries, findBinary, PROMETHEUS } from "../support/binaries";
import { Child, close, freePort, get, listen, waitFor } from "./support/processes";

const JOB = "checkout-api";
const NAMESPACE = "payments";
const BUDGET_MS = 20_000;

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describeWithBinaries("AMP remote write and rule evaluation end to end (Prometheus → remote write → Prometheus)", [PROMETHEUS], () => {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amp-e2e-"));
  const children: Child[] = [];
  let target: http.Server | undefined;
  let writerUrl = "";
  let workspaceUrl = "";
  let dropped: string[] = [];

  beforeAll(async () => {
    const prod = loadEnvironments(["prod"])[0]!;
    const slos = compileEnvironmentSlos(prod, ENVIRONMENTS.map((e) => e.name));
    const compiled = slos.compiled;
    const namespace = ampRuleNamespaces(compiled).find((n) => n.name === sloRuleNamespaceName(JOB))!;
    dropped = recordedSeries(toRuleGroups(compiled));

    const t0 = Date.now() / 1000;
    target = http.createServer((_req, res) => {
      const n = Math.floor((Date.now() / 1000 - t0) * 20);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${n}\nhttp_requests_total{code="500"} ${n}\n`);
    });
    const targetPort = await listen(target);
    const [writerPort, workspacePort] = [await freePort(), await freePort()];
    writerUrl = `http://127.0.0.1:${writerPort}`;
    workspaceUrl = `http://127.0.0.1:${workspacePort}`;

    // The workspace: the generated namespace, its groups evaluated every second.
    const rules = parse(namespace.data) as { groups: Array<{ interval?: string }> };
    for (const g of rules.groups) g.interval = "1s";
    fs.writeFileSync(path.join(dir, "namespace.yaml"), stringify(rules, { lineWidth: 0 }));
    fs.writeFileSync(path.join(dir, "workspace.yml"), stringify({ global: { evaluation_interval: "1s" }, rule_files: [path.join(dir, "namespace.yaml")] }));
    // The cluster's Prometheus: scrapes the target, records the SLO series for its dashboards (no alerts), and writes
    // with the generated remote-write settings.
    const clusterRules = inClusterPrometheusRule(slos.prometheusRule).spec.groups.map((g) => ({ ...g, interval: "1s" }));
    fs.writeFileSync(path.join(dir, "cluster-rules.yaml"), stringify({ groups: clusterRules }, { lineWidth: 0 }));
    fs.writeFileSync(
      path.join(dir, "writer.yml"),
      stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s", external_labels: { cluster: prod.cluster.name } },
        rule_files: [path.join(dir, "cluster-rules.yaml")],
        scrape_configs: [{ job_name: JOB, static_configs: [{ targets: [`127.0.0.1:${targetPort}`], labels: { namespace: NAMESPACE } }] }],
        remote_write: [prometheusRemoteWriteConfig({ url: `${workspaceUrl}/api/v1/write`, dropSeries: dropped })],
      }),
    );
    const prometheus = findBinary(PROMETHEUS)!;
    children.push(
      new Child("workspace", prometheus, [
        `--config.file=${path.join(dir, "workspace.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "workspace")}`,
        `--web.listen-address=127.0.0.1:${workspacePort}`,
        "--web.enable-remote-write-receiver",
        "--log.level=warn",
      ]),
      new Child("writer", prometheus, [
        `--config.file=${path.join(dir, "writer.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "writer")}`,
        `--web.listen-address=127.0.0.1:${writerPort}`,
        "--log.level=warn",
      ]),
    );
    for (const [child, url] of [[children[0]!, workspaceUrl], [children[1]!, writerUrl]] as const) {
      await waitFor(`${child.name} ready`, async () => {
        if (child.proc.exitCode !== null) throw new Error(`${child.name} exited with ${child.proc.exitCode}\n${logs()}`);
        return (await get(`${url}/-/ready`))?.status === 200 ? true : undefined;
      }, deadline, logs);
    }
  }, BUDGET_MS + 5000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await close(target);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`AMP remote-write end-to-end test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const logs = () => children.map((c) => `--- ${c.name}\n${c.output}`).join("\n");
  const query = async (base: string, q: string): Promise<Vector[] | undefined> => {
    const r = await get(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
    return r?.status === 200 ? (JSON.parse(r.text) as { data: { result: Vector[] } }).data.result : undefined;
  };

  test("the cluster's Prometheus runs with the generated queue settings", async () => {
    const config = JSON.parse((await get(`${writerUrl}/api/v1/status/config`))!.text) as { data: { yaml: string } };
    const rw = (parse(config.data.yaml) as { remote_write: Array<{ queue_config: Record<string, unknown> }> }).remote_write[0]!;
    const q = AMP_REMOTE_WRITE_QUEUE;
    expect(rw.queue_config).toMatchObject({
      capacity: q.capacity, max_shards: q.maxShards, min_shards: q.minShards, max_samples_per_send: q.maxSamplesPerSend,
      batch_send_deadline: q.batchSendDeadline, min_backoff: q.minBackoff, max_backoff: q.maxBackoff, retry_on_http_429: q.retryOnRateLimit,
    });
  });

  test("the scraped samples arrive in the workspace, and its rules record the SLO series from them", async () => {
    const raw = await waitFor("the target's samples in the workspace", async () => {
      const r = await query(workspaceUrl, `http_requests_total{job="${JOB}",namespace="${NAMESPACE}"}`);
      return r !== undefined && r.length === 2 ? r : undefined;
    }, deadline, logs);
    expect(raw.map((v) => v.metric.code).sort()).toEqual(["200", "500"]);
    const recorded = await waitFor("sre_slo:requests:rate5m recorded in the workspace", async () => {
      const r = await query(workspaceUrl, `sre_slo:requests:rate5m{sre_service="${JOB}"}`);
      return r !== undefined && r.length > 0 && r.every((v) => Number(v.value[1]) > 0) ? r : undefined;
    }, deadline, logs);
    expect(recorded[0]!.metric).toMatchObject({ sre_service: JOB });
    // Half the requests fail: the recorded short-window error ratio says so.
    const ratio = await waitFor("the 5m error ratio", async () => {
      const r = await query(workspaceUrl, `slo:sli_error:ratio_rate5m{sre_service="${JOB}",sre_slo="availability"}`);
      return r !== undefined && r.length === 1 ? Number(r[0]!.value[1]) : undefined;
    }, deadline, logs);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(0.6);
  });

  test("the workspace fires the SLO page and the cluster's copy fires nothing; the series the workspace records are not written by the cluster", async () => {
    type Alert = { labels: Record<string, string>; state: string };
    const alerts = await waitFor("CheckoutApiAvailability firing in the workspace", async () => {
      const r = await get(`${workspaceUrl}/api/v1/alerts`);
      const list = r?.status === 200 ? (JSON.parse(r.text) as { data: { alerts: Alert[] } }).data.alerts : [];
      return list.some((a) => a.labels.alertname === "CheckoutApiAvailability" && a.labels.priority === "P1" && a.state === "firing") ? list : undefined;
    }, deadline, logs);
    expect(alerts.find((a) => a.labels.alertname === "CheckoutApiAvailability" && a.labels.priority === "P1")!.labels).toMatchObject({ sre_service: JOB, team: "payments", severity: "critical" });
    // The target is up: the service-down P0 of the same namespace stays silent.
    expect(alerts.filter((a) => a.labels.alertname === "CheckoutApiDown" && a.state === "firing")).toEqual([]);
    // No double page: the cluster records the same series but holds no alert of them.
    const clusterAlerts = JSON.parse((await get(`${writerUrl}/api/v1/alerts`))!.text) as { data: { alerts: Alert[] } };
    expect(clusterAlerts.data.alerts).toEqual([]);
    expect((await query(writerUrl, `sre_slo:requests:rate5m{sre_service="${JOB}"}`))!.length).toBeGreaterThan(0);
    // The cluster's raw samples arrive with its label; its recorded ones do not arrive at all, so the workspace holds
    // each recorded series once (its own), not once per writer.
    expect(dropped).toContain("sre_slo:requests:rate5m");
    expect((await query(workspaceUrl, `http_requests_total{cluster="${loadEnvironments(["prod"])[0]!.cluster.name}"}`))!.length).toBe(2);
    expect(await query(workspaceUrl, `{__name__=~"sre_slo:.*|slo:.*",cluster!=""}`)).toEqual([]);
    expect((await query(workspaceUrl, `sre_slo:requests:rate5m{sre_service="${JOB}"}`))!.length).toBe(1);
  });
});
