import { isLabelValue, isQualifiedName } from "../kubernetes/names";
import { karpenterBudgetNodesProblem, karpenterDurationProblem, restrictedNodeLabelProblem } from "../kubernetes/karpenter";
import { prometheusDurationSeconds } from "../kubernetes/durations";
import type { ValidationProblem } from "../problems";
import { amiVersionProblem } from "../eks/ami-versions";
import { requiredAlertmanagerRetention } from "../observability/alertmanager/generate";
import type { EnvironmentConfig } from "./environment-schema";
import { NODE_ROLE_LABEL, NODE_ROLES } from "../kubernetes/labels";
import { managedPrometheusProblems } from "./validate-managed-prometheus";

/** Rules between fields of the platform and observability sections (the shape is checked by the schema first). */
export function platformProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });

  const karpenter = c.platform.karpenter;
  if (c.platform.autoscaler === "karpenter" && !karpenter) {
    add("platform.karpenter", undefined, 'node pools (platform.karpenter.nodePools) when platform.autoscaler is "karpenter": without one Karpenter launches nothing');
  }
  if (c.platform.autoscaler !== "karpenter" && karpenter) {
    add("platform.karpenter", "(node pools)", 'nothing when platform.autoscaler is not "karpenter" (no controller would act on them)');
  }
  const names = new Set<string>();
  karpenter?.nodePools.forEach((pool, i) => {
    const path = `platform.karpenter.nodePools[${i}]`;
    if (names.has(pool.name)) add(`${path}.name`, pool.name, "a name no other node pool uses");
    const ami = amiVersionProblem(pool.amiFamily, pool.amiVersion);
    if (ami) add(`${path}.amiVersion`, pool.amiVersion, ami);
    names.add(pool.name);
    for (const field of ["consolidateAfter", "expireAfter"] as const) {
      const problem = karpenterDurationProblem(pool.disruption[field]);
      if (problem) add(`${path}.disruption.${field}`, pool.disruption[field], problem);
    }
    pool.disruption.budgets.forEach((b, j) => {
      const problem = karpenterBudgetNodesProblem(b.nodes);
      if (problem) add(`${path}.disruption.budgets[${j}].nodes`, b.nodes, problem);
      if ((b.schedule === undefined) !== (b.duration === undefined)) add(`${path}.disruption.budgets[${j}].schedule`, b.schedule, "schedule and duration together, or neither");
    });
    for (const [key, value] of Object.entries(pool.labels)) {
      const restricted = restrictedNodeLabelProblem(key);
      if (!isQualifiedName(key)) add(`${path}.labels.${key}`, key, "a Kubernetes label key: [prefix/]name");
      else if (restricted) add(`${path}.labels.${key}`, key, restricted);
      else if (!isLabelValue(value)) add(`${path}.labels.${key}`, value, "a Kubernetes label value");
    }
    pool.taints.forEach((t, j) => {
      if (!isQualifiedName(t.key)) add(`${path}.taints[${j}].key`, t.key, "a Kubernetes taint key: [prefix/]name");
    });
    if (new Set(pool.capacityTypes).size !== pool.capacityTypes.length) add(`${path}.capacityTypes`, pool.capacityTypes, "each capacity type once");
  });

  problems.push(...systemCapacityProblems(c));

  // `observability` is the KubePrometheusStack construct's props by the same names: its validator checks their own
  // rules (retention within the volume, evaluation no faster than scraping, sizes) at this path before anything is
  // built. What needs other sections stays here.
  const o = c.observability;
  if (c.alerting !== undefined) {
    // Alertmanager forgets a notification after its retention: shorter than the longest repeat interval (the
    // weekly P4 digest), it would send that group again as if it were new.
    const needed = requiredAlertmanagerRetention(c.alerting);
    if (seconds(o.alertmanager.retention) < seconds(needed)) {
      add("observability.alertmanager.retention", o.alertmanager.retention, `at least ${needed}, the longest repeat interval of alerting's tiers, so no notification is forgotten and re-sent early`);
    }
  }
  if (o.spreadAcrossZones && o.alertmanager.replicas > 1 && o.alertmanager.replicas > c.network.azCount * 2) {
    add("observability.alertmanager.replicas", o.alertmanager.replicas, `at most ${c.network.azCount * 2} when spread across ${c.network.azCount} zones`);
  }
  // A trend is fitted over samples Prometheus still holds: a window past its retention fits a shorter one silently.
  if (o.capacity !== undefined && seconds(o.capacity.trendWindow) > seconds(o.prometheus.retention)) {
    add("observability.capacity.trendWindow", o.capacity.trendWindow, `at most observability.prometheus.retention (${o.prometheus.retention}): the trend is fitted over samples Prometheus keeps`);
  }
  problems.push(...managedPrometheusProblems(c));
  return problems;
}

/**
 * Spot where the environment allows it: the controllers every other workload depends on (CoreDNS, the autoscaler,
 * the mesh, monitoring) run on the system nodes, and a spot reclaim takes a node with two minutes' notice, in waves
 * when a pool's capacity runs out. An environment that keeps its data (`protection.preventDestroy`) keeps those nodes
 * on-demand; workload pools may be spot anywhere.
 */
function systemCapacityProblems(c: EnvironmentConfig): ValidationProblem[] {
  if (!c.protection.preventDestroy) return [];
  const problems: ValidationProblem[] = [];
  const why = `on-demand capacity for the system nodes (${NODE_ROLE_LABEL}=${NODE_ROLES.system}) of an environment with protection.preventDestroy: a spot reclaim takes the cluster's controllers with it`;
  c.cluster.nodeGroups.forEach((g, i) => {
    if (g.labels[NODE_ROLE_LABEL] === NODE_ROLES.system && g.capacityType !== "ON_DEMAND") {
      problems.push({ path: `cluster.nodeGroups[${i}].capacityType`, value: g.capacityType, allowed: `"ON_DEMAND": ${why}` });
    }
  });
  c.platform.karpenter?.nodePools.forEach((pool, i) => {
    if (pool.labels[NODE_ROLE_LABEL] === NODE_ROLES.system && pool.capacityTypes.some((t) => t !== "on-demand")) {
      problems.push({ path: `platform.karpenter.nodePools[${i}].capacityTypes`, value: pool.capacityTypes, allowed: `["on-demand"]: ${why}` });
    }
  });
  return problems;
}

function seconds(d: string): number {
  return prometheusDurationSeconds(d) ?? Number.NaN;
}
