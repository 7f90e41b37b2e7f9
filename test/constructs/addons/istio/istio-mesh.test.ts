import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { ISTIO_DEFAULTS, IstioMesh, IstioMeshProps } from "../../../../constructs/addons/istio/istio-mesh";
import { ISTIO_BASE_CHART_KEYS, ISTIO_CNI_CHART_KEYS, ISTIO_CNI_REPAIR_KEYS, ISTIOD_CHART_KEYS, ISTIOD_GLOBAL_KEYS, ISTIOD_INJECTOR_KEYS, ISTIOD_PROXY_KEYS } from "../chart-keys";
import { fakeCluster, unknownTopLevelKeys } from "../fake-cluster";

type Json = Record<string, any>;

function mesh(props: Partial<IstioMeshProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "security");
  const istio = new IstioMesh(stack, "IstioMesh", { cluster: fakeCluster(), ...props });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const releases = Object.values(tf.resource.helm_release) as Json[];
  const release = (chart: string) => releases.find((r) => r.chart === chart)!;
  const values = (chart: string) => parse(release(chart).values[0]) as Json;
  return { istio, tf, releases, release, values };
}

const HA: Partial<IstioMeshProps> = { istiod: { replicas: 3, maxReplicas: 6 }, gateway: { replicas: 3, maxReplicas: 9 }, spreadAcrossZones: true };

// One synth per shape, shared by the tests below.
const small = mesh();
const ha = mesh(HA);

const gatewaySchema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/istio-gateway-1.30.3.values.schema.json"), "utf8"));
const validateGateway = new Ajv({ strict: false, allErrors: true }).compile(gatewaySchema);

describe("IstioMesh", () => {
  test("installs base, cni, istiod and the gateway, every chart at Istio 1.30.3 from Istio's repository", () => {
    expect(small.releases.map((r) => [r.chart, r.version, r.namespace, r.repository]).sort()).toEqual([
      ["base", "1.30.3", "istio-system", "https://istio-release.storage.googleapis.com/charts"],
      ["cni", "1.30.3", "istio-system", "https://istio-release.storage.googleapis.com/charts"],
      ["gateway", "1.30.3", "istio-ingress", "https://istio-release.storage.googleapis.com/charts"],
      ["istiod", "1.30.3", "istio-system", "https://istio-release.storage.googleapis.com/charts"],
    ]);
    expect(Object.values(ISTIO_DEFAULTS).map((d) => d.version)).toEqual(["1.30.3", "1.30.3", "1.30.3", "1.30.3"]);
  });

  test("orders the releases: base (CRDs) before cni, cni before istiod, istiod (injection) before the gateway", () => {
    const deps = (chart: string) => (small.release(chart).depends_on ?? []) as string[];
    expect(deps("base")).toEqual([]);
    expect(deps("cni")).toEqual([expect.stringMatching(/IstioMesh_Base_Release/)]);
    expect(deps("istiod")).toEqual([expect.stringMatching(/IstioMesh_Base_Release/), expect.stringMatching(/IstioMesh_Cni_Release/)]);
    expect(deps("gateway")).toEqual([expect.stringMatching(/IstioMesh_Istiod_Release/)]);
  });

  test("every value key exists in its chart: base, istiod and cni by their values.yaml, the gateway by its JSON schema", () => {
    for (const shape of [small, ha]) {
      expect(unknownTopLevelKeys(shape.values("base"), ISTIO_BASE_CHART_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("istiod"), ISTIOD_CHART_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("cni"), ISTIO_CNI_CHART_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("istiod").sidecarInjectorWebhook, ISTIOD_INJECTOR_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("istiod").global, ISTIOD_GLOBAL_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("istiod").global.proxy, ISTIOD_PROXY_KEYS)).toEqual([]);
      expect(unknownTopLevelKeys(shape.values("cni").repair, ISTIO_CNI_REPAIR_KEYS)).toEqual([]);
      const ok = validateGateway(shape.values("gateway"));
      expect(validateGateway.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  test("the gateway schema check can fail: a misspelt key is refused", () => {
    expect(validateGateway({ ...small.values("gateway"), replicas: 2 })).toBe(false);
    expect(validateGateway({ ...small.values("gateway"), kind: "StatefulSet" })).toBe(false);
  });

  test("sidecar mode with the CNI node agent: injection only in labelled namespaces, probes rewritten, no privileged proxy", () => {
    const istiod = small.values("istiod");
    expect(istiod.cni).toEqual({ enabled: true });
    expect(istiod.sidecarInjectorWebhook).toEqual({ enableNamespacesByDefault: false, rewriteAppHTTPProbe: true });
    expect(istiod.global.proxy).toEqual({ privileged: false, seccompProfile: { type: "RuntimeDefault" } });
    const cni = small.values("cni");
    expect(cni.ambient).toEqual({ enabled: false });
    expect(cni.chained).toBe(true);
    expect(cni.repair).toEqual({ enabled: true, repairPods: true, labelPods: false, deletePods: false });
  });

  test("Kubernetes Ingress objects never program the shared gateway: istiod's ingress controller is off", () => {
    expect(small.values("istiod").meshConfig.ingressControllerMode).toBe("OFF");
  });

  test("images come from Istio's release registry at the pinned tag, never the charts' test registry or latest", () => {
    for (const chart of ["istiod", "cni"]) {
      const v = small.values(chart);
      expect([v.global.hub, v.global.tag]).toEqual(["docker.io/istio", "1.30.3"]);
    }
    expect(JSON.stringify(small.releases)).not.toMatch(/latest|istio-testing/);
  });

  test("dev-sized by default: one replica each, no autoscaling, no disruption budget, no spread", () => {
    const istiod = small.values("istiod");
    expect([istiod.replicaCount, istiod.autoscaleEnabled, istiod.topologySpreadConstraints]).toEqual([1, false, []]);
    const gateway = small.values("gateway");
    expect([gateway.replicaCount, gateway.autoscaling.enabled, gateway.podDisruptionBudget, gateway.topologySpreadConstraints]).toEqual([1, false, undefined, []]);
  });

  test("HA from the sizes: replicas and HPA bounds, disruption budgets, DoNotSchedule zone spread", () => {
    const istiod = ha.values("istiod");
    expect([istiod.autoscaleEnabled, istiod.autoscaleMin, istiod.autoscaleMax]).toEqual([true, 3, 6]);
    expect(istiod.pdb).toEqual({ minAvailable: 1 });
    expect(istiod.global.defaultPodDisruptionBudget).toEqual({ enabled: true });
    expect(istiod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "istiod" } } },
    ]);
    const gateway = ha.values("gateway");
    expect(gateway.autoscaling).toEqual({ enabled: true, minReplicas: 3, maxReplicas: 9, targetCPUUtilizationPercentage: 80 });
    expect(gateway.podDisruptionBudget).toEqual({ minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    expect(gateway.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { app: "istio-ingressgateway" } });
  });

  test("resources come from the props", () => {
    const r = { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "96Mi" } };
    const m = mesh({ istiod: { resources: r }, gateway: { resources: r }, cni: { resources: r } });
    expect([m.values("istiod").resources, m.values("gateway").resources, m.values("cni").resources]).toEqual([r, r, r]);
  });

  test("hardened gateway pod: non-root, read-only root, no capabilities, RuntimeDefault seccomp, only the safe port sysctl", () => {
    const g = small.values("gateway");
    expect(g.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337, fsGroup: 1337, seccompProfile: { type: "RuntimeDefault" },
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
    });
    expect(g.containerSecurityContext).toEqual(
      expect.objectContaining({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } }),
    );
    expect(small.values("istiod").seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(small.values("cni").seccompProfile).toEqual({ type: "RuntimeDefault" });
  });

  test("the gateway sits behind an internal NLB unless internet-facing ingress is asked for", () => {
    expect(small.values("gateway").service.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
    const open = mesh({ internetFacingIngress: true });
    expect(open.values("gateway").service.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("false");
    // Nothing else changes with it.
    expect({ ...open.values("gateway"), service: undefined }).toEqual({ ...small.values("gateway"), service: undefined });
  });

  test("the gateway's load balancer carries the tags given, and no tag annotation without them", () => {
    const ann = (m: ReturnType<typeof mesh>) => m.values("gateway").service.annotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"];
    expect(ann(small)).toBeUndefined();
    expect(ann(mesh({ loadBalancerTags: { Owner: "platform", CostCentre: "cc-1" } }))).toBe("CostCentre=cc-1,Owner=platform");
  });

  test("the cluster security group admits the mesh's ports from itself only: webhook, xDS, istiod and sidecar metrics", () => {
    const rules = Object.values(small.tf.resource.aws_vpc_security_group_ingress_rule) as Json[];
    expect(rules.map((r) => r.from_port).sort()).toEqual([15012, 15014, 15017, 15020]);
    for (const r of rules) {
      expect(r).toEqual(expect.objectContaining({ security_group_id: "sg-0123456789abcdef0", referenced_security_group_id: "sg-0123456789abcdef0", ip_protocol: "tcp", to_port: r.from_port }));
      expect(r.description).toMatch(/^Istio: /);
      expect(r.cidr_ipv4).toBeUndefined();
    }
  });

  test("istiod and the gateway stay on the system nodes", () => {
    const m = mesh({ systemNodePlacement: { nodeLabels: { "sre-platform.io/node-role": "system" }, tolerations: [] } });
    for (const chart of ["istiod", "gateway"]) {
      expect(m.values(chart).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
        { key: "sre-platform.io/node-role", operator: "In", values: ["system"] },
      ]);
    }
  });

  const rules: Array<[string, Partial<IstioMeshProps>, RegExp]> = [
    ["istiod replicas are zero", { istiod: { replicas: 0 } }, /istiod\.replicas: got 0; allowed: a whole number, at least 1/],
    ["the gateway's maxReplicas is below replicas", { gateway: { replicas: 3, maxReplicas: 2 } }, /gateway\.maxReplicas: got 2; allowed: a whole number, at least replicas \(3\)/],
    ["a resource quantity is malformed", { istiod: { resources: { requests: { cpu: "lots" }, limits: { memory: "1Gi" } } } }, /istiod\.resources\.requests\.cpu: got "lots"/],
    ["a component has no memory limit", { cni: { resources: { requests: { cpu: "10m" } } } }, /cni\.resources\.limits\.memory: got nothing; allowed: a quantity: the CNI node agent request CPU and memory and limit memory/],
    ["a component has a CPU limit", { gateway: { resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "1", memory: "1Gi" } } } }, /gateway\.resources\.limits\.cpu: got "1"; allowed: nothing: no CPU limit/],
    ["the node placement has no label", { systemNodePlacement: { nodeLabels: {} } }, /systemNodePlacement\.nodeLabels: got \{\}/],
    ["a load balancer tag has a comma", { loadBalancerTags: { Owner: "a,b" } }, /loadBalancerTags\.Owner: got "a,b"; allowed: a tag key and value without ',' or '='/],
    ["chart values are not an object", { values: { istiod: [] as unknown as Record<string, unknown> } }, /values\.istiod: got \[\]; allowed: a plain object/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => mesh(props)).toThrow(message);
  });
});
