/**
 * `delivery` configuration: one `fails when …` per rule (shape and cross-field), the SLO references checked against the
 * compiled SLOs, and the plan: templates per canary and gate, the Rollout patch (validated against the Rollout CRD
 * schema once completed with a pod template, as a team's Rollout would be).
 */
import * as path from "node:path";
import { ENVIRONMENTS } from "../../../environments";
import { compileDelivery, deliverySloProblems, budgetGateTemplateName, canaryTemplateName } from "../../../lib/delivery/delivery-plan";
import { sloSpecFiles } from "../../../lib/slo/spec-folder";
import { loadAndCompileSlos } from "../../../lib/slo/pipeline";
import { crdSchemaProblems } from "../../../lib/kubernetes/crd-schemas";
import type { DeliveryConfig } from "../../../lib/config/delivery-schema";
import { configErrorsWith, type Mutable } from "../../support/config-errors";

const ROOT = path.resolve(__dirname, "../../..");
const prod = ENVIRONMENTS.find((e) => e.name === "prod")!;
const compiledProd = loadAndCompileSlos(sloSpecFiles(ROOT, prod.slo?.specs), { environment: "prod", knownEnvironments: ["dev", "staging", "prod"] }).result;
const URL = "http://kube-prometheus-stack-prometheus.monitoring:9090";
const errors = (mutate: (d: Mutable) => void) => configErrorsWith(prod, (c) => mutate(c.delivery));

describe("delivery configuration", () => {
  test("every environment's delivery section validates", () => {
    for (const env of ENVIRONMENTS) expect(configErrorsWith(env, () => undefined)).toEqual([]);
  });

  test("fails when a step is neither a weight nor a pause, or a weight is out of range", () => {
    expect(errors((d) => (d.canaries[0].steps = [{ setWeight: 0 }]))).toEqual([expect.stringContaining("delivery.canaries[0].steps[0]")]);
    expect(errors((d) => (d.canaries[0].steps = [{ setWeight: 10, pause: {} }])).join("\n")).toContain("delivery.canaries[0].steps[0]");
  });

  test("fails when an analysis duration is not an Argo Rollouts or Prometheus duration", () => {
    expect(errors((d) => (d.canaries[0].analysis.interval = "1 minute")).join("\n")).toMatch(/delivery\.canaries\[0\]\.analysis\.interval: got "1 minute"; allowed: a duration such as 30s, 5m or 1h/);
    expect(errors((d) => (d.canaries[0].analysis.window = "five")).join("\n")).toContain("delivery.canaries[0].analysis.window");
  });

  test("fails when canaries are configured without the controller", () => {
    expect(errors((d) => (d.rollouts.enabled = false)).join("\n")).toContain("delivery.rollouts.enabled: got false; allowed: true: delivery.canaries need the Argo Rollouts controller");
  });

  test("fails when a canary's namespace is not a team namespace", () => {
    expect(errors((d) => (d.canaries[0].namespace = "monitoring")).join("\n")).toContain('delivery.canaries[0].namespace: got "monitoring"; allowed: a team namespace of security.namespaces.teams (payments)');
  });

  test("fails when a service has two canaries, or its stable and canary Services are the same", () => {
    expect(errors((d) => d.canaries.push(structuredClone(d.canaries[0]))).join("\n")).toContain('delivery.canaries[1].service: got "checkout-api"');
    expect(errors((d) => (d.canaries[0].canaryService = d.canaries[0].stableService)).join("\n")).toContain("delivery.canaries[0].canaryService");
  });

  test("fails when no step sends traffic to the canary", () => {
    expect(errors((d) => (d.canaries[0].steps = [{ pause: {} }])).join("\n")).toContain("delivery.canaries[0].steps: got");
  });

  test("fails when a gate names a service without a canary", () => {
    expect(errors((d) => d.errorBudgetPolicy.gates.push({ service: "payments-worker", slo: "processing" })).join("\n")).toContain('delivery.errorBudgetPolicy.gates[2].service: got "payments-worker"');
  });

  const override = { service: "checkout-api", slo: "availability", ticket: "CHG-42", approvedBy: "incident-commander", approved: "2026-12-01T09:00:00Z", expires: "2026-12-03T09:00:00Z", reason: "the fix for the outage that spent the budget must ship" };

  test("a recorded override within the policy validates", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push(override))).toEqual([]);
  });

  test("fails when an override's approver is not one of the policy's", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, approvedBy: "someone" })).join("\n")).toContain('delivery.errorBudgetPolicy.overrides[0].approvedBy: got "someone"; allowed: one of errorBudgetPolicy.approvers (incident-commander, payments-engineering-manager)');
  });

  test("fails when an override's ticket is not of the policy's form", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, ticket: "JIRA-1" })).join("\n")).toContain('delivery.errorBudgetPolicy.overrides[0].ticket: got "JIRA-1"; allowed: a ticket id matching errorBudgetPolicy.ticketPattern ^CHG-[0-9]+$');
  });

  test("fails when an override ends before its approval, or lasts longer than the policy allows", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, expires: "2026-11-30T09:00:00Z" })).join("\n")).toContain("delivery.errorBudgetPolicy.overrides[0].expires");
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, expires: "2026-12-08T09:00:00Z" })).join("\n")).toContain("allowed: at most errorBudgetPolicy.maxOverrideDays (3) after approved (2026-12-01T09:00:00Z)");
  });

  test("fails when an override's time is not a UTC timestamp, or its reason is missing", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, expires: "next friday" })).join("\n")).toContain("delivery.errorBudgetPolicy.overrides[0].expires");
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, reason: "" })).join("\n")).toContain("delivery.errorBudgetPolicy.overrides[0].reason");
  });

  test("fails when an override names an SLO that does not gate", () => {
    expect(errors((d) => d.errorBudgetPolicy.overrides.push({ ...override, slo: "throughput" })).join("\n")).toContain('delivery.errorBudgetPolicy.overrides[0].slo: got "checkout-api/throughput"');
  });
});

describe("delivery against the compiled SLOs", () => {
  test("prod's delivery names SLOs that exist and can be narrowed", () => {
    expect(deliverySloProblems(prod.delivery, compiledProd)).toEqual([]);
  });

  test("fails when a canary or a gate names an SLO the environment does not have", () => {
    const d: DeliveryConfig = structuredClone(prod.delivery);
    (d.canaries[0] as Mutable).slo = "throughput";
    (d.errorBudgetPolicy.gates[1] as Mutable).service = "checkout";
    const problems = deliverySloProblems(d, compiledProd);
    expect(problems.map((p) => p.path)).toEqual(["delivery.canaries[0].slo", "delivery.errorBudgetPolicy.gates[1]"]);
    expect(problems[0]!.allowed).toContain("checkout-api/availability");
  });

  test("fails when the canary label is one the SLI already selects on", () => {
    const d: DeliveryConfig = structuredClone(prod.delivery);
    (d.canaries[0] as Mutable).canaryLabel = "job";
    const [p] = deliverySloProblems(d, compiledProd);
    expect(p).toMatchObject({ path: "delivery.canaries[0].slo", allowed: expect.stringContaining("already matches on job") });
  });
});

describe("the delivery plan", () => {
  const plan = compileDelivery(prod.delivery, compiledProd, URL);
  const patch = plan.strategies["checkout-api"]!;

  test("one canary template per canary, one gate per gated SLO, all in the team's namespace, querying the given Prometheus", () => {
    expect(plan.analysisTemplates.map((t) => `${t.metadata.namespace}/${t.metadata.name}`)).toEqual([
      "payments/checkout-api-availability-canary",
      "payments/checkout-api-availability-budget-gate",
      "payments/checkout-api-latency-budget-gate",
    ]);
    for (const t of plan.analysisTemplates) expect(t.spec.metrics[0]!.provider.prometheus.address).toBe(URL);
    expect(plan.alertGroups.flatMap((g) => g.rules.map((r) => r.labels.sre_id))).toEqual(["checkout-api-availability", "checkout-api-latency"]);
  });

  test("the Rollout patch gates before the first traffic and before promotion, and analyses from the first traffic on", () => {
    const steps = patch.spec.strategy.canary.steps;
    const gate = { analysis: { templates: [{ templateName: budgetGateTemplateName({ service: "checkout-api", slo: "availability" }) }, { templateName: budgetGateTemplateName({ service: "checkout-api", slo: "latency" }) }] } };
    expect(steps[0]).toEqual(gate);
    expect(steps[steps.length - 1]).toEqual(gate);
    expect(steps[0]).not.toBe(steps[steps.length - 1]);
    expect(steps.slice(1, -1)).toEqual(prod.delivery.canaries[0]!.steps);
    const analysis = patch.spec.strategy.canary.analysis;
    expect(analysis.startingStep).toBe(1);
    expect(steps[analysis.startingStep]).toEqual({ setWeight: 5 });
    expect(analysis.templates).toEqual([{ templateName: canaryTemplateName({ service: "checkout-api", slo: "availability" }) }]);
    expect(analysis.args).toEqual([{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }]);
    expect(patch.spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: "checkout-api", routes: ["primary"] } } });
  });

  test("a team's Rollout with the patch applied passes the Rollout CRD schema, with and without a DestinationRule", () => {
    const withSubsets = compileDelivery(
      { ...prod.delivery, canaries: [{ ...prod.delivery.canaries[0]!, destinationRule: { name: "checkout-api", canarySubsetName: "canary", stableSubsetName: "stable" } }] },
      compiledProd,
      URL,
    ).strategies["checkout-api"]!;
    for (const p of [patch, withSubsets]) {
      const rollout = {
        ...p,
        spec: {
          ...p.spec,
          replicas: 3,
          selector: { matchLabels: { app: "checkout-api" } },
          template: { metadata: { labels: { app: "checkout-api" } }, spec: { containers: [{ name: "api", image: "example.com/checkout-api:1.0.0" }] } },
        },
      };
      expect(crdSchemaProblems(rollout, "argoproj.io/rollout_v1alpha1.json")).toEqual([]);
    }
    const misspelt = { ...patch, spec: { strategy: { canary: { ...patch.spec.strategy.canary, trafficRouting: { istio: { virtualServce: { name: "x" } } } } } } };
    expect(crdSchemaProblems(misspelt, "argoproj.io/rollout_v1alpha1.json")).not.toEqual([]);
  });
});
