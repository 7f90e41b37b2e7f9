import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { METRICS_SERVER_DEFAULTS, MetricsServer, MetricsServerProps, validateMetricsServerProps } from "../../../../constructs/addons/metrics-server/metrics-server";
import { METRICS_SERVER_CHART_KEYS } from "../chart-keys";
import { fakeCluster, unknownTopLevelKeys } from "../fake-cluster";

function build(props: Partial<MetricsServerProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const addon = new MetricsServer(stack, "MetricsServer", { cluster: fakeCluster(), ...props });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const release = Object.values(parsed.resource.helm_release)[0] as { values: string[] };
  return { addon, json, values: parse(release.values[0]) };
}

describe("MetricsServer", () => {
  test("pins the kubernetes-sigs chart into kube-system", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(Release, {
      name: "metrics-server",
      chart: "metrics-server",
      repository: "https://kubernetes-sigs.github.io/metrics-server",
      version: METRICS_SERVER_DEFAULTS.version,
      namespace: "kube-system",
    });
    expect(METRICS_SERVER_DEFAULTS.version).toBe("3.13.1");
  });

  test("has the API server verify metrics-server's certificate: no insecureSkipTLSVerify, a chart-made certificate and CA bundle", () => {
    const { values } = build();
    expect(values.apiService).toEqual({ insecureSkipTLSVerify: false });
    expect(values.tls).toEqual({ type: "helm" });
  });

  test("runs two replicas with a PodDisruptionBudget by default", () => {
    const { values, addon } = build();
    expect(values.replicas).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(addon.podDisruptionBudget).toBe(true);
  });

  test("makes no PodDisruptionBudget for one replica, which would block node drains", () => {
    const { values } = build({ replicas: 1 });
    expect(values.podDisruptionBudget).toEqual({ enabled: false });
  });

  test("sets requests and a memory limit but no CPU limit", () => {
    const { values } = build();
    expect(values.resources).toEqual({ requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } });
  });

  test("hardens the container: read-only root, non-root, no capabilities, RuntimeDefault seccomp", () => {
    const { values } = build();
    expect(values.securityContext).toEqual(
      expect.objectContaining({
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      }),
    );
    expect(values.podSecurityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
  });

  test("spreads replicas over nodes and tolerates the system node group taint", () => {
    const { values } = build();
    const term = values.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    expect(term.topologyKey).toBe("kubernetes.io/hostname");
    expect(term.labelSelector.matchLabels["app.kubernetes.io/name"]).toBe("metrics-server");
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("writes only keys the chart knows", () => {
    const { values } = build();
    expect(unknownTopLevelKeys(values, METRICS_SERVER_CHART_KEYS)).toEqual([]);
  });

  test("merges caller values last", () => {
    const { values } = build({ values: { replicas: 3, args: ["--kubelet-insecure-tls"] } });
    expect(values.replicas).toBe(3);
    expect(values.args).toEqual(["--kubelet-insecure-tls"]);
  });

  test("fails when replicas is below one", () => {
    expect(() => build({ replicas: 0 })).toThrow(/replicas: got 0/);
    expect(validateMetricsServerProps({ cluster: fakeCluster(), replicas: 1.5 })).toEqual([expect.objectContaining({ path: "replicas" })]);
  });

  test("fails when the chart version is a range", () => {
    expect(() => build({ version: "3.x" })).toThrow(/version: got "3.x"/);
  });
});
