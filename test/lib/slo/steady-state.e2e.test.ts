/**
 * The steady-state probes compiled from SLOs, judged by a real Prometheus: one server (loopback, bounded) evaluates the
 * compiled SLO rules over three services' histories; every probe's query runs through the HTTP API, and the probe's own
 * comparator (criteria and value, as Litmus reads them) decides. Healthy passes both probes; a slow burn passes the
 * burn-rate probe but fails the budget floor; a fast burn fails both.
 */
import { steadyStateProbes, type PromProbe } from "../../../lib/slo/steady-state";
import { describeWithBinaries, PROMETHEUS, PROMTOOL } from "../../support/binaries";
import { resultValues, SloPrometheus, type InstantResult, type ServiceHistory } from "../../support/slo-history";
import { waitFor } from "../../e2e/support/processes";

const BUDGET_MS = 45_000;
const HISTORIES: readonly ServiceHistory[] = [
  // 0.02% errors against a 0.1% budget: burn rate 0.2, four fifths of the budget left.
  { service: "steady-api", requestsPerSecond: 500, errorShare: 0.0002 },
  // 0.5%: burn rate 5, under the page threshold (14.4), but the period's budget is gone.
  { service: "slow-burn-api", requestsPerSecond: 50, errorShare: 0.005 },
  // 50%: burn rate 500.
  { service: "burning-api", requestsPerSecond: 50, errorShare: 0.5 },
];
const PROMETHEUS_URL = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";

/**
 * Litmus' verdict on a promProbe's query result (litmus-go 3.29.0, `pkg/probe/promProbe.go` and
 * `comparator/float.go`): exactly one row, its value parsed as a float, compared with `criteria` against `value`.
 * Anything else (no row, several rows) fails the probe.
 */
function litmusVerdict(probe: PromProbe, result: InstantResult): { pass: boolean; actual: string } {
  const values = resultValues(result);
  if (values.length !== 1) return { pass: false, actual: `${values.length} rows` };
  const a = Number.parseFloat(values[0]!);
  const b = Number.parseFloat(probe["promProbe/inputs"].comparator.value);
  const ops: Record<string, (x: number, y: number) => boolean> = { "<": (x, y) => x < y, ">": (x, y) => x > y, "<=": (x, y) => x <= y, ">=": (x, y) => x >= y, "==": (x, y) => x === y, "!=": (x, y) => x !== y };
  const op = ops[probe["promProbe/inputs"].comparator.criteria];
  if (op === undefined) throw new Error(`criteria ${probe["promProbe/inputs"].comparator.criteria} is not one Litmus compares floats with`);
  return { pass: op(a, b), actual: values[0]! };
}

describeWithBinaries("steady-state probes against a real Prometheus", [PROMETHEUS, PROMTOOL], () => {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  let prometheus: SloPrometheus | undefined;
  const probes = new Map<string, PromProbe[]>();

  beforeAll(async () => {
    prometheus = await SloPrometheus.start({ histories: HISTORIES, deadline });
    for (const h of HISTORIES) probes.set(h.service, steadyStateProbes(prometheus.compiled.slos, h.service, { prometheusUrl: PROMETHEUS_URL }));
    // The recorded series exist once each group has run a few times: wait for every probe query to answer.
    const all = [...probes.values()].flat();
    await waitFor("every probe query to return a sample", async () => {
      for (const p of all) if (resultValues(await prometheus!.query(p["promProbe/inputs"].query)).length === 0) return undefined;
      return true;
    }, deadline, () => prometheus!.logs);
    // A few more evaluations, so the period ratio averages more than one recorded sample.
    await new Promise((r) => setTimeout(r, 3000));
  }, BUDGET_MS + 5000);

  afterAll(async () => {
    await prometheus?.stop();
    console.log(`steady-state end-to-end test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  async function verdicts(service: string): Promise<Record<string, { pass: boolean; actual: string }>> {
    const out: Record<string, { pass: boolean; actual: string }> = {};
    for (const p of probes.get(service)!) out[p.name.replace(`${service}-availability-`, "")] = litmusVerdict(p, await prometheus!.query(p["promProbe/inputs"].query));
    return out;
  }

  test("each service gets a continuous burn-rate probe and an edge budget probe, queries safe for Litmus' shell", () => {
    for (const h of HISTORIES) {
      const ps = probes.get(h.service)!;
      expect(ps.map((p) => [p.name, p.mode])).toEqual([
        [`${h.service}-availability-burn-rate-under-page`, "Continuous"],
        [`${h.service}-availability-budget-above-floor`, "Edge"],
      ]);
      for (const p of ps) expect(p["promProbe/inputs"].query).not.toMatch(/["$`\\]/);
    }
  });

  test("healthy history: both probes pass", async () => {
    const v = await verdicts("steady-api");
    expect(v).toEqual({ "burn-rate-under-page": { pass: true, actual: expect.any(String) }, "budget-above-floor": { pass: true, actual: expect.any(String) } });
    // About 0.2 (whole counts make it move a little), well under the threshold.
    expect(Number(v["burn-rate-under-page"]!.actual)).toBeGreaterThan(0.05);
    expect(Number(v["burn-rate-under-page"]!.actual)).toBeLessThan(0.5);
  });

  test("slow burn: under the page threshold, so the continuous probe passes; the budget floor fails", async () => {
    const v = await verdicts("slow-burn-api");
    expect(v["burn-rate-under-page"]!.pass).toBe(true);
    expect(v["budget-above-floor"]!.pass).toBe(false);
  });

  test("burning history: both probes fail", async () => {
    const v = await verdicts("burning-api");
    expect(v["burn-rate-under-page"]).toEqual({ pass: false, actual: expect.any(String) });
    expect(Number(v["burn-rate-under-page"]!.actual)).toBeGreaterThan(14.4);
    expect(v["budget-above-floor"]!.pass).toBe(false);
  });

  test("a query for an SLO whose rules are not loaded returns no row, which fails the probe", async () => {
    const [burn] = steadyStateProbes(prometheus!.compiled.slos, "steady-api", { prometheusUrl: PROMETHEUS_URL });
    const unknown = { ...burn!, "promProbe/inputs": { ...burn!["promProbe/inputs"], query: burn!["promProbe/inputs"].query.replace("steady-api", "not-deployed") } };
    expect(litmusVerdict(unknown, await prometheus!.query(unknown["promProbe/inputs"].query))).toEqual({ pass: false, actual: "0 rows" });
  });
});
