/**
 * Behaviour of the compiled canary analysis, loopback only: a real Prometheus (Debian's) loads the SLO compiler's rules
 * and the error-budget policy's alerts for five services whose histories are backfilled (test/support/canary-history.ts);
 * every query of every compiled AnalysisTemplate runs through Prometheus's HTTP API, with `{{args.canary-hash}}`
 * resolved as the Argo Rollouts controller resolves it, and each template's own successCondition and failureCondition
 * are evaluated on the result with Argo Rollouts' rules (test/support/argo-expr.ts, an evaluator of the expr-lang
 * subset the templates use).
 *
 * Time is compressed only by evaluating the rule groups every second (their `interval:`; expressions untouched).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { compileSlos, type CompileResult } from "../../lib/slo/compile";
import { parseSloTexts } from "../../lib/slo/parse";
import { toRuleGroups } from "../../lib/slo/emit";
import { compileDelivery, budgetGateTemplateName, canaryTemplateName, type DeliveryPlan } from "../../lib/delivery/delivery-plan";
import { BUDGET_EXHAUSTED_ALERT, CANARY_HASH_PLACEHOLDER, LABEL_OVERRIDE, type AnalysisTemplateObject } from "../../lib/slo/canary-analysis";
import { describeWithBinaries, findBinary, PROMETHEUS, PROMTOOL, runBinary } from "../support/binaries";
import { measurementPhase } from "../support/argo-expr";
import { historyOpenMetrics, NAMESPACE, SCENARIOS, scenarioDelivery, scenarioSloSpec } from "../support/canary-history";
import { Child, freePort, get, waitFor } from "./support/processes";

const HISTORY_SECONDS = 1800;
const BUDGET_MS = 40_000;
const PROMETHEUS_URL = "http://prometheus.test:9090"; // written into the templates; the test queries its own server

interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

describeWithBinaries("canary analysis and the error-budget gate in a real Prometheus", [PROMETHEUS, PROMTOOL], () => {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "canary-e2e-"));
  let prometheus: Child | undefined;
  let api = "";
  let compiled: CompileResult;
  let plan: DeliveryPlan;
  const now = Math.floor(Date.now() / 1000);
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

  const logs = () => `--- prometheus\n${prometheus?.output ?? ""}`;

  /** An instant query's vector, as the Prometheus provider of Argo Rollouts receives it. */
  async function query(q: string): Promise<Sample[]> {
    const r = await get(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
    if (!r || r.status !== 200) throw new Error(`query failed (${r?.status}): ${q}\n${r?.text}`);
    const body = JSON.parse(r.text) as { status: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    expect(body.status).toBe("success");
    expect(body.data.resultType).toBe("vector");
    return body.data.result.map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  }

  /** One measurement of a template's metric: args resolved, the query run, the conditions evaluated. */
  async function measure(template: AnalysisTemplateObject, args: Record<string, string> = {}) {
    const metric = template.spec.metrics[0]!;
    let q = metric.provider.prometheus.query;
    for (const [name, value] of Object.entries(args)) q = q.split(`{{args.${name}}}`).join(value);
    expect(q).not.toContain("{{");
    const samples = await query(q);
    return { samples, result: samples.map((s) => s.value), phase: measurementPhase(metric, samples.map((s) => s.value)) };
  }

  const template = (p: DeliveryPlan, name: string) => p.analysisTemplates.find((t) => t.metadata.name === name)!;
  const canary = (service: string) => template(plan, canaryTemplateName({ service, slo: "availability" }));
  const gate = (service: string, p: DeliveryPlan = plan) => template(p, budgetGateTemplateName({ service, slo: "availability" }));
  const hash = (service: string) => SCENARIOS.find((s) => s.service === service)?.canary?.hash ?? "no-canary-yet";

  beforeAll(async () => {
    const parsed = parseSloTexts(SCENARIOS.map((h) => ({ text: scenarioSloSpec(h), file: `${h.service}.yaml` })));
    expect(parsed.errors).toEqual([]);
    compiled = compileSlos(parsed.definitions);
    plan = compileDelivery(scenarioDelivery(), compiled, PROMETHEUS_URL);

    const om = path.join(dir, "history.om");
    fs.writeFileSync(om, historyOpenMetrics(SCENARIOS, now - HISTORY_SECONDS, HISTORY_SECONDS - 10));
    const tsdb = path.join(dir, "prometheus");
    const backfill = runBinary(PROMTOOL, ["tsdb", "create-blocks-from", "openmetrics", om, tsdb]);
    if (backfill.code !== 0) throw new Error(`backfill failed:\n${backfill.output}`);

    // The compiled SLO rules and the policy's alerts, every group evaluated each second.
    const groups = [...toRuleGroups(compiled), ...plan.alertGroups].map((g) => ({ ...g, interval: "1s" }));
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
    const check = runBinary(PROMTOOL, ["check", "rules", path.join(dir, "rules.yaml")]);
    if (check.code !== 0) throw new Error(`promtool check rules:\n${check.output}`);
    fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify({ global: { evaluation_interval: "1s" }, rule_files: [path.join(dir, "rules.yaml")] }));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = new Child("prometheus", findBinary(PROMETHEUS)!, [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
    await waitFor("prometheus ready", async () => {
      if (prometheus!.proc.exitCode !== null) throw new Error(`prometheus exited with ${prometheus!.proc.exitCode}\n${logs()}`);
      return (await get(`${api}/-/ready`))?.status === 200 ? true : undefined;
    }, deadline, logs);
    // The period ratio of every service recorded from the base series: the remaining budget now reflects the history.
    await waitFor("every service's period error ratio", async () => ((await query("count(slo:sli_error:ratio_rate30d)"))[0]?.value === SCENARIOS.length ? true : undefined), deadline, logs);
  }, BUDGET_MS + 5000);

  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`canary analysis end-to-end test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test("every compiled query runs in Prometheus and returns a vector", async () => {
    expect(plan.analysisTemplates).toHaveLength(SCENARIOS.length * 2);
    for (const t of plan.analysisTemplates) {
      const args: Record<string, string> = t.spec.args?.length ? { "canary-hash": hash(t.metadata.labels["sre-platform.io/service"]!) } : {};
      await measure(t, args);
    }
    expect(plan.analysisTemplates.every((t) => t.metadata.namespace === NAMESPACE)).toBe(true);
  });

  test("a healthy canary passes its analysis, and a healthy budget lets promotion through", async () => {
    const m = await measure(canary("healthy"), { "canary-hash": hash("healthy") });
    expect(m.result).toEqual([0]);
    expect(m.phase).toBe("Successful");
    expect((await measure(gate("healthy"))).phase).toBe("Successful");
  });

  test("a canary burning its budget fails: 10 % errors against the 1.44 % the page burn rate allows", async () => {
    const m = await measure(canary("burning-canary"), { "canary-hash": hash("burning-canary") });
    expect(m.result[0]).toBeCloseTo(0.1, 2);
    expect(m.phase).toBe("Failed");
  });

  test("errors of the stable pods do not fail the canary, though the service-level SLO burns", async () => {
    const m = await measure(canary("stable-errors"), { "canary-hash": hash("stable-errors") });
    expect(m.result).toEqual([0]);
    expect(m.phase).toBe("Successful");
    // What the per-service recording rule sees (why the analysis narrows the SLI instead of reading it).
    const service = await query('slo:sli_error:ratio_rate5m{sre_service="stable-errors"}');
    expect(service[0]!.value).toBeGreaterThan(0.05);
  });

  test("an exhausted budget blocks promotion, and the owners' P2 is on its way", async () => {
    const m = await measure(gate("exhausted"));
    expect(m.result[0]).toBeLessThan(0);
    expect(m.phase).toBe("Failed");
    const alerts = await waitFor("the policy alert pending", async () => {
      const a = await query(`ALERTS{alertname="${BUDGET_EXHAUSTED_ALERT}"}`);
      return a.some((x) => x.labels.sre_service === "exhausted") ? a : undefined;
    }, deadline, logs);
    expect(alerts.find((x) => x.labels.sre_service === "exhausted")!.labels).toMatchObject({ priority: "P2", severity: "warning", team: "payments", alertstate: "pending" });
    expect(alerts.some((x) => x.labels.sre_service === "healthy")).toBe(false);
  });

  test("a recorded override opens the gate until its expiry, and the measurement names its ticket", async () => {
    const override = (ticket: string, approved: number, expires: number) => ({ service: "exhausted", slo: "availability", ticket, approvedBy: "incident-commander", approved: iso(approved), expires: iso(expires), reason: "a fix for the outage that spent the budget must ship" });
    const open = compileDelivery(scenarioDelivery([override("CHG-1001", now - 3600, now + 86_400)]), compiled, PROMETHEUS_URL);
    const m = await measure(gate("exhausted", open));
    expect(m.phase).toBe("Successful");
    expect(m.samples.map((s) => s.labels[LABEL_OVERRIDE])).toEqual(["CHG-1001"]);
    const expired = compileDelivery(scenarioDelivery([override("CHG-1000", now - 7200, now - 60)]), compiled, PROMETHEUS_URL);
    expect((await measure(gate("exhausted", expired))).phase).toBe("Failed");
  });

  test("no canary data is Inconclusive, not an error: an empty result and a NaN ratio", async () => {
    const never = await measure(canary("idle-canary"), { "canary-hash": "never-deployed" });
    expect(never.result).toEqual([]);
    expect(never.phase).toBe("Inconclusive");
    const idle = await measure(canary("idle-canary"), { "canary-hash": hash("idle-canary") });
    expect(idle.result).toHaveLength(1);
    expect(Number.isNaN(idle.result[0])).toBe(true);
    expect(idle.phase).toBe("Inconclusive");
    // The unguarded condition a template would otherwise carry: an evaluation error on empty, a silent pass on NaN.
    const threshold = /result\[0\] <= ([\d.]+)$/.exec(canary("idle-canary").spec.metrics[0]!.successCondition)![1];
    const naive = { successCondition: `result[0] <= ${threshold}`, failureCondition: `result[0] > ${threshold}` };
    expect(measurementPhase(naive, never.result)).toBe("Error");
    expect(measurementPhase(naive, idle.result)).toBe("Inconclusive");
  });

  test("the canary template's placeholder is the argument the Rollout passes", () => {
    expect(canary("healthy").spec.metrics[0]!.provider.prometheus.query).toContain(CANARY_HASH_PLACEHOLDER);
  });
});
