import { deepMerge, PlainObject } from "../../common/deep-merge";
import { ResolvedWorkloadProfile, zoneSpreadConstraints } from "../../../lib/kubernetes/workload-profile";
import { NodeSelectorRequirement, requiredNodeAffinity } from "./placement";

/** A key path in a chart's values, e.g. `["webhook", "replicaCount"]`. */
export type ValuePath = readonly string[];

/** A resolved disruption budget as one chart spells it; `undefined` writes nothing. */
export type DisruptionBudgetRenderer = (budget: ResolvedWorkloadProfile["disruptionBudget"]) => unknown;

/** The common spelling `{ enabled, minAvailable }` (cert-manager, external-secrets, metrics-server, kube-prometheus-stack). */
export const ENABLED_FLAG_BUDGET: DisruptionBudgetRenderer = (b) => (b ? { enabled: true, minAvailable: b.minAvailable } : { enabled: false });

/**
 * Where one chart keeps each setting of a workload. A key left out is not written (the chart's own default stays, or
 * the setting does not apply, as placement for a DaemonSet that must run on every node).
 */
export interface ChartWorkloadKeys {
  /** @default - not written (a DaemonSet, or the chart decides) */
  readonly replicas?: ValuePath;
  /** @default - not written */
  readonly resources?: ValuePath;
  /**
   * Where the chart's own default values set a CPU limit. Helm deep-merges values, so that limit would survive next to
   * the memory limit the profile sets: it is written as `null`, which Helm's merge removes. Only where the chart has
   * one: a `null` with no chart default under it reaches the manifest, where the API server reads it as a limit of 0.
   * @default - the chart sets no CPU limit
   */
  readonly chartCpuLimit?: ValuePath;
  /** @default - not written (the chart makes its own, or the add-on does) */
  readonly podDisruptionBudget?: { readonly path: ValuePath; readonly render: DisruptionBudgetRenderer };
  /** The chart's topology spread list and the labels of the workload's pods (the chart's selector). @default - not written */
  readonly topologySpreadConstraints?: { readonly path: ValuePath; readonly matchLabels: Readonly<Record<string, string>> };
  /**
   * The chart's `affinity`: a required node affinity on the placement's labels, after any expressions the chart's own
   * default needs kept (Helm replaces lists).
   * @default - not written (the workload may run on any node)
   */
  readonly affinity?: { readonly path: ValuePath; readonly keep?: readonly NodeSelectorRequirement[] };
  /** The chart's `nodeSelector`, for charts without an affinity value. @default - not written */
  readonly nodeSelector?: ValuePath;
  /** @default - not written */
  readonly tolerations?: ValuePath;
  /** The pod security context; `extra` is merged in (a chart's `enabled` flag, a sysctl the chart's default needs). @default - not written (the chart or operator sets it) */
  readonly podSecurityContext?: { readonly path: ValuePath; readonly extra?: PlainObject };
  /** @default - not written (the chart or operator sets it) */
  readonly containerSecurityContext?: { readonly path: ValuePath; readonly extra?: PlainObject };
}

/** `["a", "b"], v` → `{ a: { b: v } }`. */
function atPath(path: ValuePath, value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}

/**
 * The chart values of one workload from its resolved profile, at the keys the chart uses. The result is merged with the
 * add-on's other values (and the caller's overrides last) by `HelmAddon`.
 */
export function workloadValues(profile: ResolvedWorkloadProfile, keys: ChartWorkloadKeys): PlainObject {
  const parts: PlainObject[] = [];
  const put = (path: ValuePath | undefined, value: unknown) => {
    if (path !== undefined && value !== undefined) parts.push(atPath(path, value));
  };
  put(keys.replicas, profile.replicas);
  put(keys.resources, { requests: { ...profile.resources.requests }, limits: { ...profile.resources.limits } });
  if (keys.chartCpuLimit) parts.push(atPath(keys.chartCpuLimit, null));
  if (keys.podDisruptionBudget) put(keys.podDisruptionBudget.path, keys.podDisruptionBudget.render(profile.disruptionBudget));
  if (keys.topologySpreadConstraints) put(keys.topologySpreadConstraints.path, zoneSpreadConstraints(profile, keys.topologySpreadConstraints.matchLabels));
  if (keys.affinity) put(keys.affinity.path, { nodeAffinity: requiredNodeAffinity(profile.placement.nodeLabels, keys.affinity.keep) });
  put(keys.nodeSelector, { ...profile.placement.nodeLabels });
  put(keys.tolerations, [...profile.placement.tolerations]);
  if (keys.podSecurityContext) put(keys.podSecurityContext.path, { ...keys.podSecurityContext.extra, ...profile.podSecurityContext });
  if (keys.containerSecurityContext) put(keys.containerSecurityContext.path, { ...keys.containerSecurityContext.extra, ...profile.containerSecurityContext });
  return deepMerge({}, ...parts);
}
