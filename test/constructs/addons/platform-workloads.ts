import { Testing } from "cdktf";
import { parse } from "yaml";
import { HelmAddon } from "../../../constructs/addons/helm-addon";
import { ADDONS, type AddonWorkload } from "../../../constructs/addons/registry";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { buildEnvironmentWithAddons } from "../../../stacks/environment-stacks";

/**
 * The platform's own workloads as their charts build them from our values, read from the add-on registry: for each
 * pod, where its pod security context, each container's security context and resources sit in the rendered values.
 * A `{ setBy }` marks a setting the chart or operator writes itself with no value to set (the reason says which), so
 * the walk knows it is not missed.
 */
export interface PlatformWorkload extends AddonWorkload {
  readonly addOn: string;
}

export const PLATFORM_WORKLOADS: readonly PlatformWorkload[] = ADDONS.flatMap((a) => (a.workloads ?? []).map((w) => ({ ...w, addOn: a.name })));

/** The values of every release each add-on renders for an environment, by add-on name and release path under it. */
export type RenderedReleases = Record<string, Record<string, Record<string, unknown>>>;

/** Builds the environment through the registry and reads each enabled add-on's releases' values as rendered. */
export function renderedReleases(config: EnvironmentConfig): RenderedReleases {
  const { addons } = buildEnvironmentWithAddons(Testing.app(), config);
  const out: RenderedReleases = {};
  for (const addon of addons.enabled) {
    const instance = addons.find(addon) as { node: { path: string; findAll(): unknown[] } } | undefined;
    if (!instance) continue;
    const releases = instance.node.findAll().filter((c): c is HelmAddon => c instanceof HelmAddon);
    out[addon.name] = Object.fromEntries(releases.map((r) => [r.node.path.slice(instance.node.path.length + 1), parse(r.valuesYaml) as Record<string, unknown>]));
  }
  return out;
}

/** The rendered values of the release a workload comes from, when the environment renders it. */
export function valuesOf(rendered: RenderedReleases, w: PlatformWorkload): Record<string, unknown> | undefined {
  return rendered[w.addOn]?.[w.release ?? "Helm"];
}

export function valueAt(values: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);
}

/** Paths of every key named like a security context anywhere in a values document. */
export function securityContextPaths(values: unknown, at: readonly string[] = []): string[][] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => (/securitycontext$/i.test(k) ? [[...at, k]] : securityContextPaths(v, [...at, k])));
}
