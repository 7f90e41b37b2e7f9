import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ClusterAccess } from "../../../constructs/cluster/cluster-access";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { parse } from "yaml";
import { deepMerge } from "../../../constructs/common/deep-merge";
import { HelmAddon, HelmAddonConfig, HelmChartDefaults, isExactVersion, validateHelmAddonConfig } from "../../../constructs/addons/helm-addon";
import { GitOpsCatalog } from "../../../constructs/addons/gitops-delivery";
import { fakeCluster } from "./fake-cluster";

const DEFAULTS: HelmChartDefaults = {
  chart: "demo",
  repository: "https://charts.example.com",
  version: "1.2.3",
  namespace: "demo",
  releaseName: "demo",
};

function build(config: Partial<HelmAddonConfig> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const addon = new HelmAddon(stack, "Demo", { cluster: fakeCluster(), defaults: DEFAULTS, ...config });
  const json = Testing.synth(stack);
  return { stack, addon, json, parsed: JSON.parse(json) };
}

function releases(parsed: any): any[] {
  return Object.values(parsed.resource.helm_release);
}

describe("deepMerge", () => {
  test.each([
    ["objects merge key by key", { a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }, { a: { b: 1, c: 3, d: 4 } }],
    ["arrays replace, never append", { l: [1, 2, 3] }, { l: [9] }, { l: [9] }],
    ["a scalar replaces an object", { a: { b: 1 } }, { a: "x" }, { a: "x" }],
    ["an object replaces a scalar", { a: "x" }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["undefined leaves the base value", { a: 1 }, { a: undefined }, { a: 1 }],
    ["null is kept (Helm drops that default)", { a: { b: 1 } }, { a: null }, { a: null }],
    ["new keys are added at any depth", {}, { a: { b: { c: true } } }, { a: { b: { c: true } } }],
    ["arrays of objects replace whole", { t: [{ key: "a" }] }, { t: [{ key: "b", operator: "Exists" }] }, { t: [{ key: "b", operator: "Exists" }] }],
  ])("%s", (_name, base, override, expected) => {
    expect(deepMerge(base as any, override as any)).toEqual(expected);
  });

  test("applies several overrides left to right", () => {
    expect(deepMerge({ a: 1, b: 1 }, { a: 2 }, undefined, { a: 3, c: 3 })).toEqual({ a: 3, b: 1, c: 3 });
  });

  test("changes neither input", () => {
    const base = { a: { b: [1] } };
    const override = { a: { c: 2 } };
    const merged = deepMerge(base, override) as any;
    merged.a.b.push(2);
    expect(base).toEqual({ a: { b: [1] } });
    expect(override).toEqual({ a: { c: 2 } });
  });
});

describe("isExactVersion", () => {
  test.each(["1.2.3", "v1.14.1", "0.0.1", "1.2.3-rc.1", "1.2.3+build.5"])("accepts %s", (v) => {
    expect(isExactVersion(v)).toBe(true);
  });
  test.each(["^1.2", "~1.2.3", ">=1.2.3", "1.2", "1.x", "1.2.*", "latest", "*", "", "01.2.3", "1.2.3 || 2.0.0"])("refuses %s", (v) => {
    expect(isExactVersion(v)).toBe(false);
  });
});

describe("HelmAddon", () => {
  test("pins chart, repository and version with safe release defaults", () => {
    const { json, addon } = build();
    expect(json).toHaveResourceWithProperties(Release, {
      name: "demo",
      chart: "demo",
      repository: "https://charts.example.com",
      version: "1.2.3",
      namespace: "demo",
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 600,
      cleanup_on_fail: true,
      max_history: 10,
    });
    expect(addon.timeoutSeconds).toBe(600);
  });

  test("takes version and namespace from props over the defaults", () => {
    const { json } = build({ version: "1.3.0", namespace: "other" });
    expect(json).toHaveResourceWithProperties(Release, { version: "1.3.0", namespace: "other" });
  });

  test("lets the release options be switched off explicitly", () => {
    const { json } = build({ createNamespace: false, atomic: false, wait: false, timeoutSeconds: 120, maxHistory: 3 });
    expect(json).toHaveResourceWithProperties(Release, { create_namespace: false, atomic: false, wait: false, timeout: 120, max_history: 3 });
  });

  test("renders values as one YAML document, caller values merged last", () => {
    const { parsed, addon } = build({
      chartValues: { replicas: 2, resources: { requests: { cpu: "100m", memory: "128Mi" } }, tolerations: [{ key: "a", operator: "Exists" }] },
      values: { replicas: 3, resources: { requests: { cpu: "200m" } }, tolerations: [] },
    });
    const release = releases(parsed)[0];
    expect(release.values).toHaveLength(1);
    const rendered = parse(release.values[0]);
    expect(rendered).toEqual({ replicas: 3, resources: { requests: { cpu: "200m", memory: "128Mi" } }, tolerations: [] });
    expect(addon.values).toEqual(rendered);
  });

  test("renders dependsOn from construct references", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const first = new HelmAddon(stack, "First", { cluster: fakeCluster(), defaults: DEFAULTS });
    new HelmAddon(stack, "Second", {
      cluster: fakeCluster(),
      defaults: { ...DEFAULTS, releaseName: "second" },
      dependsOn: [first],
    });
    const parsed = JSON.parse(Testing.synth(stack));
    const second = releases(parsed).find((r) => r.name === "second");
    expect(second.depends_on).toEqual([`helm_release.${stack.getLogicalId(first.release!)}`]);
  });

  test("installs through the Helm provider of the access it is given", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const cluster = fakeCluster();
    const access = new ClusterAccess(stack, "Access", { cluster, alias: "platform" });
    new HelmAddon(stack, "Demo", { cluster, defaults: DEFAULTS, access });
    expect(releases(JSON.parse(Testing.synth(stack)))[0].provider).toBe("helm.platform");
  });

  test("fails when the access is for another cluster", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const access = new ClusterAccess(stack, "Access", { cluster: { ...fakeCluster(), clusterName: "other" } });
    expect(() => new HelmAddon(stack, "Demo", { cluster: fakeCluster(), defaults: DEFAULTS, access })).toThrow(/access: got "other"; allowed: access to the add-on's own cluster/);
  });

  test("IRSA hook: creates a role for exactly the chart's service account and annotates it", () => {
    const { parsed, addon, json } = build({
      irsa: {
        serviceAccountName: "demo-sa",
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }],
      },
    });
    expect(json).toHaveResource(IamRole);
    expect(addon.values).toEqual({
      serviceAccount: { name: "demo-sa", annotations: { "eks.amazonaws.com/role-arn": addon.irsaRole!.roleArn } },
    });
    const trust = JSON.stringify(parsed.data.aws_iam_policy_document);
    expect(trust).toContain("system:serviceaccount:demo:demo-sa");
    expect(trust).toContain("sts.amazonaws.com");
    const release = releases(parsed)[0];
    expect(release.values[0]).toMatch(/eks.amazonaws.com\/role-arn: \$\{aws_iam_role\.\w+\.arn\}/);
    // the permissions must exist before the pods start
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  test("escapes literal ${…} and %{…} from Terraform's templates, and leaves references Terraform resolves alone", () => {
    const { parsed } = build({
      irsa: { serviceAccountName: "demo-sa", namePath: ["serviceAccount", "name"], annotationsPath: ["serviceAccount", "annotations"] },
      chartValues: { config: { endpoint: "${env:MY_POD_IP}:4317", format: "%{level}", already: "$${kept}" } },
    });
    const values = releases(parsed)[0].values[0] as string;
    expect(values).toContain("endpoint: $${env:MY_POD_IP}:4317");
    expect(values).toContain('format: "%%{level}"');
    // The role's ARN is a reference Terraform must still resolve.
    expect(values).toMatch(/eks.amazonaws.com\/role-arn: \$\{aws_iam_role\.\w+\.arn\}/);
    // Terraform's own unescaping gives back exactly the document the add-on rendered.
    expect(values.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toContain("already: $${kept}");
  });

  test("passes secrets through set_sensitive, never in the values document", () => {
    const { parsed, addon } = build({ sensitiveValues: { "alertmanager.config.global.slack_api_url": "https://hooks.example.com/x" } });
    const release = releases(parsed)[0];
    expect(release.set_sensitive).toEqual([{ name: "alertmanager.config.global.slack_api_url", value: "https://hooks.example.com/x" }]);
    expect(release.values[0]).not.toContain("hooks.example.com");
    expect(JSON.stringify(addon.values)).not.toContain("hooks.example.com");
  });

  test("fails when a sensitive value path is not a dotted path", () => {
    expect(() => build({ sensitiveValues: { "a..b": "x" } })).toThrow(/sensitiveValues\["a..b"\]/);
  });

  test("fails when the version is a range", () => {
    expect(() => build({ version: "^1.2" })).toThrow(/version: got "\^1.2"; allowed: an exact chart version/);
  });

  test("fails when the version is latest", () => {
    expect(validateHelmAddonConfig({ cluster: fakeCluster(), defaults: { ...DEFAULTS, version: "latest" } })).toEqual([
      expect.objectContaining({ path: "version", value: "latest" }),
    ]);
  });

  test("fails when the namespace is not a Kubernetes name", () => {
    expect(() => build({ namespace: "Kube_System" })).toThrow(/namespace: got "Kube_System"/);
  });

  test("fails when the release name is too long for Helm", () => {
    expect(() => build({ defaults: { ...DEFAULTS, releaseName: "x".repeat(54) } })).toThrow(/defaults.releaseName/);
  });

  test("fails when the repository is plain http", () => {
    expect(() => build({ defaults: { ...DEFAULTS, repository: "http://charts.example.com" } })).toThrow(/defaults.repository: got "http:\/\/charts.example.com"/);
  });

  test("fails when the timeout is not a positive whole number", () => {
    expect(() => build({ timeoutSeconds: 0 })).toThrow(/timeoutSeconds: got 0/);
  });

  test("fails when maxHistory is not a positive whole number", () => {
    expect(() => build({ maxHistory: 1.5 })).toThrow(/maxHistory: got 1.5/);
  });

  test("fails when values is not a plain object", () => {
    expect(() => build({ values: [1, 2] as unknown as Record<string, unknown> })).toThrow(/values: got \[1,2\]/);
  });

  test("fails when a caller override renames the IRSA service account", () => {
    expect(() =>
      build({
        irsa: { serviceAccountName: "demo-sa", namePath: ["serviceAccount", "name"], annotationsPath: ["serviceAccount", "annotations"] },
        values: { serviceAccount: { name: "other" } },
      }),
    ).toThrow(/values.serviceAccount.name: got "other"; allowed: "demo-sa"/);
  });

  test("fails when a caller override replaces the IRSA role annotation", () => {
    expect(() =>
      build({
        irsa: { serviceAccountName: "demo-sa", namePath: ["serviceAccount", "name"], annotationsPath: ["serviceAccount", "annotations"] },
        values: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/other" } } },
      }),
    ).toThrow(/role-arn"\]: got "arn:aws:iam::1:role\/other"/);
  });
});

describe("HelmAddon delivered through the GitOps bridge", () => {
  function bridged(config: Partial<HelmAddonConfig> = {}) {
    const stack = new TerraformStack(Testing.app(), "test");
    const catalog = new GitOpsCatalog();
    catalog.deliverUnder(stack);
    const addon = new HelmAddon(stack, "Demo", {
      cluster: fakeCluster(),
      defaults: DEFAULTS,
      irsa: { serviceAccountName: "demo", namePath: ["serviceAccount", "name"], annotationsPath: ["serviceAccount", "annotations"] },
      chartValues: { alert: "{{ .CommonLabels.alertname }}" },
      ...config,
    });
    return { stack, addon, catalog, parsed: JSON.parse(Testing.synth(stack)) };
  }

  test("writes no helm_release: a terraform_data record of the chart, and the entry in the catalog", () => {
    const { addon, catalog, parsed } = bridged();
    expect(parsed.resource.helm_release).toBeUndefined();
    expect(addon.release).toBeUndefined();
    expect(Object.values(parsed.resource.terraform_data).map((d: any) => d.input)).toEqual([{ chart: "demo", repository: "https://charts.example.com", version: "1.2.3", namespace: "demo", delivery: "gitops" }]);
    const [entry] = catalog.entries;
    expect({ release: entry!.releaseName, version: entry!.version }).toEqual({ release: "demo", version: "1.2.3" });
    expect(entry!.values).toMatchObject({ serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": '{{ index .metadata.annotations "demo_iam_role_arn" }}' } }, alert: '{{ "{{" }} .CommonLabels.alertname {{ "}}" }}' });
    expect(Object.keys(entry!.annotations).sort()).toEqual(["demo_iam_role_arn", "demo_namespace", "demo_service_account"]);
    expect(entry!.annotations.demo_service_account).toBe("demo");
  });

  test("what depends on the add-on waits for its record (and through it for its IAM)", () => {
    const { addon } = bridged();
    expect(addon.fqn).toBe(addon.gitOps!.fqn);
  });

  test("alwaysHelm keeps the release (Argo CD's own)", () => {
    const { parsed, catalog } = bridged({ alwaysHelm: true });
    expect(releases(parsed).map((r) => r.name)).toEqual(["demo"]);
    expect(catalog.entries).toEqual([]);
  });

  test("fails on sensitive values, which cannot go through Git", () => {
    expect(() => bridged({ sensitiveValues: { "auth.password": "x" } })).toThrow(/sensitiveValues: got \["auth\.password"\]; allowed: none where add-ons are delivered through Git/);
  });
});
