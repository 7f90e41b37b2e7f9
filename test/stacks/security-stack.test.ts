/**
 * The security layer's runtime detection from configuration: on by default in every environment, and each named
 * opt-out flag does exactly what it says and nothing else.
 */
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { SecurityStack } from "../../stacks/security-stack";
import type { PlatformResourcesStack } from "../../stacks/platform-resources-stack";
import { fakeCluster } from "../support/fakes";

type Json = Record<string, any>;

function synth(config: EnvironmentConfig): { stack: SecurityStack; tf: Json } {
  const app = Testing.app();
  const before = new TerraformStack(app, `${config.name}-platform-resources`) as unknown as PlatformResourcesStack;
  const subnets = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"] };
  const stack = new SecurityStack(app, config, { cluster: fakeCluster(), platformResources: before, subnets });
  return { stack, tf: JSON.parse(Testing.synth(stack)) };
}

const releases = (tf: Json) => Object.values(tf.resource?.helm_release ?? {}) as Json[];
/** The layer also holds the mesh: Falco's objects are picked by what they are. */
const falcoReleases = (tf: Json) => releases(tf).filter((r) => r.chart === "falco" || r.chart === "falcosidekick");
const otherReleases = (tf: Json) => releases(tf).filter((r) => !falcoReleases(tf).includes(r));
const namespaces = (tf: Json) => Object.values(tf.resource?.kubernetes_namespace_v1 ?? {}) as Json[];
const falcoNamespaces = (tf: Json) => namespaces(tf).filter((n) => n.metadata.name === "falco");
const falcoValues = (tf: Json) => parse(releases(tf).find((r) => r.chart === "falco")!.values[0]);
const withOptOut = (config: EnvironmentConfig, optOut: EnvironmentConfig["security"]["falco"]["optOut"]): EnvironmentConfig => {
  const copy = structuredClone(config);
  copy.security.falco.optOut = optOut;
  return copy;
};
const REASON = { reason: "a reason long enough to be on record in review" };

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s security layer", (_env, config) => {
  const { tf } = synth(config);

  test("installs Falco into its own privileged namespace, with falcosidekick forwarding at the configured priority", () => {
    const [ns] = falcoNamespaces(tf);
    expect(ns!.metadata.name).toBe("falco");
    expect(ns!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(config.security.falco.podSecurity.level);
    expect(ns!.metadata.annotations["sre-platform.io/pod-security-reason"]).toBe(config.security.falco.podSecurity.reason);
    const [release] = falcoReleases(tf);
    expect(release).toMatchObject({ chart: "falco", namespace: "falco", create_namespace: false });
    // The namespace baseline's namespace: default-deny, quota and limits come with it.
    const [nsId] = Object.entries(tf.resource.kubernetes_namespace_v1).find(([, n]) => (n as Json).metadata.name === "falco")!;
    expect(nsId).toMatch(/^NamespaceBaseline_falco_Namespace_/);
    expect(release!.depends_on).toEqual([`kubernetes_namespace_v1.${nsId}`]);
    const values = falcoValues(tf);
    expect(values.falcosidekick.enabled).toBe(true);
    expect(values.falcosidekick.config.alertmanager.minimumpriority).toBe(config.security.falco.minimumForwardedPriority.toLowerCase());
    expect(values.falcosidekick.replicaCount).toBe(config.security.falco.sidekick.replicas);
    expect(values.resources).toEqual(config.security.falco.resources);
  });

  test("optOut.runtimeDetection installs neither Falco nor its namespace, and nothing else changes", () => {
    const { tf: off, stack } = synth(withOptOut(config, { runtimeDetection: REASON }));
    expect(stack.falco).toBeUndefined();
    expect(falcoReleases(off)).toEqual([]);
    expect(falcoNamespaces(off)).toEqual([]);
    expect(otherReleases(off)).toEqual(otherReleases(tf));
    expect(namespaces(off)).toEqual(namespaces(tf).filter((n) => n.metadata.name !== "falco"));
    // Every resource that is neither Falco's nor its namespace's baseline stays as it was.
    const notFalcos = (t: Json) =>
      Object.entries(t.resource ?? {}).flatMap(([type, byId]) => Object.keys(byId as Json).filter((id) => !/^(Falco_|NamespaceBaseline_falco_)/.test(id)).map((id) => `${type}.${id}`));
    expect(notFalcos(off)).toEqual(notFalcos(tf));
    expect(off.provider).toEqual(tf.provider);
  });

  test("optOut.alertForwarding drops falcosidekick only: Falco, its rules and its namespace stay", () => {
    const { tf: off } = synth(withOptOut(config, { alertForwarding: REASON }));
    const on = falcoValues(tf);
    const values = falcoValues(off);
    expect(values.falcosidekick).toEqual({ enabled: false });
    expect({ ...values, falcosidekick: undefined }).toEqual({ ...on, falcosidekick: undefined });
    expect(off.resource.kubernetes_namespace_v1).toEqual(tf.resource.kubernetes_namespace_v1);
    expect(otherReleases(off)).toEqual(otherReleases(tf));
    expect(off.resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
  });
});
