import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSloYaml } from "../../../lib/slo/parse";
import { validateSloDefinitions } from "../../../lib/slo/validate";

const SPECS = join(__dirname, "../../../environments/slos");

describe("sre-platform/v1", () => {
  const text = readFileSync(join(SPECS, "checkout-api.yaml"), "utf8");

  it("reads the platform's example spec into definitions", () => {
    const r = parseSloYaml(text, "checkout-api.yaml");
    expect(r.errors).toEqual([]);
    expect(r.definitions.map((d) => [d.id, d.sli.kind, d.objective])).toEqual([
      ["checkout-api-availability", "events", 99.9],
      ["checkout-api-latency", "latency", 99],
    ]);
    const [avail, latency] = r.definitions;
    expect(avail).toMatchObject({
      labels: { team: "payments", tier: "1" },
      alerting: { name: "CheckoutApiAvailability", mitigation: expect.stringContaining("roll back if the errors started with it"), page: { disabled: false, labels: {} } },
      source: { file: "checkout-api.yaml", format: "sre-platform/v1", index: 0 },
    });
    expect(latency!.sli).toEqual({ kind: "latency", metric: "http_request_duration_seconds", selector: 'namespace="payments",job="checkout-api",route!="/healthz"', threshold: "0.3" });
  });

  it.each([
    ["prod", 99.9, false, "slos[0].objective"],
    ["staging", 99.5, false, "slos[0].environments.staging.objective"],
    ["dev", 99, true, "slos[0].environments.dev.objective"],
  ])("applies the %s overrides", (environment, objective, pageDisabled, field) => {
    const r = parseSloYaml(text, "checkout-api.yaml", { environment });
    const d = r.definitions[0]!;
    expect(d.objective).toBe(objective);
    expect(d.alerting.page.disabled).toBe(pageDisabled);
    expect(d.alerting.ticket.disabled).toBe(false);
    expect(d.source.fields?.["objective"]).toBe(field);
  });

  it("defaults the alert name and enables both alerts when alerting is omitted", () => {
    const r = parseSloYaml("version: sre-platform/v1\nservice: 3d-render\nslos:\n  - name: up\n    objective: 99\n    sli:\n      availability:\n        gaugeQuery: up\n", "r.yaml");
    expect(r.definitions[0]!.alerting).toEqual({
      name: "Slo3dRenderUp",
      labels: {},
      annotations: {},
      page: { disabled: false, labels: {}, annotations: {} },
      ticket: { disabled: false, labels: {}, annotations: {} },
    });
  });

  it("takes YAML numbers as label values and latency thresholds as text", () => {
    const r = parseSloYaml("version: sre-platform/v1\nservice: api\nlabels:\n  tier: 1\nslos:\n  - name: lat\n    objective: 99\n    sli:\n      latency:\n        metric: h\n        threshold: 0.25\n", "r.yaml");
    expect(r.errors).toEqual([]);
    expect(r.definitions[0]).toMatchObject({ labels: { tier: "1" }, sli: { threshold: "0.25", selector: "" } });
  });

  it("fails when the SLI is missing AND a label name is bad, reporting both in one run", () => {
    const text = "version: sre-platform/v1\nservice: api\nslos:\n  - name: up\n    objective: 99\n    labels:\n      bad-name: x\n";
    const r = parseSloYaml(text, "r.yaml");
    const all = [...r.errors, ...validateSloDefinitions([...r.definitions, ...r.rejected])];
    expect(all.map((d) => [d.field, d.message.slice(0, 24)])).toEqual([
      ["slos[0].sli", "missing SLI: give one of"],
      ["slos[0].labels.bad-name", 'invalid label name "bad-'],
    ]);
    expect(r.definitions).toEqual([]);
  });
});
