/**
 * The mesh as the environments build it: every zero-trust default on in every committed environment, sizes from the
 * environment's data, and each named opt-out of `security.mesh.optOut` changing exactly its object and nothing else.
 */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { dev } from "../../environments/dev";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { buildEnvironment } from "../../stacks/environment-stacks";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

const manifests = (tf: Json): Json[] => Object.values<Json>(tf.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);
const find = (tf: Json, kind: string, namespace: string, name: string) => manifests(tf).find((m) => m.kind === kind && m.metadata.namespace === namespace && m.metadata.name === name);
const releaseValues = (tf: Json, chart: string): Json => parse((Object.values<Json>(tf.resource.helm_release).find((r) => r.chart === chart)!).values[0]);

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s mesh", (env, config) => {
  const security = synthesizedStack(`${env}-security`);
  const resources = synthesizedStack(`${env}-security-resources`);
  const monitoring = synthesizedStack(`${env}-observability-resources`);
  const m = config.security.mesh;

  test("every zero-trust default is on: STRICT mTLS, default deny, ISTIO_MUTUAL, an internal gateway", () => {
    expect(find(resources, "PeerAuthentication", "istio-system", "default")!.spec).toEqual({ mtls: { mode: "STRICT" } });
    expect(find(resources, "AuthorizationPolicy", "istio-system", "allow-nothing")!.spec).toEqual({});
    expect(find(resources, "DestinationRule", "istio-system", "default")!.spec.trafficPolicy.tls.mode).toBe("ISTIO_MUTUAL");
    expect(releaseValues(security, "gateway").service.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
  });

  test("where the environment traces, the teams' sidecars reach the collector (no sidecar) in plaintext, everything else ISTIO_MUTUAL", () => {
    const rule = find(resources, "DestinationRule", "istio-system", "otel-collector");
    expect(rule?.spec ?? null).toEqual(config.observability.tracing?.enabled ? { host: "otel-collector.opentelemetry.svc.cluster.local", trafficPolicy: { tls: { mode: "DISABLE" } } } : null);
  });

  test("istiod and the gateway are sized from the environment, spread across zones where it says so", () => {
    const istiod = releaseValues(security, "istiod");
    const gateway = releaseValues(security, "gateway");
    expect([istiod.autoscaleMin, istiod.autoscaleMax, istiod.resources]).toEqual([m.istiod.replicas, m.istiod.maxReplicas, m.istiod.resources]);
    expect([gateway.autoscaling.minReplicas, gateway.autoscaling.maxReplicas, gateway.resources]).toEqual([m.gateway.replicas, m.gateway.maxReplicas, m.gateway.resources]);
    expect(releaseValues(security, "cni").resources).toEqual(m.cni.resources);
    expect(istiod.topologySpreadConstraints.length > 0).toBe(m.spreadAcrossZones && m.istiod.replicas > 1);
    expect(gateway.podDisruptionBudget !== undefined).toBe(m.gateway.replicas > 1);
  });

  test("the mesh's namespaces: istio-system privileged (the CNI agent) and out of the mesh, istio-ingress restricted and in it", () => {
    const ns = Object.values<Json>(security.resource.kubernetes_namespace_v1).map((n) => n.metadata[0] ?? n.metadata);
    const labels = Object.fromEntries(ns.map((n) => [n.name, n.labels]));
    expect(labels["istio-system"]).toEqual(expect.objectContaining({ "pod-security.kubernetes.io/enforce": m.cni.podSecurity.level, "istio-injection": "disabled" }));
    const systemNs = ns.find((n) => n.name === "istio-system")!;
    expect(systemNs.annotations["sre-platform.io/pod-security-reason"]).toBe(m.cni.podSecurity.reason);
    expect(labels["istio-ingress"]).toEqual(expect.objectContaining({ "pod-security.kubernetes.io/enforce": "restricted", "istio-injection": "enabled" }));
  });

  test("meshed pods may call each other where their namespace's NetworkPolicy allows it: payments → payments on 8080, nothing else added", () => {
    const policies = manifests(resources).filter((x) => x.kind === "AuthorizationPolicy");
    expect(find(resources, "AuthorizationPolicy", "payments", "baseline-same-namespace")!.spec).toEqual({
      action: "ALLOW",
      rules: [{ from: [{ source: { namespaces: ["payments"] } }], to: [{ operation: { ports: ["8080"] } }] }],
    });
    // The mesh's own policies, and one per sidecar namespace allow with a namespace peer: istio-ingress's only allow is
    // its load balancer's (CIDR, no mesh identity), so only payments gets one.
    const own = ["istio-system/allow-nothing", "istio-system/allow-prometheus-scrape", "istio-ingress/allow-ingress-listeners"];
    const exposed = m.expose.map((e) => e.namespace);
    const webhooks = m.webhooks.map((w) => `${w.namespace}/${w.name}-webhook`);
    const derived = policies.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).filter((n) => !own.includes(n) && !webhooks.includes(n) && !exposed.some((e) => n.startsWith(`${e}/allow-ingress`)));
    expect(derived).toEqual(["payments/baseline-same-namespace"]);
  });

  test("the platform's Prometheus scrapes the sidecars and istiod", () => {
    expect(manifests(monitoring).filter((x) => x.metadata.namespace === "istio-system").map((x) => x.kind).sort()).toEqual(["PodMonitor", "ServiceMonitor"]);
  });
});

describe("each mesh opt-out does exactly what it says", () => {
  const REASON = { reason: "turned off for this test, with a reason long enough" };
  function build(optOut: EnvironmentConfig["security"]["mesh"]["optOut"]) {
    const config: EnvironmentConfig = { ...dev, security: { ...dev.security, mesh: { ...dev.security.mesh, optOut } } };
    const stacks = buildEnvironment(Testing.app(), config);
    return { security: JSON.parse(Testing.synth(stacks.security)) as Json, resources: JSON.parse(Testing.synth(stacks["security-resources"])) as Json };
  }
  const base = build({});
  const without = (tf: Json, drop: (m: Json) => boolean) => manifests(tf).filter((m) => !drop(m));

  test("permissiveMtls: the mesh-wide PeerAuthentication is PERMISSIVE; nothing else changes", () => {
    const out = build({ permissiveMtls: REASON });
    expect(find(out.resources, "PeerAuthentication", "istio-system", "default")!.spec).toEqual({ mtls: { mode: "PERMISSIVE" } });
    const others = (tf: Json) => without(tf, (m) => m.kind === "PeerAuthentication");
    expect(others(out.resources)).toEqual(others(base.resources));
    expect(out.security).toEqual(base.security);
  });

  test("defaultDenyAuthorization: only the allow-nothing policy goes", () => {
    const out = build({ defaultDenyAuthorization: REASON });
    expect(manifests(out.resources)).toEqual(without(base.resources, (m) => m.metadata.name === "allow-nothing"));
    expect(out.security).toEqual(base.security);
  });

  test("istioMutualDestinationRule: only the DestinationRules go", () => {
    const out = build({ istioMutualDestinationRule: REASON });
    expect(manifests(out.resources)).toEqual(without(base.resources, (m) => m.kind === "DestinationRule"));
    expect(out.security).toEqual(base.security);
  });

  test("privateIngress: the gateway's load balancer is internet-facing; nothing else changes", () => {
    const out = build({ privateIngress: REASON });
    expect(releaseValues(out.security, "gateway").service.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("false");
    const gatewayValuesWithoutService = (tf: Json) => ({ ...releaseValues(tf, "gateway"), service: { ...releaseValues(tf, "gateway").service, annotations: undefined } });
    expect(gatewayValuesWithoutService(out.security)).toEqual(gatewayValuesWithoutService(base.security));
    const otherReleases = (tf: Json) => Object.values<Json>(tf.resource.helm_release).filter((r) => r.chart !== "gateway");
    expect(otherReleases(out.security)).toEqual(otherReleases(base.security));
    expect(out.resources).toEqual(base.resources);
  });
});
