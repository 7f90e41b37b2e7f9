import * as path from "node:path";
import { compileSlos } from "../../../lib/slo/compile";
import { loadSloFiles } from "../../../lib/slo/load";
import { environmentRunbooks, renderRunbook } from "../../../lib/observability/runbooks";
import { runbookUrl, type AlertingRule } from "../../../lib/slo/rules";

const root = path.resolve(__dirname, "../../..");
const spec = path.join(root, "environments/slos/checkout-api.yaml");

function compiled(environment: string) {
  return compileSlos(loadSloFiles([spec], { environment, knownEnvironments: ["dev", "staging", "prod"] }));
}

describe("runbooks", () => {
  const prod = compiled("prod");
  const availability = prod.slos.find((s) => s.slo.name === "availability")!;
  const page = renderRunbook(availability, "page", {
    environment: "prod",
    sourceRoot: root,
    dashboardOf: (service) => ({ uid: `slo-prod-${service}`, title: `SLOs / ${service} (prod)`, file: `slo-${service}.json` }),
    grafanaUrl: "https://grafana.example.com/",
  });

  test("one runbook per enabled alert, at the path the alert's runbook_url names", () => {
    const paths = environmentRunbooks(prod, { environment: "prod" }).map((r) => r.path);
    expect(paths).toEqual([
      "checkout-api/availability-page.md", "checkout-api/availability-ticket.md", "checkout-api/latency-page.md", "checkout-api/latency-ticket.md",
      "checkout-api/service-down.md",
    ]);
    const base = "https://runbooks.example.com/x/prod";
    // The service-down (P0) alert links to its own runbook.
    const withBase = compileSlos(prod.slos.map((s) => s.slo), { runbookBaseUrl: base });
    const p0 = withBase.services.flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === "CheckoutApiDown") as AlertingRule;
    expect(p0.annotations?.["runbook_url"]).toBe(`${base}/checkout-api/service-down.md`);
    const down = environmentRunbooks(prod, { environment: "prod" }).find((r) => r.path === "checkout-api/service-down.md")!.markdown;
    expect(down).toContain("**P0**: a service is down");
    expect(down).toContain('up{namespace="payments",job="checkout-api"}');
    expect(down).toContain("serviceDown.trafficCanBeZero");
    for (const p of paths.filter((x) => !x.endsWith("/service-down.md"))) {
      const [service, file] = p.split("/");
      const [slo, severity] = file!.replace(/\.md$/, "").split(/-(?=page|ticket)/);
      const def = prod.slos.find((s) => s.slo.service === service && s.slo.name === slo)!.slo;
      expect(runbookUrl({ ...def, alerting: { ...def.alerting, runbookUrl: undefined } }, severity as "page" | "ticket", base)).toBe(`${base}/${p}`);
    }
    // dev disables the page alerts in the spec's override: no runbook for an alert that does not exist.
    expect(environmentRunbooks(compiled("dev"), { environment: "dev" }).map((r) => r.path)).toEqual([
      "checkout-api/availability-ticket.md",
      "checkout-api/latency-ticket.md",
      "checkout-api/service-down.md",
    ]);
  });

  test("the page runbook states the numbers of the 99.9% / 30d Workbook table", () => {
    // Budget 0.1% of 30 days = 43.2 minutes. Page pairs: 2% in 1h (14.4×, ratio 1.44%) and 5% in 6h (6×, 0.6%).
    // A total outage crosses 1.44% after 0.0144 × 3600 s = 51.84 s, and 0.6% after 0.006 × 21600 s = 129.6 s.
    expect(page).toContain("Objective **99.9%** over **30d**: an error budget of 0.1% of requests, 43.2 minutes");
    expect(page).toContain("| 1h / 5m | 2% | 14.4× | 1.44% | 52s |");
    expect(page).toContain("| 6h / 30m | 5% | 6× | 0.6% | 2m10s |");
    // 720 h / 14.4 = 50 h: the whole budget at the fastest page burn rate.
    expect(page).toContain("the whole budget is gone in 2.08 days");
    expect(page).not.toContain("3d / 6h");
  });

  test("tier, dashboard, queries, mitigation and source come from the spec and the platform", () => {
    expect(page).toContain("**P1**: an SLO page");
    expect(page).toContain("<https://grafana.example.com/d/slo-prod-checkout-api>");
    expect(page).toContain('max without (sre_window) (slo:sli_error:ratio_rate1h{sre_id="checkout-api-availability"})');
    expect(page).toContain('slo:period_error_budget_remaining:ratio{sre_id="checkout-api-availability"}');
    expect(page).toContain('sum(rate(http_requests_total{namespace="payments",job="checkout-api"}[5m]))');
    expect(page).toContain("1. Check the last deploy of checkout-api");
    expect(page).toContain("Generated from `environments/slos/checkout-api.yaml`");
    const latency = prod.slos.find((s) => s.slo.name === "latency")!;
    expect(renderRunbook(latency, "ticket", { environment: "prod", sourceRoot: root })).toContain(
      "The spec gives no mitigation. Add `alerting.mitigation` to the SLO `latency` in `environments/slos/checkout-api.yaml`.",
    );
  });

  test("a spec's own priority label sets the tier the runbook states", () => {
    const withPriority = (label: string) => ({
      ...availability,
      slo: { ...availability.slo, alerting: { ...availability.slo.alerting, page: { ...availability.slo.alerting.page, labels: { priority: label } } } },
    });
    expect(renderRunbook(withPriority("P0"), "page", { environment: "prod" })).toContain("**P0**: a service is down");
    expect(renderRunbook(withPriority("urgent"), "page", { environment: "prod" })).toContain("outside the platform's P0–P4 tiers");
  });
});
