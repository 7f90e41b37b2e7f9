/**
 * Request histories for behaviour tests of what is compiled from SLOs (chaos steady-state probes, canary analysis):
 * services with a request rate and an error share, their SLO specs, an hour of backfilled history, and one real
 * Prometheus on loopback evaluating the compiled rules over it.
 *
 * How time is compressed, and nothing else: the raw counters' last hour is backfilled with
 * `promtool tsdb create-blocks-from openmetrics` (every rate window has data at the first evaluation), a loopback
 * target continues the same counters, Prometheus scrapes every second and evaluates the rule groups every second
 * (their `interval:` only; the expressions are the compiler's). Recorded series start when the server does, so a
 * period ratio covers the minutes since the start, at the service's constant error share.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { compileSlos, type CompileResult } from "../../lib/slo/compile";
import { emitRulesYaml } from "../../lib/slo/emit";
import { parseSloTexts } from "../../lib/slo/parse";
import { findBinary, PROMETHEUS, PROMTOOL, runBinary } from "./binaries";
import { Child, close, freePort, get, listen, waitFor } from "../e2e/support/processes";

/** One service's traffic: constant requests per second, a constant share of them server errors. */
export interface ServiceHistory {
  /** The service name, its scrape job and its SLO spec's `service`. */
  readonly service: string;
  readonly requestsPerSecond: number;
  /** 0..1 */
  readonly errorShare: number;
  /** The availability objective in percent. @default 99.9 */
  readonly objective?: number;
}

/** The metric every history serves: a counter of requests by status code, as the SLO specs select it. */
export const REQUESTS_METRIC = "http_requests_total";

/** An `sre-platform/v1` spec with one availability SLO (events SLI on {@link REQUESTS_METRIC}) per service. */
export function availabilitySpecYaml(h: ServiceHistory): string {
  return [
    "version: sre-platform/v1",
    `service: ${h.service}`,
    "slos:",
    "  - name: availability",
    `    objective: ${h.objective ?? 99.9}`,
    "    sli:",
    "      events:",
    `        errorQuery: sum(rate(${REQUESTS_METRIC}{job="${h.service}",code=~"5.."}[{{.window}}]))`,
    `        totalQuery: sum(rate(${REQUESTS_METRIC}{job="${h.service}"}[{{.window}}]))`,
    "    alerting:",
    `      name: ${h.service.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase())}Availability`,
    "",
  ].join("\n");
}

/** The services' specs, parsed and compiled like the synth does. */
export function compileHistorySlos(histories: readonly ServiceHistory[]): CompileResult {
  const parsed = parseSloTexts(histories.map((h) => ({ text: availabilitySpecYaml(h), file: `${h.service}.yaml` })));
  if (parsed.errors.length > 0) throw new Error(`history specs do not parse: ${JSON.stringify(parsed.errors)}`);
  return compileSlos(parsed.definitions);
}

/** Counter values `elapsed` seconds after the history began: the backfill and the live target agree. */
export function countersAt(h: ServiceHistory, elapsed: number): { ok: number; errors: number } {
  const total = h.requestsPerSecond * Math.max(0, elapsed);
  return { ok: Math.floor(total * (1 - h.errorShare)), errors: Math.floor(total * h.errorShare) };
}

/** OpenMetrics text of every service's counters from `start` for `seconds`, one sample per `step`, as scraped. */
export function openMetricsHistory(histories: readonly ServiceHistory[], start: number, seconds: number, step: number, instance: string): string {
  const lines = [`# TYPE ${REQUESTS_METRIC.replace(/_total$/, "")} counter`];
  for (let t = start; t < start + seconds - 5; t += step) {
    for (const h of histories) {
      const c = countersAt(h, t - start);
      const labels = (code: string) => `{code="${code}",instance="${instance}",job="${h.service}"}`;
      lines.push(`${REQUESTS_METRIC}${labels("200")} ${c.ok} ${t}`, `${REQUESTS_METRIC}${labels("500")} ${c.errors} ${t}`);
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

/** A Prometheus instant query's answer. */
export interface InstantResult {
  readonly resultType: "vector" | "scalar" | "matrix" | "string";
  readonly result: unknown;
}

/** Options of {@link SloPrometheus.start}. */
export interface SloPrometheusOptions {
  readonly histories: readonly ServiceHistory[];
  /** The compiled SLOs whose rules Prometheus evaluates. @default compileHistorySlos(histories) */
  readonly compiled?: CompileResult;
  /** @default 3600 */
  readonly historySeconds?: number;
  /** Everything (backfill, start, readiness) must be done by then (epoch ms). */
  readonly deadline: number;
}

/**
 * One Prometheus on 127.0.0.1 with the compiled SLO rules over the histories, and their scrape target. Start once per
 * suite, stop in `afterAll`.
 */
export class SloPrometheus {
  private constructor(
    readonly url: string,
    readonly compiled: CompileResult,
    private readonly child: Child,
    private readonly target: http.Server,
    private readonly dir: string,
  ) {}

  static async start(opts: SloPrometheusOptions): Promise<SloPrometheus> {
    const seconds = opts.historySeconds ?? 3600;
    const compiled = opts.compiled ?? compileHistorySlos(opts.histories);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slo-history-"));
    const start = Math.floor(Date.now() / 1000) - seconds;
    const byJob = new Map(opts.histories.map((h) => [h.service, h]));
    const target = http.createServer((req, res) => {
      const h = byJob.get((req.url ?? "").replace(/^\/metrics\//, ""));
      if (h === undefined) return void res.writeHead(404).end();
      const c = countersAt(h, Date.now() / 1000 - start);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# TYPE ${REQUESTS_METRIC} counter\n${REQUESTS_METRIC}{code="200"} ${c.ok}\n${REQUESTS_METRIC}{code="500"} ${c.errors}\n`);
    });
    const targetPort = await listen(target);
    const instance = `127.0.0.1:${targetPort}`;
    const om = path.join(dir, "history.om");
    fs.writeFileSync(om, openMetricsHistory(opts.histories, start, seconds, 15, instance));
    const tsdb = path.join(dir, "tsdb");
    const backfill = runBinary(PROMTOOL, ["tsdb", "create-blocks-from", "openmetrics", om, tsdb]);
    if (backfill.code !== 0) throw new Error(`backfill failed:\n${backfill.output}`);

    const rules = parse(emitRulesYaml(compiled)) as { groups: Array<{ interval?: string }> };
    for (const g of rules.groups) g.interval = "1s";
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify(rules, { lineWidth: 0 }));
    fs.writeFileSync(
      path.join(dir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: [path.join(dir, "rules.yaml")],
        scrape_configs: opts.histories.map((h) => ({ job_name: h.service, metrics_path: `/metrics/${h.service}`, static_configs: [{ targets: [instance] }] })),
      }),
    );
    const port = await freePort();
    const child = new Child("prometheus", findBinary(PROMETHEUS)!, [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
    const server = new SloPrometheus(`http://127.0.0.1:${port}`, compiled, child, target, dir);
    await waitFor("prometheus ready", async () => {
      if (child.proc.exitCode !== null) throw new Error(`prometheus exited with ${child.proc.exitCode}\n${child.output}`);
      return (await get(`${server.url}/-/ready`))?.status === 200 ? true : undefined;
    }, opts.deadline, () => child.output);
    return server;
  }

  /** An instant query through the HTTP API (`/api/v1/query`), as a probe or an analysis runs it. */
  async query(expr: string): Promise<InstantResult> {
    const r = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await r.json()) as { status: string; data?: InstantResult; error?: string };
    if (body.status !== "success" || body.data === undefined) throw new Error(`query failed (${r.status}): ${body.error ?? "no data"}: ${expr}`);
    return body.data;
  }

  /** Server output, for failure messages. */
  get logs(): string {
    return this.child.output;
  }

  async stop(): Promise<void> {
    await this.child.stop();
    await close(this.target);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The sample values of an instant query's result (a vector's samples, or the scalar), as Prometheus formats them. */
export function resultValues(r: InstantResult): string[] {
  if (r.resultType === "scalar") return [(r.result as [number, string])[1]];
  if (r.resultType === "vector") return (r.result as Array<{ value: [number, string] }>).map((s) => s.value[1]);
  throw new Error(`unexpected result type ${r.resultType}`);
}
