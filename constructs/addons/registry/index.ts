import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import type { Layer } from "../../../lib/platform/layers";
import type { AddonAdmission, AddonDescriptor, AddonNamespace } from "./addon-descriptor";
import { nodeAutoscalingAddon } from "../node-autoscaling/addon";
import { metricsServerAddon } from "../metrics-server/addon";
import { storageClassesAddon } from "../storage-classes/addon";
import { externalSecretsAddon } from "../external-secrets/addon";
import { istioAddon } from "../istio/addon";
import { falcoAddon } from "../falco/addon";
import { awsPrivateCaIssuerAddon, certManagerAddon } from "../cert-manager/addon";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { litmusAddon } from "../litmus/addon";
import { argoCdAddon } from "../argo-cd/addon";
import { argoRolloutsAddon } from "../argo-rollouts/addon";
import { fluentBitAddon } from "../fluent-bit/addon";
import { tempoAddon } from "../tempo/addon";
import { openTelemetryCollectorAddon } from "../opentelemetry-collector/addon";
import { veleroAddon } from "../velero/addon";

export * from "./addon-descriptor";
export { nodeAutoscalingAddon, metricsServerAddon, storageClassesAddon, externalSecretsAddon, istioAddon, falcoAddon, certManagerAddon, awsPrivateCaIssuerAddon, kubePrometheusStackAddon, litmusAddon, argoCdAddon, argoRolloutsAddon, fluentBitAddon, tempoAddon, openTelemetryCollectorAddon, veleroAddon };

/**
 * Every add-on of the platform, one line each, in build order within a layer (an add-on after those it requires).
 * Layer stacks, namespace baselines, CRD schemas, admission registries and exemptions, and the per-add-on tests all
 * walk this list: adding an add-on is its folder, a line here, and its environment data.
 */
export const ADDONS: readonly AddonDescriptor<any>[] = [
  nodeAutoscalingAddon,
  metricsServerAddon,
  storageClassesAddon,
  externalSecretsAddon,
  istioAddon,
  falcoAddon,
  certManagerAddon,
  awsPrivateCaIssuerAddon,
  kubePrometheusStackAddon,
  litmusAddon,
  argoCdAddon,
  argoRolloutsAddon,
  fluentBitAddon,
  tempoAddon,
  openTelemetryCollectorAddon,
  veleroAddon,
];

/** The add-ons an environment runs, in registry order. */
export function enabledAddons(config: EnvironmentConfig): AddonDescriptor<any>[] {
  return ADDONS.filter((a) => a.enabled(config));
}

/** The layer whose baseline makes a namespace of an add-on. */
export function namespaceLayer(addon: AddonDescriptor<any>, ns: AddonNamespace): Layer {
  return ns.createdIn ?? addon.layer;
}

/** Every namespace a registered add-on runs in, with its add-on (all add-ons, enabled or not). */
export function addonNamespaces(addons: readonly AddonDescriptor<any>[] = ADDONS): Array<{ addon: AddonDescriptor<any>; namespace: AddonNamespace }> {
  return addons.flatMap((addon) => addon.namespaces.map((namespace) => ({ addon, namespace })));
}

/** The platform namespaces the environment's baseline makes in `layer`, in registry order. */
export function namespacesCreatedIn(config: EnvironmentConfig, layer: Layer): string[] {
  return addonNamespaces(enabledAddons(config))
    .filter(({ addon, namespace }) => namespaceLayer(addon, namespace) === layer)
    .map(({ namespace }) => namespace.name);
}

/** Pod Security exceptions that add-ons' own sections own, by namespace (for the environment's enabled add-ons). */
export function podSecurityOwnedByAddons(config: EnvironmentConfig): Readonly<Record<string, { readonly level: "privileged" | "baseline"; readonly reason: string }>> {
  return Object.fromEntries(
    addonNamespaces(enabledAddons(config)).flatMap(({ namespace }) => (namespace.podSecurity ? [[namespace.name, namespace.podSecurity.of(config)]] : [])),
  );
}

/** Every CRD schema a registered add-on's charts declare, `apiVersion/kind` → file under `schemas/crds/`. */
export function registeredCrdSchemas(addons: readonly AddonDescriptor<any>[] = ADDONS): Readonly<Record<string, string>> {
  return Object.assign({}, ...addons.map((a) => a.crds ?? {}));
}

/** The allowed-registry entries of the environment's enabled add-ons, in registry order, each once. */
export function addonRegistries(config: EnvironmentConfig): string[] {
  return [...new Set(enabledAddons(config).flatMap((a) => a.registries))];
}

/** The allowed-repository entries of the environment's enabled add-ons, in registry order, each once. */
export function addonRepositories(config: EnvironmentConfig): string[] {
  return [...new Set(enabledAddons(config).flatMap((a) => a.repositories ?? []))];
}

/** The admission exemptions of the environment's enabled add-ons, in registry order. */
export function addonAdmission(config: EnvironmentConfig): Required<AddonAdmission> {
  const own = enabledAddons(config).map((a) => (typeof a.admission === "function" ? a.admission(config) : a.admission));
  return {
    exemptNamespaces: own.flatMap((a) => a?.exemptNamespaces ?? []),
    exemptWorkloads: own.flatMap((a) => a?.exemptWorkloads ?? []),
    probeExemptContainers: own.flatMap((a) => a?.probeExemptContainers ?? []),
  };
}
