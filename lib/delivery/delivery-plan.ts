/**
 * An environment's delivery configuration and compiled SLOs → what the platform deploys for canary delivery (the
 * AnalysisTemplates and the error-budget alert) and what it hands each team (its Rollout's canary strategy).
 * Framework-free: the add-on builds the objects, the synth writes the files, tests run both through Prometheus.
 */
import type { EnvironmentConfig } from "../config/environment-schema";
import type { BudgetOverrideConfig, CanaryConfig, DeliveryConfig } from "../config/delivery-schema";
import type { ValidationProblem } from "../problems";
import type { AlertGroup } from "../observability/platform-alerts";
import type { CompiledSlo, CompileResult } from "../slo/compile";
import { SloError } from "../slo/model";
import {
  budgetExhaustedAlert, budgetGateTemplate, canaryAnalysisTemplate, canaryErrorRatioQuery, CANARY_HASH_PLACEHOLDER, type AnalysisTemplateObject,
} from "../slo/canary-analysis";
import { canaryStrategy, type RolloutStrategyPatch } from "./canary-strategy";

const DAY_MS = 86_400_000;

/** The name of a service's canary AnalysisTemplate. */
export function canaryTemplateName(canary: Pick<CanaryConfig, "service" | "slo">): string {
  return `${canary.service}-${canary.slo}-canary`;
}

/** The name of an SLO's budget-gate AnalysisTemplate. */
export function budgetGateTemplateName(gate: { service: string; slo: string }): string {
  return `${gate.service}-${gate.slo}-budget-gate`;
}

/**
 * Rules of `delivery` that need more than its shape, checked with the rest of the environment before anything is built:
 * canaries need the controller and a team namespace; one canary per service; every gate belongs to a service with a
 * canary (that is where its template lives and what it gates); each override names a gate, an approver of the policy and
 * a ticket of the policy's form, and ends after its approval and within `maxOverrideDays` of it.
 */
export function deliveryProblems(c: EnvironmentConfig): ValidationProblem[] {
  const d = c.delivery;
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path: `delivery.${path}`, value, allowed });
  const teamNamespaces = c.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
  if (d.canaries.length > 0 && !d.rollouts.enabled) add("rollouts.enabled", false, "true: delivery.canaries need the Argo Rollouts controller");
  const seen = new Set<string>();
  d.canaries.forEach((canary, i) => {
    if (!teamNamespaces.includes(canary.namespace)) {
      add(`canaries[${i}].namespace`, canary.namespace, `a team namespace of security.namespaces.teams (${teamNamespaces.join(", ") || "none configured"}): the AnalysisTemplates are made there`);
    }
    if (seen.has(canary.service)) add(`canaries[${i}].service`, canary.service, "a service with no other canary entry");
    seen.add(canary.service);
    if (canary.stableService === canary.canaryService) add(`canaries[${i}].canaryService`, canary.canaryService, `a Service other than stableService (${canary.stableService})`);
    if (!canary.steps.some((s) => "setWeight" in s)) add(`canaries[${i}].steps`, canary.steps, "at least one { setWeight } step: traffic must reach the canary before it is judged");
  });
  const p = d.errorBudgetPolicy;
  p.gates.forEach((g, i) => {
    if (!d.canaries.some((k) => k.service === g.service)) {
      add(`errorBudgetPolicy.gates[${i}].service`, g.service, `a service of delivery.canaries (${d.canaries.map((k) => k.service).join(", ") || "none configured"}): a gate stops that service's promotions`);
    }
  });
  let ticket: RegExp | undefined;
  try {
    ticket = new RegExp(p.ticketPattern);
  } catch {
    ticket = undefined;
  }
  p.overrides.forEach((o, i) => {
    const at = `errorBudgetPolicy.overrides[${i}]`;
    if (!p.gates.some((g) => g.service === o.service && g.slo === o.slo)) add(`${at}.slo`, `${o.service}/${o.slo}`, `a gate of errorBudgetPolicy.gates (${p.gates.map((g) => `${g.service}/${g.slo}`).join(", ") || "none"})`);
    if (!p.approvers.includes(o.approvedBy)) add(`${at}.approvedBy`, o.approvedBy, `one of errorBudgetPolicy.approvers (${p.approvers.join(", ")})`);
    if (ticket && !ticket.test(o.ticket)) add(`${at}.ticket`, o.ticket, `a ticket id matching errorBudgetPolicy.ticketPattern ${p.ticketPattern}`);
    const approved = Date.parse(o.approved);
    const expires = Date.parse(o.expires);
    if (!Number.isNaN(approved) && !Number.isNaN(expires)) {
      if (expires <= approved) add(`${at}.expires`, o.expires, `a time after approved (${o.approved})`);
      else if (expires - approved > p.maxOverrideDays * DAY_MS) add(`${at}.expires`, o.expires, `at most errorBudgetPolicy.maxOverrideDays (${p.maxOverrideDays}) after approved (${o.approved})`);
    }
  });
  return problems;
}

/** Problems of `delivery` against the environment's compiled SLOs: every SLO named exists, and its SLI can be narrowed. */
export function deliverySloProblems(d: DeliveryConfig, compiled: CompileResult): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const known = compiled.slos.map((s) => `${s.slo.service}/${s.slo.name}`);
  const check = (path: string, ref: { service: string; slo: string }): CompiledSlo | undefined => {
    const found = findSlo(compiled, ref);
    if (!found) problems.push({ path: `delivery.${path}`, value: `${ref.service}/${ref.slo}`, allowed: `an SLO of the environment's specs (service/slo): ${known.join(", ") || "none"}` });
    return found;
  };
  d.canaries.forEach((canary, i) => {
    const found = check(`canaries[${i}].slo`, canary);
    if (!found) return;
    try {
      canaryErrorRatioQuery(found.slo, canary.analysis.window, canary.canaryLabel, CANARY_HASH_PLACEHOLDER);
    } catch (e) {
      if (!(e instanceof SloError)) throw e;
      problems.push({ path: `delivery.canaries[${i}].slo`, value: `${canary.service}/${canary.slo}`, allowed: `an SLO whose SLI can be narrowed to the canary's pods (${e.diagnostics.map((x) => x.message).join("; ")})` });
    }
  });
  d.errorBudgetPolicy.gates.forEach((g, i) => check(`errorBudgetPolicy.gates[${i}]`, g));
  return problems;
}

function findSlo(compiled: CompileResult, ref: { service: string; slo: string }): CompiledSlo | undefined {
  return compiled.slos.find((s) => s.slo.service === ref.service && s.slo.name === ref.slo);
}

/** What the platform deploys and hands out for one environment's canary delivery. */
export interface DeliveryPlan {
  /** The canary and budget-gate templates, in the teams' namespaces. */
  readonly analysisTemplates: readonly AnalysisTemplateObject[];
  /** The error-budget policy's P2 alerts (empty when nothing is gated). */
  readonly alertGroups: readonly AlertGroup[];
  /** Per canary service, the Rollout patch the team applies. */
  readonly strategies: Readonly<Record<string, RolloutStrategyPatch>>;
}

/** The part of `delivery` canaries and the error-budget policy are compiled from. */
export type CanaryDeliveryConfig = Pick<DeliveryConfig, "rollouts" | "canaries" | "errorBudgetPolicy">;

/**
 * Compiles the environment's delivery configuration against its SLOs. Call after {@link deliveryProblems} and
 * {@link deliverySloProblems} report nothing.
 * @param prometheusUrl the in-cluster Prometheus the analyses query (from the kube-prometheus-stack construct)
 */
export function compileDelivery(d: CanaryDeliveryConfig, compiled: CompileResult, prometheusUrl: string): DeliveryPlan {
  const templates: AnalysisTemplateObject[] = [];
  const strategies: Record<string, RolloutStrategyPatch> = {};
  const alerts = [];
  for (const canary of d.canaries) {
    const slo = findSlo(compiled, canary)!;
    const canaryTemplate = canaryAnalysisTemplate(slo, {
      name: canaryTemplateName(canary),
      namespace: canary.namespace,
      prometheusUrl,
      canaryLabel: canary.canaryLabel,
      ...canary.analysis,
    });
    templates.push(canaryTemplate);
    const gates = d.errorBudgetPolicy.gates.filter((g) => g.service === canary.service);
    const gateNames: string[] = [];
    for (const gate of gates) {
      const gated = findSlo(compiled, gate)!;
      const overrides = d.errorBudgetPolicy.overrides.filter((o) => o.service === gate.service && o.slo === gate.slo).map(overrideOf);
      const name = budgetGateTemplateName(gate);
      templates.push(budgetGateTemplate(gated, { name, namespace: canary.namespace, prometheusUrl, floor: d.errorBudgetPolicy.floor, overrides }));
      alerts.push(budgetExhaustedAlert(gated, d.errorBudgetPolicy.floor));
      gateNames.push(name);
    }
    strategies[canary.service] = canaryStrategy(canary, { canaryTemplate: canaryTemplate.metadata.name, gateTemplates: gateNames });
  }
  return {
    analysisTemplates: templates,
    alertGroups: alerts.length === 0 ? [] : [{ name: "sre-error-budget-policy", rules: alerts.map((a) => ({ ...a, for: a.for ?? "5m", labels: a.labels ?? {}, annotations: a.annotations ?? {} })) }],
    strategies,
  };
}

function overrideOf(o: BudgetOverrideConfig): { ticket: string; approvedBy: string; expires: string } {
  return { ticket: o.ticket, approvedBy: o.approvedBy, expires: o.expires };
}
