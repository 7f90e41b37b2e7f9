import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { ConfigError } from "../lib/config/validate-environment";
import type { ValidationProblem } from "../lib/problems";
import { compileDelivery, deliverySloProblems, type DeliveryPlan } from "../lib/delivery/delivery-plan";
import { prometheusUrl } from "../lib/observability/monitoring-selection";
import { KUBE_PROMETHEUS_STACK_DEFAULTS } from "../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import type { EnvironmentSlos } from "./slo-artifacts";

/**
 * The SLOs `delivery` names exist in each environment's specs and can be narrowed to a canary's pods, checked once the
 * SLOs are compiled and before anything is built.
 * @throws ConfigError naming each environment and field
 */
export function validateEnvironmentDelivery(configs: readonly EnvironmentConfig[], slos: readonly EnvironmentSlos[]): void {
  const byEnv = new Map<string, ValidationProblem[]>();
  configs.forEach((config, i) => {
    const problems = deliverySloProblems(config.delivery, slos[i]!.compiled);
    if (problems.length > 0) byEnv.set(config.name, problems);
  });
  if (byEnv.size > 0) throw new ConfigError(byEnv);
}

/** The environment's delivery plan, with the in-cluster Prometheus of the platform's kube-prometheus-stack release. */
export function environmentDeliveryPlan(config: EnvironmentConfig, slos: EnvironmentSlos): DeliveryPlan {
  return compileDelivery(config.delivery, slos.compiled, prometheusUrl(KUBE_PROMETHEUS_STACK_DEFAULTS.releaseName, KUBE_PROMETHEUS_STACK_DEFAULTS.namespace));
}

/**
 * Writes `<outdir>/delivery/<env>/`: per team namespace, each service's Rollout patch (`<service>.rollout-patch.yaml`,
 * the canary strategy its team applies to its Rollout) and the AnalysisTemplates the platform deploys there
 * (`analysis-templates.yaml`, for review); and the error-budget policy's alert rules (`error-budget-policy.rules.yaml`,
 * for `promtool check rules`). Nothing when the environment does not run Argo Rollouts.
 */
export function writeEnvironmentDelivery(outdir: string, config: EnvironmentConfig, slos: EnvironmentSlos): void {
  if (!config.delivery.rollouts.enabled) return;
  const plan = environmentDeliveryPlan(config, slos);
  const dir = path.join(outdir, "delivery", config.name);
  fs.mkdirSync(dir, { recursive: true });
  const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });
  for (const [service, patch] of Object.entries(plan.strategies)) {
    fs.mkdirSync(path.join(dir, patch.metadata.namespace), { recursive: true });
    fs.writeFileSync(path.join(dir, patch.metadata.namespace, `${service}.rollout-patch.yaml`), yaml(patch));
  }
  const namespaces = [...new Set(plan.analysisTemplates.map((t) => t.metadata.namespace))];
  for (const ns of namespaces) {
    const docs = plan.analysisTemplates.filter((t) => t.metadata.namespace === ns).map(yaml);
    fs.mkdirSync(path.join(dir, ns), { recursive: true });
    fs.writeFileSync(path.join(dir, ns, "analysis-templates.yaml"), docs.join("---\n"));
  }
  if (plan.alertGroups.length > 0) fs.writeFileSync(path.join(dir, "error-budget-policy.rules.yaml"), yaml({ groups: plan.alertGroups }));
}
