import * as addons from "../../../constructs/addons";

describe("constructs/addons index", () => {
  test.each(["MetricsServer", "Karpenter", "ClusterAutoscaler", "NodeAutoscaling", "StorageClasses", "CertManager", "AwsPrivateCaIssuer", "PlatformIssuer", "CertManagerMonitoring", "IstioMesh", "MeshPolicies", "MeshMonitors", "Falco"])("exports %s", (name) => {
    expect(typeof (addons as Record<string, unknown>)[name]).toBe("function");
  });

  test("every add-on pins an exact chart version", () => {
    for (const d of [addons.METRICS_SERVER_DEFAULTS, addons.KARPENTER_DEFAULTS, addons.CLUSTER_AUTOSCALER_DEFAULTS, addons.FALCO_DEFAULTS, ...Object.values(addons.ISTIO_DEFAULTS)]) {
      expect(d.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(d.repository).toMatch(/^(https|oci):\/\//);
    }
    // cert-manager's charts are published with a leading `v`; still one exact version.
    for (const d of [addons.CERT_MANAGER_DEFAULTS, addons.AWS_PRIVATECA_ISSUER_DEFAULTS]) {
      expect(d.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(addons.isExactVersion(d.version)).toBe(true);
    }
  });
});
