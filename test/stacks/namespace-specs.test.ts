/**
 * The namespace baseline as the environments get it: every platform and team namespace settled, every default on in
 * every committed environment, exceptions only with their reasons, and the allows resolved to the right subnets.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { dev } from "../../environments/dev";
import type { NamespaceSettings } from "../../lib/config/security/namespaces";
import { addonNamespaces, enabledAddons, podSecurityOwnedByAddons } from "../../constructs/addons/registry";
import { platformNamespaceSpec, teamNamespaceSpecs, prometheusScrapeAllow, teamAccessEntries } from "../../stacks/namespace-specs";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;
const all = (tf: Json, type: string): Array<[string, Json]> => Object.entries(tf.resource?.[type] ?? {});
const LAYERS_WITH_NAMESPACES = ["platform", "platform-resources", "security"] as const;

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const tfs = LAYERS_WITH_NAMESPACES.map((l) => synthesizedStack(`${env}-${l}`));
  const namespaces = tfs.flatMap((tf) => all(tf, "kubernetes_namespace_v1").map(([id, n]) => ({ id, n, tf })));
  const settings: Record<string, NamespaceSettings> = { ...config.security.namespaces.platform, ...Object.assign({}, ...config.security.namespaces.teams.map((t) => t.namespaces)) };
  const teamNamespaces = config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));

  test("every platform namespace and every team namespace is created once, by the baseline", () => {
    expect(teamNamespaces.length).toBeGreaterThan(0);
    expect(namespaces.map(({ n }) => n.metadata.name).sort()).toEqual([...addonNamespaces(enabledAddons(config)).map(({ namespace }) => namespace.name), ...teamNamespaces].sort());
    for (const { id } of namespaces) expect(id).toMatch(/^NamespaceBaseline_/);
  });

  test("no committed environment opts out of any default", () => {
    for (const [name, s] of Object.entries(settings)) expect({ name, optOut: s.optOut }).toEqual({ name, optOut: undefined });
  });

  test("every namespace denies by default both ways, resolves DNS, and has a quota and a LimitRange", () => {
    for (const { id, tf } of namespaces) {
      const owned = (type: string) => all(tf, type).filter(([, r]) => String(r.metadata.namespace).includes(`${id}.metadata[0].name`));
      const policies = Object.fromEntries(owned("kubernetes_network_policy_v1").map(([, p]) => [p.metadata.name, p.spec]));
      expect({ id, deny: policies["default-deny"] }).toEqual({ id, deny: { pod_selector: {}, policy_types: ["Ingress", "Egress"] } });
      expect(policies["allow-dns"]?.policy_types).toEqual(["Egress"]);
      expect({ id, quotas: owned("kubernetes_resource_quota_v1").filter(([, r]) => r.metadata.name === "baseline").length, limits: owned("kubernetes_limit_range_v1").length }).toEqual({ id, quotas: 1, limits: 1 });
    }
  });

  test("Pod Security is restricted unless the configuration names a weaker level with its reason; the mesh label is the configured mode", () => {
    const relaxed: string[] = [];
    for (const { n } of namespaces) {
      const s = settings[n.metadata.name]!;
      // Falco's and the CNI agent's levels and reasons live in their parts' sections.
      const podSecurity = podSecurityOwnedByAddons(config)[n.metadata.name] ?? s.podSecurity;
      const labels = n.metadata.labels;
      expect({ ns: n.metadata.name, enforce: labels["pod-security.kubernetes.io/enforce"] }).toEqual({ ns: n.metadata.name, enforce: podSecurity?.level ?? "restricted" });
      expect(labels["pod-security.kubernetes.io/enforce-version"]).toBe(`v${config.cluster.kubernetesVersion}`);
      expect(labels["istio-injection"]).toBe(s.mesh === "sidecar" ? "enabled" : "disabled");
      if (podSecurity) {
        relaxed.push(n.metadata.name);
        expect(n.metadata.annotations["sre-platform.io/pod-security-reason"]).toBe(podSecurity.reason);
      }
    }
    // node-exporter, istio-system (CNI agent), Falco (eBPF) and logging (Fluent Bit's log directories) need the host
    // (privileged); Litmus's operator chart writes
    // no security context, so its namespace is baseline where the environment runs it, and so is the chaos namespace
    // (the runner pod has none either; privileged where an experiment's helper pods need it).
    const litmus = enabledAddons(config).some((a) => a.name === "litmus") ? ["litmus", "litmus-chaos"] : [];
    const logging = config.observability.logs.enabled ? ["logging"] : [];
    expect(relaxed.sort()).toEqual(["falco", "istio-system", "node-exporter", ...logging, ...litmus].sort());
    expect(Object.keys(podSecurityOwnedByAddons(config)).every((name) => settings[name]!.podSecurity === undefined)).toBe(true);
    expect(teamNamespaces.every((t) => settings[t]!.podSecurity === undefined)).toBe(true);
  });

  test("team deployers are bound to the workload-deployer ClusterRole in each team namespace", () => {
    const security = synthesizedStack(`${env}-security`);
    expect(all(security, "kubernetes_cluster_role_v1").map(([, r]) => r.metadata.name)).toEqual(["sre-platform:workload-deployer"]);
    const bound = all(security, "kubernetes_role_binding_v1").map(([, b]) => b.subject[0].name).sort();
    const expected = config.security.namespaces.teams.flatMap((t) => (t.deployRoleArns.length > 0 ? Object.keys(t.namespaces).map(() => `sre-platform:team:${t.name}:deploy`) : [])).sort();
    expect(bound).toEqual(expected);
  });

  test("the Kubernetes API allow points at the control-plane subnets, the node allow at the private subnets, both inside the VPC", () => {
    const monitoring = all(synthesizedStack(`${env}-platform-resources`), "kubernetes_network_policy_v1").map(([, p]) => p);
    const cidrsOf = (name: string) => monitoring.find((p) => p.metadata.name === name)!.spec.egress[0].to.map((t: Json) => t.ip_block.cidr);
    const api = cidrsOf("allow-to-kubernetes-api");
    const nodes = cidrsOf("allow-to-node-metrics");
    expect(api).toHaveLength(config.network.azCount);
    expect(nodes).toHaveLength(config.network.azCount);
    expect(api.filter((c: string) => nodes.includes(c))).toEqual([]);
    const vpcPrefix = config.network.vpcCidr.split(".").slice(0, 2).join(".");
    for (const c of [...api, ...nodes]) expect(c.startsWith(`${vpcPrefix}.`)).toBe(true);
  });

  test("external-secrets lands in the baseline's namespace instead of creating its own", () => {
    const platform = synthesizedStack(`${env}-platform`);
    const [, release] = all(platform, "helm_release").find(([, r]) => r.name === "external-secrets")!;
    expect(release.create_namespace).toBe(false);
    const [nsId] = all(platform, "kubernetes_namespace_v1").find(([, n]) => n.metadata.name === "external-secrets")!;
    expect(release.depends_on).toContain(`kubernetes_namespace_v1.${nsId}`);
  });

  test("the monitoring namespace keeps its state: a moved block from its former address", () => {
    const tf = synthesizedStack(`${env}-platform-resources`);
    const [nsId] = all(tf, "kubernetes_namespace_v1").find(([, n]) => n.metadata.name === "monitoring")!;
    expect(tf.moved).toEqual([{ from: "kubernetes_namespace_v1.MonitoringNamespace", to: `kubernetes_namespace_v1.${nsId}` }]);
  });

  test("node-exporter runs in its own privileged namespace, so monitoring stays restricted", () => {
    const [, release] = all(synthesizedStack(`${env}-observability`), "helm_release").find(([, r]) => r.name === "kube-prometheus-stack")!;
    expect(parse(release.values[0])["prometheus-node-exporter"].namespaceOverride).toBe("node-exporter");
    expect(settings["node-exporter"]!.podSecurity?.level).toBe("privileged");
    expect(settings.monitoring!.podSecurity).toBeUndefined();
  });
});

describe("Prometheus's scrape egress", () => {
  test("opens every namespace's metrics ports and the sidecars', to every namespace, for Prometheus only", () => {
    const allow = prometheusScrapeAllow(dev);
    const configured = [...Object.values(dev.security.namespaces.platform), ...dev.security.namespaces.teams.flatMap((t) => Object.values(t.namespaces))].flatMap((s) => s.metricsPorts);
    const ports = allow.ports.map((p) => p.port);
    for (const p of [...configured, 15020]) expect(ports).toContain(p);
    expect(new Set(ports).size).toBe(ports.length);
    expect(allow.peer).toEqual({ namespace: "*" });
    expect(allow.forPods).toEqual({ "app.kubernetes.io/name": "prometheus" });
  });
});

describe("configuration to baseline", () => {
  const reason = { reason: "a reason long enough to be on record" };

  test.each(["defaultDenyNetworkPolicies", "resourceQuota", "limitRange"] as const)("the %s opt-out reaches the namespace it is set on, and no other", (flag) => {
    const config = structuredClone(dev);
    config.security.namespaces.platform.falco!.optOut = { [flag]: reason };
    expect(platformNamespaceSpec(config, "falco").optOut).toEqual({ [flag]: reason });
    expect(platformNamespaceSpec(config, "cert-manager").optOut).toBeUndefined();
  });

  test("what the mesh exposes and the webhooks it names become network allows on both sides, from the same entries", () => {
    const config = structuredClone(dev);
    config.security.mesh.expose = [{ namespace: "payments", selector: { app: "web" }, ports: [8080] }];
    config.security.mesh.webhooks = [{ name: "payments-hook", namespace: "payments", selector: { app: "hook" }, port: 9443 }];
    const gatewayEgress = platformNamespaceSpec(config, "istio-ingress").egress!.find((a) => a.name === "expose-payments");
    expect(gatewayEgress).toEqual({ name: "expose-payments", forPods: { istio: "ingressgateway" }, peer: { namespace: "payments", podLabels: { app: "web" } }, ports: [{ port: 8080 }] });
    const payments = teamNamespaceSpecs(config).find((n) => n.name === "payments")!;
    const byName = Object.fromEntries(payments.ingress!.map((a) => [a.name, a]));
    expect(byName["ingress-gateway"]).toEqual({ name: "ingress-gateway", forPods: { app: "web" }, peer: { namespace: "istio-ingress", podLabels: { istio: "ingressgateway" } }, ports: [{ port: 8080 }] });
    expect(byName["payments-hook-webhook"]).toEqual({ name: "payments-hook-webhook", forPods: { app: "hook" }, peer: { kubernetesApi: true }, ports: [{ port: 9443 }] });
    // Nothing exposed, nothing opened: the committed dev environment exposes no workload yet.
    expect(dev.security.mesh.expose).toEqual([]);
    expect(teamNamespaceSpecs(dev).flatMap((n) => n.ingress!.map((a) => a.name))).not.toContain("ingress-gateway");
  });

  test("where the environment traces, every team namespace may send OTLP to the collector and the collector admits each by name", () => {
    const config = structuredClone(dev);
    config.security.namespaces.teams[0]!.namespaces["payments-batch"] = structuredClone(config.security.namespaces.teams[0]!.namespaces.payments!);
    const otlpPorts = [{ port: 4317 }, { port: 4318 }];
    const collectorPods = { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": "otel-collector" };
    for (const team of teamNamespaceSpecs(config)) {
      expect(team.egress!.find((a) => a.name === "otlp")).toEqual({ name: "otlp", peer: { namespace: "opentelemetry", podLabels: collectorPods }, ports: otlpPorts });
    }
    const ingress = platformNamespaceSpec(config, "opentelemetry").ingress!;
    expect(ingress).toEqual([
      { name: "otlp-payments", forPods: collectorPods, peer: { namespace: "payments" }, ports: otlpPorts },
      { name: "otlp-payments-batch", forPods: collectorPods, peer: { namespace: "payments-batch" }, ports: otlpPorts },
    ]);
    // Tempo takes OTLP from the collector alone, and its API from Grafana.
    expect(platformNamespaceSpec(config, "tempo").ingress!.map((a) => [a.name, a.peer.namespace, a.ports])).toEqual([
      ["otel-collector", "opentelemetry", [{ port: 4317 }]],
      ["grafana", "monitoring", [{ port: 3200 }]],
    ]);
    // Tracing off: no team may reach the collector's namespace.
    config.observability.tracing!.enabled = false;
    expect(teamNamespaceSpecs(config).flatMap((n) => n.egress!.map((a) => a.name))).not.toContain("otlp");
    expect(platformNamespaceSpec(config, "opentelemetry").ingress).toEqual([]);
  });

  test("cert-manager reaches outside the cluster only what its issuer needs", () => {
    const names = (c: typeof dev) => platformNamespaceSpec(c, "cert-manager").egress!.map((a) => a.name).sort();
    expect(dev.security.certManager.issuer.type).toBe("selfSignedCA");
    expect(names(dev)).toEqual(["kubernetes-api"]);
    const acme = structuredClone(dev);
    acme.security.certManager.issuer = { type: "acme", server: "staging", email: "a@example.com", hostedZones: [{ zoneId: "Z1", domain: "example.com" }] } as never;
    expect(names(acme)).toEqual(["acme", "aws-endpoints", "dns01-propagation", "kubernetes-api"]);
    const peers = (c: typeof dev) => Object.fromEntries(platformNamespaceSpec(c, "cert-manager").egress!.map((a) => [a.name, a.peer]));
    // The internet without the VPC and instance metadata; STS for the solver's IRSA at the VPC's endpoints.
    expect(peers(acme)).toMatchObject({ acme: { internet: true }, "dns01-propagation": { internet: true }, "aws-endpoints": { vpcEndpoints: true } });
    const pca = structuredClone(dev);
    pca.security.certManager.issuer = { type: "awsPrivateCA", certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/x" } as never;
    expect(names(pca)).toEqual(["aws-endpoints", "aws-private-ca", "kubernetes-api"]);
    expect(peers(pca)).toMatchObject({ "aws-private-ca": { internet: true }, "aws-endpoints": { vpcEndpoints: true } });
  });
});

describe("the Alertmanager's AWS credentials", () => {
  test("where P0s page by SMS, the Alertmanager reaches the VPC's endpoints (STS for IRSA) on 443; elsewhere it does not", () => {
    const allow = (c: typeof dev) => platformNamespaceSpec(c, "monitoring").egress!.find((a) => a.name === "alertmanager-aws-endpoints");
    expect(dev.alerting?.sms).toBeUndefined();
    expect(allow(dev)).toBeUndefined();
    const paging = structuredClone(dev);
    paging.alerting!.sms = { phoneNumbers: [{ name: "primary-on-call", secret: "sre-platform/dev/p0-sms/primary-on-call" }] };
    expect(allow(paging)).toEqual({ name: "alertmanager-aws-endpoints", forPods: { "app.kubernetes.io/name": "alertmanager" }, peer: { vpcEndpoints: true }, ports: [{ port: 443 }] });
  });
});

describe("team access entries", () => {
  test("viewers get the view policy on the team's namespaces; deployers also the team's group", () => {
    const t = dev.security.namespaces.teams[0]!;
    const entries = teamAccessEntries(dev);
    expect(entries).toEqual([
      ...t.viewRoleArns.map((principalArn) => ({ principalArn, accessPolicy: "view", namespaces: Object.keys(t.namespaces) })),
      ...t.deployRoleArns.map((principalArn) => ({ principalArn, accessPolicy: "view", namespaces: Object.keys(t.namespaces), kubernetesGroups: [`sre-platform:team:${t.name}:deploy`] })),
    ]);
  });
});
