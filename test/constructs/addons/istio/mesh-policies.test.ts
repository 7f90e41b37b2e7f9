import { Testing, TerraformStack } from "cdktf";
import { IstioMesh } from "../../../../constructs/addons/istio/istio-mesh";
import { MeshPolicies, MeshPoliciesProps } from "../../../../constructs/addons/istio/mesh-policies";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

/** The mesh in one stack and its policies in the next, as the security layers are built. */
function policies(props: Partial<MeshPoliciesProps> = {}) {
  const app = Testing.app();
  const security = new TerraformStack(app, "security");
  const istio = new IstioMesh(security, "IstioMesh", { cluster: fakeCluster() });
  const stack = new TerraformStack(app, "security-resources");
  new MeshPolicies(stack, "MeshPolicies", { installedBy: istio.base, ...props });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const manifests = Object.entries(tf.resource.kubernetes_manifest as Record<string, Json>).map(([address, r]): Json => ({ address, ...(r.manifest as Json) }));
  const named = (kind: string, namespace: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.namespace === namespace && m.metadata.name === name);
  return { stack, manifests, named };
}

const defaults = policies();
const PROMETHEUS = "cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus";
const GATEWAY = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway";

describe("MeshPolicies", () => {
  test("mesh-wide STRICT mTLS in the root namespace", () => {
    expect(defaults.named("PeerAuthentication", "istio-system", "default")!.spec).toEqual({ mtls: { mode: "STRICT" } });
  });

  test("mesh-wide default deny: an ALLOW policy with an empty spec in the root namespace (it matches nothing)", () => {
    expect(defaults.named("AuthorizationPolicy", "istio-system", "allow-nothing")!.spec).toEqual({});
  });

  test("Prometheus, by its mesh identity, may GET metrics paths anywhere, and nothing else", () => {
    expect(defaults.named("AuthorizationPolicy", "istio-system", "allow-prometheus-scrape")!.spec).toEqual({
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: [PROMETHEUS] } }], to: [{ operation: { methods: ["GET"], paths: ["/metrics", "/stats/prometheus"] } }] }],
    });
  });

  test("the ingress gateway accepts on its listeners (80, 443) from anyone; nothing else of it is opened", () => {
    expect(defaults.named("AuthorizationPolicy", "istio-ingress", "allow-ingress-listeners")!.spec).toEqual({
      selector: { matchLabels: { istio: "ingressgateway" } },
      action: "ALLOW",
      rules: [{ to: [{ operation: { ports: ["80", "443"] } }] }],
    });
  });

  test("ISTIO_MUTUAL to every in-cluster host, except the API server and CoreDNS (no sidecars), which keep their own protocol", () => {
    expect(defaults.named("DestinationRule", "istio-system", "default")!.spec).toEqual({ host: "*.local", trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } });
    expect(defaults.named("DestinationRule", "istio-system", "kubernetes-api")!.spec).toEqual({
      host: "kubernetes.default.svc.cluster.local",
      trafficPolicy: { tls: { mode: "DISABLE" } },
    });
    expect(defaults.named("DestinationRule", "istio-system", "kube-dns")!.spec).toEqual({ host: "kube-dns.kube-system.svc.cluster.local", trafficPolicy: { tls: { mode: "DISABLE" } } });
  });

  test("a host without a sidecar that meshed pods call (the platform's collector) keeps plaintext; none unless named", () => {
    const withCollector = policies({ plaintextHosts: { "otel-collector": "otel-collector.opentelemetry.svc.cluster.local" } });
    expect(withCollector.named("DestinationRule", "istio-system", "otel-collector")!.spec).toEqual({
      host: "otel-collector.opentelemetry.svc.cluster.local",
      trafficPolicy: { tls: { mode: "DISABLE" } },
    });
    expect(defaults.named("DestinationRule", "istio-system", "otel-collector")).toBeUndefined();
  });

  test("with nothing exposed and no webhooks, exactly these seven objects, all after the base chart's stack", () => {
    expect(defaults.manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual([
      "AuthorizationPolicy istio-ingress/allow-ingress-listeners",
      "AuthorizationPolicy istio-system/allow-nothing",
      "AuthorizationPolicy istio-system/allow-prometheus-scrape",
      "DestinationRule istio-system/default",
      "DestinationRule istio-system/kube-dns",
      "DestinationRule istio-system/kubernetes-api",
      "PeerAuthentication istio-system/default",
    ]);
    expect(defaults.stack.dependencies.map((d) => d.node.id)).toEqual(["security"]);
  });

  test("an exposed workload may be called by the ingress gateway's identity on its ports only", () => {
    const p = policies({ expose: [{ namespace: "shop", selector: { app: "checkout" }, ports: [8080] }, { namespace: "docs", ports: [80, 8443] }] });
    expect(p.named("AuthorizationPolicy", "shop", "allow-ingress-checkout")!.spec).toEqual({
      selector: { matchLabels: { app: "checkout" } },
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: [GATEWAY] } }], to: [{ operation: { ports: ["8080"] } }] }],
    });
    expect(p.named("AuthorizationPolicy", "docs", "allow-ingress")!.spec).toEqual({
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: [GATEWAY] } }], to: [{ operation: { ports: ["80", "8443"] } }] }],
    });
  });

  test("a webhook: PERMISSIVE on its port only (the API server has no mesh certificate), and an ALLOW without principals on that port only", () => {
    const p = policies({ webhooks: [{ name: "kyverno", namespace: "kyverno", selector: { "app.kubernetes.io/component": "admission-controller" }, port: 9443 }] });
    const selector = { matchLabels: { "app.kubernetes.io/component": "admission-controller" } };
    expect(p.named("PeerAuthentication", "kyverno", "kyverno-webhook")!.spec).toEqual({ selector, portLevelMtls: { "9443": { mode: "PERMISSIVE" } } });
    expect(p.named("AuthorizationPolicy", "kyverno", "kyverno-webhook")!.spec).toEqual({ selector, action: "ALLOW", rules: [{ to: [{ operation: { ports: ["9443"] } }] }] });
  });

  test("a sidecar namespace's namespace-peer allows become ALLOW policies there (CRD-schema checked); CIDR peers get none", () => {
    const p = policies({
      namespaceAllows: [{ namespace: "payments", ingress: [{ name: "same-namespace", peer: { namespace: "payments" }, ports: [{ port: 8080 }] }, { name: "lb", peer: { cidrs: ["0.0.0.0/0"] }, ports: [{ port: 443 }] }] }],
    });
    expect(p.named("AuthorizationPolicy", "payments", "baseline-same-namespace")!.spec).toEqual({
      action: "ALLOW",
      rules: [{ from: [{ source: { namespaces: ["payments"] } }], to: [{ operation: { ports: ["8080"] } }] }],
    });
    expect(p.manifests.filter((m) => m.metadata.namespace === "payments").map((m) => m.metadata.name)).toEqual(["baseline-same-namespace"]);
  });

  test("construct ids name what each object is, so adding an entry never moves another's address", () => {
    const one = policies({ expose: [{ namespace: "shop", ports: [8080] }] }).manifests.map((m) => m.address);
    const two = policies({ expose: [{ namespace: "docs", ports: [80] }, { namespace: "shop", ports: [8080] }] }).manifests.map((m) => m.address);
    expect(two).toEqual(expect.arrayContaining(one));
  });

  describe("each opt-out does exactly what it says", () => {
    const without = (props: Partial<MeshPoliciesProps>) => {
      const p = policies(props);
      return { p, names: p.manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`) };
    };
    const all = defaults.manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`);

    test("permissiveMtls: mesh-wide PERMISSIVE, every other object unchanged", () => {
      const { p } = without({ optOut: { permissiveMtls: true } });
      expect(p.named("PeerAuthentication", "istio-system", "default")!.spec).toEqual({ mtls: { mode: "PERMISSIVE" } });
      const others = (ms: Json[]) => ms.filter((m) => m.kind !== "PeerAuthentication");
      expect(others(p.manifests)).toEqual(others(defaults.manifests));
    });

    test("defaultDenyAuthorization: only the allow-nothing policy goes", () => {
      expect(without({ optOut: { defaultDenyAuthorization: true } }).names).toEqual(all.filter((n) => n !== "AuthorizationPolicy istio-system/allow-nothing"));
    });

    test("istioMutualDestinationRule: only the two DestinationRules go", () => {
      expect(without({ optOut: { istioMutualDestinationRule: true } }).names).toEqual(all.filter((n) => !n.startsWith("DestinationRule")));
    });
  });

  const rules: Array<[string, Partial<MeshPoliciesProps>, RegExp]> = [
    ["a namespace's allows are given twice", { namespaceAllows: [{ namespace: "payments", ingress: [] }, { namespace: "payments", ingress: [] }] }, /namespaceAllows\[1\]\.namespace/],
    ["namespace allows target the root namespace", { namespaceAllows: [{ namespace: "istio-system", ingress: [] }] }, /namespaceAllows\[0\]\.namespace/],
    ["an exposure targets istio-system", { expose: [{ namespace: "istio-system", ports: [80] }] }, /expose\[0\]\.namespace: got "istio-system"/],
    ["an exposure has no port", { expose: [{ namespace: "shop", ports: [] }] }, /expose\[0\]\.ports: got \[\]; allowed: at least one port/],
    ["an exposure names an Istio port", { expose: [{ namespace: "shop", ports: [15020] }] }, /expose\[0\]\.ports\[0\]: got 15020; allowed: a port 1–65535 outside 15000–15099/],
    ["an exposure has an empty selector", { expose: [{ namespace: "shop", selector: {}, ports: [80] }] }, /expose\[0\]\.selector: got \{\}/],
    ["two exposures name the same namespace and selector", { expose: [{ namespace: "shop", ports: [80] }, { namespace: "shop", ports: [81] }] }, /expose\[1\]: got "shop\/allow-ingress"/],
    ["a webhook has no selector", { webhooks: [{ name: "w", namespace: "x", port: 9443 } as never] }, /webhooks\[0\]\.selector: got nothing; allowed: matchLabels with at least one label/],
    ["a webhook port is out of range", { webhooks: [{ name: "w", namespace: "x", selector: { app: "w" }, port: 70000 }] }, /webhooks\[0\]\.port: got 70000/],
    ["two webhooks share a name", { webhooks: [{ name: "w", namespace: "x", selector: { app: "w" }, port: 1 }, { name: "w", namespace: "y", selector: { app: "w" }, port: 2 }] }, /webhooks\[1\]\.name: got "w"/],
    ["a metrics path is relative", { metricsPaths: ["metrics"] }, /metricsPaths: got \["metrics"\]/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => policies(props)).toThrow(message);
  });

  test("fails when the policies are built in the stack that installs their CRDs", () => {
    const security = new TerraformStack(Testing.app(), "security");
    const istio = new IstioMesh(security, "IstioMesh", { cluster: fakeCluster() });
    expect(() => new MeshPolicies(security, "MeshPolicies", { installedBy: istio.base })).toThrow(/installedBy: got "security\/IstioMesh\/Base"; allowed: a release in an earlier stack/);
  });
});
