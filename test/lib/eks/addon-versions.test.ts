import { addonVersionProblem, EKS_ADDON_VERSION, EKS_MANAGED_ADDON_KEYS, REVIEWED_ADDON_VERSIONS, runsManagedAddon } from "../../../lib/eks/addon-versions";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../../lib/eks/versions";

describe("reviewed EKS add-on versions", () => {
  test("every supported Kubernetes minor has a reviewed version of every managed add-on, and no other minor has a row", () => {
    expect(Object.keys(REVIEWED_ADDON_VERSIONS).sort()).toEqual([...SUPPORTED_KUBERNETES_VERSIONS].sort());
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
      expect(Object.keys(REVIEWED_ADDON_VERSIONS[minor]).sort()).toEqual([...EKS_MANAGED_ADDON_KEYS].sort());
    }
  });

  test.each(SUPPORTED_KUBERNETES_VERSIONS)("Kubernetes %s: every version is well-formed and kube-proxy matches the minor", (minor) => {
    const row = REVIEWED_ADDON_VERSIONS[minor];
    for (const key of EKS_MANAGED_ADDON_KEYS) expect({ key, version: row[key] }).toEqual({ key, version: expect.stringMatching(EKS_ADDON_VERSION) });
    // kube-proxy is built per Kubernetes minor and must match the control plane's.
    expect(row.kubeProxy.startsWith(`v${minor}.`)).toBe(true);
  });

  test("a newer minor never gets an older add-on than the minor before it", () => {
    const parse = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
    const older = (a: string, b: string) => {
      const [x, y] = [parse(a), parse(b)];
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
      return false;
    };
    for (let i = 1; i < SUPPORTED_KUBERNETES_VERSIONS.length; i++) {
      const [before, now] = [SUPPORTED_KUBERNETES_VERSIONS[i - 1]!, SUPPORTED_KUBERNETES_VERSIONS[i]!];
      for (const key of EKS_MANAGED_ADDON_KEYS) {
        expect({ key, now, older: older(REVIEWED_ADDON_VERSIONS[now][key], REVIEWED_ADDON_VERSIONS[before][key]) }).toEqual({ key, now, older: false });
      }
    }
  });
});

describe("addonVersionProblem", () => {
  test("accepts the reviewed version of the minor", () => {
    expect(addonVersionProblem("coreDns", REVIEWED_ADDON_VERSIONS["1.33"].coreDns, "1.33")).toBeUndefined();
  });

  test("fails when the version is not well-formed, naming the format", () => {
    expect(addonVersionProblem("coreDns", "v1.12.4", "1.33")).toMatch(/an EKS add-on version such as v1\.\d+\.\d+-eksbuild\.\d+/);
    expect(addonVersionProblem("coreDns", "latest", "1.33")).toMatch(/an EKS add-on version/);
  });

  test("fails when the version is another minor's, naming the reviewed one and where it lives", () => {
    expect(addonVersionProblem("kubeProxy", REVIEWED_ADDON_VERSIONS["1.33"].kubeProxy, "1.34")).toBe(
      `the version reviewed for Kubernetes 1.34, ${REVIEWED_ADDON_VERSIONS["1.34"].kubeProxy} (lib/eks/addon-versions.ts; add a newer one there after checking it with \`aws eks describe-addon-versions\`)`,
    );
  });
});

describe("runsManagedAddon", () => {
  test("with EFS every managed add-on runs; without it, all but the EFS CSI driver", () => {
    expect(EKS_MANAGED_ADDON_KEYS.filter((k) => runsManagedAddon(k, { efs: true }))).toEqual(EKS_MANAGED_ADDON_KEYS);
    expect(EKS_MANAGED_ADDON_KEYS.filter((k) => !runsManagedAddon(k, { efs: false }))).toEqual(["efsCsiDriver"]);
  });
});
