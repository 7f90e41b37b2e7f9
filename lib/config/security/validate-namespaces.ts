import { parseArn } from "../../aws/arns";
import { isDnsLabel, isDnsSubdomain } from "../../kubernetes/names";
import { isQuantity, parseQuantity, QUANTITY_RULE } from "../../kubernetes/quantity";
import { MONITORING_NAMESPACE } from "../../observability/monitoring-selection";
import { isPort, PORT_RULE, SYSTEM_NAMESPACES } from "../../security/namespace-baseline";
import type { ValidationProblem } from "../../problems";
import type { EnvironmentConfig } from "../environment-schema";
import type { NamespaceSettings } from "./namespaces";
import { networkAllowProblems } from "../../security/network-allow";


/**
 * The rules of `security.namespaces` that need more than one field: team namespaces unique, never a platform or system namespace; each allow with exactly one peer
 * and valid ports, labels and CIDR; quotas and defaults as quantities that fit; and each team role of the
 * environment's account with one EKS access entry of its own (not in `cluster.access`, not the deploy or
 * break-glass role, not twice).
 */
export function namespacesProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  const ns = c.security.namespaces;
  const base = "security.namespaces";
  const platform = Object.keys(ns.platform);

  // Which platform namespaces must and may be here, and which take their Pod Security level from an add-on's own
  // section, is the add-on registry's to say (stacks/addon-config.ts): this layer sees no add-on.
  for (const [name, settings] of Object.entries(ns.platform)) problems.push(...settingsProblems(`${base}.platform.${name}`, settings));

  const teamNames = new Set<string>();
  const owners = new Map<string, string>();
  ns.teams.forEach((team, i) => {
    const path = `${base}.teams[${i}]`;
    if (teamNames.has(team.name)) add(`${path}.name`, team.name, "a name no other team uses");
    teamNames.add(team.name);
    if (Object.keys(team.namespaces).length === 0) add(`${path}.namespaces`, {}, "at least one namespace");
    for (const [name, settings] of Object.entries(team.namespaces)) {
      const nsPath = `${path}.namespaces.${name}`;
      if (!isDnsLabel(name)) add(nsPath, name, "a Kubernetes namespace name (RFC 1123 label)");
      else if (platform.includes(name)) add(nsPath, name, `a namespace of the team's own, not the platform's (${platform.join(", ")})`);
      else if ((SYSTEM_NAMESPACES as readonly string[]).includes(name)) add(nsPath, name, `a namespace of the team's own, not Kubernetes' (${SYSTEM_NAMESPACES.join(", ")})`);
      else if (owners.has(name)) add(nsPath, name, `a namespace no other team has (team "${owners.get(name)}" has it)`);
      owners.set(name, team.name);
      problems.push(...settingsProblems(nsPath, settings));
    }
  });
  problems.push(...teamRoleProblems(c));
  problems.push(...accessNamespaceProblems(c, platform, [...owners.keys()]));
  problems.push(...monitoringQuotaProblems(c));
  return problems;
}

/**
 * The monitoring namespace's quota holds what `observability` sizes: every Prometheus, Alertmanager and Grafana
 * replica's memory limit and CPU request. A quota below that would leave replicas unscheduled with no error in the
 * plan, only a `forbidden: exceeded quota` event in the cluster.
 */
function monitoringQuotaProblems(c: EnvironmentConfig): ValidationProblem[] {
  const quota = c.security.namespaces.platform[MONITORING_NAMESPACE]?.quota;
  if (quota === undefined) return [];
  const o = c.observability;
  const sized = [
    { replicas: o.prometheus.replicas, resources: o.prometheus.resources },
    { replicas: o.alertmanager.replicas, resources: o.alertmanager.resources },
    { replicas: 1, resources: o.grafana.resources },
  ];
  const problems: ValidationProblem[] = [];
  const check = (field: "limitsMemory" | "requestsCpu", of: (r: (typeof sized)[number]["resources"]) => string | undefined) => {
    const need = sized.reduce((sum, s) => sum + s.replicas * (parseQuantity(of(s.resources) ?? "0") ?? 0), 0);
    const have = parseQuantity(quota[field]);
    if (have !== undefined && have < need) {
      problems.push({ path: `security.namespaces.platform.${MONITORING_NAMESPACE}.quota.${field}`, value: quota[field], allowed: `at least what observability sizes for Prometheus, Alertmanager and Grafana together (${formatAmount(need, field)}), plus room for the operator and exporters` });
    }
  };
  check("limitsMemory", (r) => r.limits?.memory);
  check("requestsCpu", (r) => r.requests?.cpu);
  // Each Prometheus and Alertmanager replica claims its own volume.
  const claims = o.prometheus.replicas + o.alertmanager.replicas;
  const storageGiB = o.prometheus.replicas * o.prometheus.storageGiB + o.alertmanager.replicas * o.alertmanager.storageGiB;
  const path = `security.namespaces.platform.${MONITORING_NAMESPACE}.quota`;
  if ((quota.persistentVolumeClaims ?? 0) < claims) {
    problems.push({ path: `${path}.persistentVolumeClaims`, value: quota.persistentVolumeClaims, allowed: `at least one claim per Prometheus and Alertmanager replica (${claims})` });
  }
  const haveStorage = parseQuantity(quota.requestsStorage ?? "0");
  if (haveStorage !== undefined && haveStorage < storageGiB * 2 ** 30) {
    problems.push({ path: `${path}.requestsStorage`, value: quota.requestsStorage, allowed: `at least the volumes observability sizes for Prometheus and Alertmanager together (${storageGiB}Gi)` });
  }
  return problems;
}

function formatAmount(n: number, field: string): string {
  return field === "limitsMemory" ? `${Math.ceil(n / 2 ** 20)}Mi` : `${Math.round(n * 1000)}m`;
}

/** Team roles: the environment's account, one access entry each. */
/**
 * A namespace-scoped EKS access entry grants its policy in namespaces that must exist with the platform's baseline
 * (Pod Security, default-deny network policies, quota and limits): a platform namespace or a team's. A name the
 * platform does not create would be created by whoever holds the grant, with none of that, and the grant would
 * reach whatever runs there.
 */
function accessNamespaceProblems(c: EnvironmentConfig, platform: readonly string[], teams: readonly string[]): ValidationProblem[] {
  const baselined = new Set([...platform, ...teams]);
  const problems: ValidationProblem[] = [];
  c.cluster.access.forEach((entry, i) => {
    entry.namespaces.forEach((name, j) => {
      if (!baselined.has(name)) {
        problems.push({
          path: `cluster.access[${i}].namespaces[${j}]`,
          value: name,
          allowed: `a namespace the platform creates with its baseline: a team namespace (${teams.join(", ") || "none yet"}) or a platform namespace (${platform.join(", ")}); add a team under security.namespaces.teams first, or drop the namespaces for a cluster-wide grant`,
        });
      }
    });
  });
  return problems;
}

function teamRoleProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Map<string, string>();
  c.cluster.access.forEach((a, i) => seen.set(a.roleArn, `cluster.access[${i}]`));
  seen.set(c.iam.deployRoleArn, "iam.deployRoleArn");
  seen.set(c.iam.breakGlassRoleArn, "iam.breakGlassRoleArn");
  c.security.namespaces.teams.forEach((team, i) => {
    for (const field of ["deployRoleArns", "viewRoleArns"] as const) {
      team[field].forEach((arn, j) => {
        const path = `security.namespaces.teams[${i}].${field}[${j}]`;
        if (parseArn(arn)?.account !== c.account) problems.push({ path, value: arn, allowed: `a role of the environment's own account, ${c.account}` });
        const first = seen.get(arn);
        if (first !== undefined) {
          const hint = field === "viewRoleArns" && first.startsWith(`security.namespaces.teams[${i}].deployRoleArns`) ? " (deployers can already view)" : "";
          problems.push({ path, value: arn, allowed: `a role without an EKS access entry elsewhere: ${first} already has this one${hint}, and EKS allows one access entry per principal` });
        } else seen.set(arn, path);
      });
    }
  });
  return problems;
}

function settingsProblems(path: string, s: NamespaceSettings): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (p: string, value: unknown, allowed: string) => problems.push({ path: `${path}.${p}`, value, allowed });
  s.metricsPorts.forEach((port, i) => {
    if (!isPort(port)) add(`metricsPorts[${i}]`, port, PORT_RULE);
  });
  for (const direction of ["ingress", "egress"] as const) {
    const names = new Set<string>();
    s[direction].forEach((rule, i) => {
      const rulePath = `${direction}[${i}]`;
      if (names.has(rule.name)) add(`${rulePath}.name`, rule.name, `a name no other ${direction} allow of this namespace uses (it names the policy)`);
      names.add(rule.name);
      for (const p of networkAllowProblems(rule, undefined, direction)) add(`${rulePath}.${p.path}`, p.value, p.allowed);
    });
  }
  for (const [key, value] of Object.entries({ requestsCpu: s.quota.requestsCpu, requestsMemory: s.quota.requestsMemory, limitsMemory: s.quota.limitsMemory, requestsStorage: s.quota.requestsStorage })) {
    if (value !== undefined && !isQuantity(value)) add(`quota.${key}`, value, QUANTITY_RULE);
  }
  // A StorageClass's limits stay within the namespace's totals (absent totals are zero).
  const totalStorage = parseQuantity(s.quota.requestsStorage ?? "0");
  const totalClaims = s.quota.persistentVolumeClaims ?? 0;
  for (const [name, c] of Object.entries(s.quota.storageClasses ?? {})) {
    const path = `quota.storageClasses.${name}`;
    if (!isDnsSubdomain(name)) add(path, name, "a StorageClass name (RFC 1123 subdomain)");
    if (c.requestsStorage !== undefined) {
      const amount = parseQuantity(c.requestsStorage);
      if (amount === undefined) add(`${path}.requestsStorage`, c.requestsStorage, QUANTITY_RULE);
      else if (totalStorage !== undefined && amount > totalStorage) add(`${path}.requestsStorage`, c.requestsStorage, `at most the namespace's quota.requestsStorage (${s.quota.requestsStorage ?? "0"})`);
    }
    if (c.persistentVolumeClaims !== undefined && c.persistentVolumeClaims > totalClaims) {
      add(`${path}.persistentVolumeClaims`, c.persistentVolumeClaims, `at most the namespace's quota.persistentVolumeClaims (${totalClaims})`);
    }
  }
  for (const [key, value] of Object.entries(s.containerDefaults)) {
    if (!isQuantity(value)) add(`containerDefaults.${key}`, value, QUANTITY_RULE);
  }
  const request = parseQuantity(s.containerDefaults.requestMemory);
  const limit = parseQuantity(s.containerDefaults.limitMemory);
  if (request !== undefined && limit !== undefined && request > limit) {
    add("containerDefaults.requestMemory", s.containerDefaults.requestMemory, `at most limitMemory (${s.containerDefaults.limitMemory})`);
  }
  return problems;
}
