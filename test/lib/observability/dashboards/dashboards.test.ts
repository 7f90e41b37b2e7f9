import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compileSlos } from "../../../../lib/slo/compile";
import {
  environmentDashboards, goldenSignalsDashboard, sloDashboard, sloDashboards, writeDashboards, type DashboardJson,
} from "../../../../lib/observability/dashboards";
import { makeSlo, SLI_BY_KIND } from "../../slo/support/factory";
import { promqlSyntaxError } from "../../slo/support/promql-parse";

const compiled = compileSlos([
  makeSlo({ service: "api", name: "requests" }),
  makeSlo({ service: "api", name: "latency", objective: 99, sli: SLI_BY_KIND.latency }),
  makeSlo({ service: "worker", name: "jobs", objective: 99.5, sli: SLI_BY_KIND.raw }),
]).slos;

interface Panel { type: string; title: string; targets?: Array<{ expr: string; legendFormat?: string }>; fieldConfig?: { defaults: { thresholds?: { steps: Array<{ value: number | null }> } } } }
const panels = (d: DashboardJson) => d.panels as Panel[];
const exprs = (d: DashboardJson) => panels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const recorded = new Set(compiled.flatMap((s) => s.groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : [])))));

describe("SLO dashboards", () => {
  const all = sloDashboards(compiled, { environment: "prod" });
  const api = all[0]!.dashboard;

  test("one per service, named and identified by environment and service", () => {
    expect(all.map((d) => d.name)).toEqual(["slo-api", "slo-worker"]);
    expect(all.map((d) => d.dashboard.uid)).toEqual(["slo-prod-api", "slo-prod-worker"]);
    expect(api.title).toBe("SLOs / api (prod)");
    expect(api.tags).toEqual(["sre-platform", "slo", "api"]);
  });

  test("a row per SLO with budget, period SLI, alerts, SLI per window, burn rates and budget over time", () => {
    expect(panels(api).filter((p) => p.type === "row").map((p) => p.title)).toEqual(["requests: 99.9% over 30d", "latency: 99% over 30d"]);
    expect(panels(api).filter((p) => p.type !== "row").slice(0, 6).map((p) => p.title)).toEqual([
      "Error budget remaining", "SLI over 30d", "Alerts firing", "SLI per window", "Burn rate against alert thresholds", "Error budget remaining over 30d",
    ]);
  });

  test("SLI per window covers every alert window of a 30d SLO", () => {
    const p = panels(api).find((x) => x.title === "SLI per window")!;
    expect(p.targets!.map((t) => t.legendFormat)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    expect(p.targets![2]!.expr).toBe('1 - max without (sre_window) (slo:sli_error:ratio_rate1h{sre_id="api-requests"})');
  });

  test("burn rates are drawn against the Workbook page (14.4, 6) and ticket (3, 1) factors", () => {
    const p = panels(api).find((x) => x.title === "Burn rate against alert thresholds")!;
    expect(p.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
    expect(p.targets!.map((t) => t.expr)).toContain('max without (sre_window) (slo:sli_error:ratio_rate6h{sre_id="api-requests"}) / 0.001');
  });

  test("alerts firing are counted by tier from Prometheus's ALERTS series", () => {
    const p = panels(api).find((x) => x.title === "Alerts firing")!;
    expect(p.targets![0]!.expr).toBe('count by (priority) (ALERTS{alertstate="firing",sre_id="api-requests"})');
  });

  test("every query parses and names only series the compiler records", () => {
    for (const { dashboard } of environmentDashboards(compiled)) {
      for (const e of exprs(dashboard)) {
        expect(promqlSyntaxError(e.replaceAll("$__rate_interval", "5m"))).toBeUndefined();
        for (const m of e.match(/\b(?:slo|sre_slo):[a-z0-9_:]+/g) ?? []) expect(recorded).toContain(m);
      }
    }
  });

  test("fails when the service has no SLO", () => {
    expect(() => sloDashboard("nope", compiled)).toThrow(/no SLO of service "nope"/);
  });
});

describe("golden signals", () => {
  const d = goldenSignalsDashboard(compiled).dashboard;
  const titled = (t: string) => panels(d).filter((p) => p.title === t);

  test("a row per service and one for saturation", () => {
    expect(panels(d).filter((p) => p.type === "row").map((p) => p.title)).toEqual(["api", "worker", "Saturation"]);
    expect(d.uid).toBe("golden-signals");
  });

  test("traffic from the SLI's own total query; latency quantiles from the latency SLI's histogram", () => {
    expect(titled("Traffic")[0]!.targets!.map((t) => t.expr)).toEqual([
      'sum(rate(http_requests_total{job="api"}[$__rate_interval]))',
      'sum(rate(http_request_duration_seconds_count{job="api"}[$__rate_interval]))',
    ]);
    expect(titled("Latency")[0]!.targets!.map((t) => t.legendFormat)).toEqual(["latency p50", "latency p90", "latency p99"]);
    expect(titled("Latency")[0]!.targets![2]!.expr).toBe('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[$__rate_interval])))');
    // A raw SLI has no separate total: the worker shows no traffic, but its errors.
    expect(titled("Traffic")[1]!.targets).toBeUndefined();
    expect(titled("Errors")[1]!.targets![0]!.expr).toBe('max without (sre_window) (slo:sli_error:ratio_rate5m{sre_id="worker-jobs"})');
  });

  test("saturation compares CPU and memory use with requests per pod", () => {
    expect(titled("CPU used / requested")[0]!.targets![0]!.expr).toMatch(/container_cpu_usage_seconds_total.*\n\/ sum by \(pod\) \(kube_pod_container_resource_requests\{namespace=~"\$namespace",resource="cpu"\}\)/);
  });
});

describe("writeDashboards", () => {
  test("writes <name>.json and refuses two dashboards of one name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dash-"));
    try {
      const list = environmentDashboards(compiled, { environment: "dev" });
      const files = writeDashboards(path.join(dir, "d"), list);
      expect(files.map((f) => path.basename(f))).toEqual(["slo-api.json", "slo-worker.json", "golden-signals.json"]);
      expect(JSON.parse(fs.readFileSync(files[0]!, "utf8")).uid).toBe("slo-dev-api");
      expect(() => writeDashboards(dir, [list[0]!, list[0]!])).toThrow(/repeated: slo-api/);
      expect(environmentDashboards([])).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
