import type { ValidationProblem } from "../problems";
import { isQualifiedName } from "./names";
import { resourcesProblems } from "./resources";
import {
  hardenedContainerSecurityContext, hardenedPodSecurityContext, HardenedContainerSecurityContext, HardenedPodSecurityContext, RunAsIds,
} from "./security-context";

/**
 * One workload profile for every platform controller: how many replicas, how big, how it survives a node drain and a
 * zone outage, where it runs and how it is hardened. Each add-on used to spell these out for itself (a replicas check
 * here, a disruption budget there, five zone spreads); the profile decides them once, and a chart only says where it
 * keeps each setting (`constructs/addons/private/workload-values.ts`).
 */

/** The label Kubernetes puts on every node with its availability zone. */
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

/** A pod toleration. */
export interface Toleration {
  /** Taint key to tolerate. @default - every key (only with operator `Exists`) */
  readonly key?: string;
  /** @default "Equal" */
  readonly operator?: "Exists" | "Equal";
  /** Taint value to match with operator `Equal`. @default "" */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  /** How long a `NoExecute` taint is tolerated before eviction. @default - forever */
  readonly tolerationSeconds?: number;
}

/**
 * The system node group's label: EKS managed node groups label every node with `eks.amazonaws.com/capacityType`, and
 * nodes Karpenter launches never carry it, so controllers stay off the capacity they manage.
 */
export const DEFAULT_SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { "eks.amazonaws.com/capacityType": "ON_DEMAND" };
/** The system node group's taint, which only cluster-critical add-ons tolerate. */
export const DEFAULT_SYSTEM_TOLERATIONS: readonly Toleration[] = [{ key: "CriticalAddonsOnly", operator: "Exists" }];

/** Where a workload runs: nodes with every label, tolerating the taints listed. */
export interface NodePlacement {
  /** @default {@link DEFAULT_SYSTEM_NODE_LABELS} */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** @default {@link DEFAULT_SYSTEM_TOLERATIONS} */
  readonly tolerations?: readonly Toleration[];
}

/** A container's resources as callers give them; `limits.cpu` is accepted by the type only so it can be refused by name. */
export interface WorkloadResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** How a workload is sized, placed and hardened. */
export interface WorkloadProfile {
  /** Replicas (the minimum, when autoscaled). @default 1 */
  readonly replicas?: number;
  /** The autoscaler's upper bound; equal to `replicas` means no autoscaling. @default - `replicas` */
  readonly maxReplicas?: number;
  /** CPU and memory requested, memory limited, never a CPU limit (throttling slows what the node could serve). */
  readonly resources: WorkloadResources;
  /**
   * Pods kept through voluntary disruptions (drains); `false` for none. One replica never gets a budget: it would
   * block every drain.
   * @default - `{ minAvailable: 1 }` from 2 replicas up
   */
  readonly disruptionBudget?: { readonly minAvailable: number } | false;
  /** Spread replicas across zones (`DoNotSchedule`): a second replica in the zone that just failed is no replica at all. @default false */
  readonly spreadAcrossZones?: boolean;
  /** @default - the system node group ({@link DEFAULT_SYSTEM_NODE_LABELS}, {@link DEFAULT_SYSTEM_TOLERATIONS}) */
  readonly placement?: NodePlacement;
  /** The user and group the image is built for. @default - nobody (65534) */
  readonly runAs?: RunAsIds;
}

/** A profile with every decision made: what charts are given. */
export interface ResolvedWorkloadProfile {
  readonly replicas: number;
  readonly maxReplicas: number;
  /** True when `maxReplicas` is above `replicas`. */
  readonly autoscaling: boolean;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
  /** Absent when there is no budget. */
  readonly disruptionBudget?: { readonly minAvailable: number };
  /** True when the replicas are spread across zones (asked for, and two or more replicas). */
  readonly zoneSpread: boolean;
  readonly placement: { readonly nodeLabels: Readonly<Record<string, string>>; readonly tolerations: readonly Toleration[] };
  readonly podSecurityContext: HardenedPodSecurityContext;
  readonly containerSecurityContext: HardenedContainerSecurityContext;
}

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);
const isWhole = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n);

/**
 * Every problem of a profile, with paths under `prefix` (`gateway` gives `gateway.replicas`; `""` gives `replicas`).
 * `who` says whose pods these are, for the resources message. Placement is checked by {@link nodePlacementProblems}.
 */
export function validateWorkloadProfile(prefix: string, p: WorkloadProfile, who?: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const replicas = p.replicas ?? 1;
  if (!isWhole(replicas) || replicas < 1) problems.push({ path: at(prefix, "replicas"), value: p.replicas, allowed: "a whole number, at least 1" });
  const max = p.maxReplicas;
  if (max !== undefined && (!isWhole(max) || (isWhole(replicas) && max < replicas))) {
    problems.push({ path: at(prefix, "maxReplicas"), value: p.maxReplicas, allowed: `a whole number, at least replicas (${p.replicas ?? 1})` });
  }
  const resourcesPath = at(prefix, "resources");
  problems.push(...resourcesProblems(resourcesPath, p.resources ?? {}, who));
  if (p.resources?.limits?.cpu !== undefined) {
    problems.push({ path: `${resourcesPath}.limits.cpu`, value: p.resources.limits.cpu, allowed: "nothing: no CPU limit (throttling slows a container the node could serve); request CPU instead" });
  }
  const budget = p.disruptionBudget;
  if (budget !== undefined && budget !== false) {
    const min = budget?.minAvailable;
    if (!isWhole(min) || min < 0 || (isWhole(replicas) && min >= replicas)) {
      problems.push({ path: at(prefix, "disruptionBudget.minAvailable"), value: min, allowed: `a whole number from 0 to replicas - 1 (${replicas - 1}): more would block every node drain` });
    }
  }
  return problems;
}

/** Problems of a {@link NodePlacement} under `path` (e.g. `systemNodePlacement`). */
export function nodePlacementProblems(path: string, placement: NodePlacement | undefined): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const labels = placement?.nodeLabels;
  if (labels === undefined) return problems;
  if (Object.keys(labels).length === 0) {
    problems.push({ path: `${path}.nodeLabels`, value: labels, allowed: "at least one label, or leave it out for the default" });
  }
  for (const key of Object.keys(labels).filter((k) => !isQualifiedName(k))) {
    problems.push({ path: `${path}.nodeLabels["${key}"]`, value: key, allowed: "a Kubernetes label key ([prefix/]name)" });
  }
  return problems;
}

/** The placement in use: the caller's, else the system node group's. */
export function resolveNodePlacement(placement: NodePlacement | undefined): { nodeLabels: Readonly<Record<string, string>>; tolerations: Toleration[] } {
  return {
    nodeLabels: placement?.nodeLabels ?? DEFAULT_SYSTEM_NODE_LABELS,
    tolerations: [...(placement?.tolerations ?? DEFAULT_SYSTEM_TOLERATIONS)],
  };
}

/** Makes every decision of a valid profile (validate first: this only fills in defaults). */
export function resolveWorkloadProfile(p: WorkloadProfile): ResolvedWorkloadProfile {
  const replicas = p.replicas ?? 1;
  const maxReplicas = p.maxReplicas ?? replicas;
  const r = p.resources;
  const budget = p.disruptionBudget === false ? undefined : p.disruptionBudget ?? (replicas >= 2 ? { minAvailable: 1 } : undefined);
  return {
    replicas,
    maxReplicas,
    autoscaling: maxReplicas > replicas,
    resources: { requests: { cpu: r.requests?.cpu ?? "", memory: r.requests?.memory ?? "" }, limits: { memory: r.limits?.memory ?? "" } },
    ...(budget && replicas >= 2 ? { disruptionBudget: { minAvailable: budget.minAvailable } } : {}),
    zoneSpread: (p.spreadAcrossZones ?? false) && replicas >= 2,
    placement: resolveNodePlacement(p.placement),
    podSecurityContext: hardenedPodSecurityContext(p.runAs),
    containerSecurityContext: hardenedContainerSecurityContext(p.runAs),
  };
}

/** The zone spread constraint of a resolved profile for pods with `matchLabels` (empty when it does not spread). */
export function zoneSpreadConstraints(profile: ResolvedWorkloadProfile, matchLabels: Readonly<Record<string, string>>): object[] {
  if (!profile.zoneSpread) return [];
  return [{ maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...matchLabels } } }];
}
