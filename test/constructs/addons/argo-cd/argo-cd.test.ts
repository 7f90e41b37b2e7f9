import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { ArgoCd, ArgoCdProps, ARGOCD_CHART_VERSION, ARGOCD_IMAGE, validateArgoCdProps } from "../../../../constructs/addons/argo-cd/argo-cd";
import { ArgoCdProjects } from "../../../../constructs/addons/argo-cd/argo-cd-projects";
import { teamProjects } from "../../../../constructs/addons/argo-cd/addon";
import { ARGOCD_SSO_SECRET } from "../../../../constructs/addons/argo-cd/argo-cd-values";
import { dev } from "../../../../environments/dev";
import { loadEnvironments } from "../../../../environments";
import { staging } from "../../../../environments/staging";
import { prod } from "../../../../environments/prod";
import type { EnvironmentConfig } from "../../../../lib/config/environment-schema";
import { formatProblems } from "../../../../lib/problems";
import { addonConfigProblems } from "../../../../stacks/addon-config";
import { buildEnvironmentWithAddons } from "../../../../stacks/environment-stacks";
import { fakeCluster } from "../fake-cluster";

const ROOT = path.resolve(__dirname, "../../../..");
const chartDefaults = () => parse(fs.readFileSync(path.join(ROOT, `test/fixtures/helm-values/argo-cd-${ARGOCD_CHART_VERSION}.values.yaml`), "utf8")) as Record<string, any>;
const SSO = { name: "Company SSO", issuer: "https://login.example.com", clientId: "argocd", adminGroups: ["platform-team"] };

function build(props: Partial<ArgoCdProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const addon = new ArgoCd(stack, "ArgoCd", { cluster: fakeCluster(), ...props });
  const json = Testing.synth(stack);
  const release = Object.values(JSON.parse(json).resource.helm_release)[0] as { values: string[] };
  return { addon, json, values: parse(release.values[0]!) as Record<string, any> };
}

describe("ArgoCd", () => {
  test("pins argo-cd 10.1.1 from argoproj's repository into the argocd namespace, and Argo CD v3.4.4", () => {
    const { json, values } = build();
    expect(json).toHaveResourceWithProperties(Release, { name: "argocd", chart: "argo-cd", repository: "https://argoproj.github.io/argo-helm", version: "10.1.1", namespace: "argocd" });
    expect(values.global.image).toEqual({ repository: "quay.io/argoproj/argocd", tag: "v3.4.4" });
    expect(ARGOCD_IMAGE.tag).toBe("v3.4.4");
  });

  test("keeps the chart's CRD handling: installed and upgraded with the release, server-side apply for ApplicationSet", () => {
    const { values } = build();
    expect(values.crds).toEqual({ install: true, keep: true });
    // The chart's own annotation, not overridden: Argo CD applies its CRDs server-side when it manages itself.
    expect(chartDefaults().crds.annotations).toEqual({ "argocd.argoproj.io/sync-options": "ServerSideApply=true" });
    expect(values.crds.annotations).toBeUndefined();
  });

  test("disables the local admin, anonymous access and exec by default; nobody may do anything by default", () => {
    const { values, addon } = build();
    expect(addon.localAdmin).toBe(false);
    expect(values.configs.cm).toMatchObject({ "admin.enabled": false, "users.anonymous.enabled": false, "exec.enabled": false });
    expect(chartDefaults().configs.cm["admin.enabled"]).toBe(true);
    expect(values.configs.rbac["policy.default"]).toBe("");
    expect(values.configs.secret).toEqual({ createSecret: true });
    expect(JSON.stringify(values)).not.toMatch(/argocdServerAdminPassword|\$2[aby]\$/);
  });

  test("SSO: OIDC with the client secret from the labelled Secret, admin groups mapped to role:admin", () => {
    const { values } = build({ url: "https://argocd.dev.example.com", sso: SSO });
    const oidc = parse(values.configs.cm["oidc.config"]);
    expect(oidc).toEqual({ name: "Company SSO", issuer: "https://login.example.com", clientID: "argocd", clientSecret: `$${ARGOCD_SSO_SECRET}:clientSecret`, requestedScopes: ["openid", "profile", "email", "groups"] });
    expect(values.configs.cm.url).toBe("https://argocd.dev.example.com");
    expect(values.global.domain).toBe("argocd.dev.example.com");
    expect(values.configs.rbac["policy.csv"]).toBe("g, platform-team, role:admin");
    expect(values.dex.enabled).toBe(false);
  });

  test("Argo CD ignores the VirtualService route weights Argo Rollouts moves, for every Application", () => {
    const { values } = build();
    expect(parse(values.configs.cm["resource.customizations.ignoreDifferences.networking.istio.io_VirtualService"])).toEqual({ jqPathExpressions: [".spec.http[].route[].weight"] });
  });

  test("the namespace baseline is the only network policy: the chart's are off", () => {
    expect(build().values.global.networkPolicy).toEqual({ create: false, defaultDenyIngress: false });
    expect(chartDefaults().global.networkPolicy.create).toBe(true);
  });

  test("single Redis by default; redis-ha with hard anti-affinity, zone spread and disruption budgets when asked", () => {
    const single = build().values;
    expect([single.redis.enabled, single["redis-ha"].enabled]).toEqual([true, false]);
    const ha = build({ redis: { ha: true }, spreadAcrossZones: true, server: { replicas: 2 } }).values;
    expect([ha.redis.enabled, ha["redis-ha"].enabled]).toEqual([false, true]);
    expect(ha["redis-ha"]).toMatchObject({ hardAntiAffinity: true, podDisruptionBudget: { minAvailable: 2 }, topologySpreadConstraints: { enabled: true, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" } });
    expect(ha["redis-ha"].haproxy).toMatchObject({ hardAntiAffinity: true, podDisruptionBudget: { minAvailable: 2 } });
    expect(ha.server.pdb).toEqual({ enabled: true, minAvailable: 1 });
    expect(ha.global.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }]);
  });

  test("runs on the system nodes (required node affinity on their label, their taint tolerated), Redis HA too", () => {
    const { values } = build({ redis: { ha: true }, systemNodePlacement: { nodeLabels: { "sre-platform.io/node-role": "system" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] } });
    expect(values.global.affinity.nodeAffinity).toEqual({ type: "hard", matchExpressions: [{ key: "sre-platform.io/node-role", operator: "In", values: ["system"] }] });
    expect(values.global.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(values["redis-ha"].nodeSelector).toEqual({ "sre-platform.io/node-role": "system" });
    expect(values["redis-ha"].tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("fails when SSO has no URL to redirect to", () => {
    expect(validateArgoCdProps({ sso: SSO })).toContainEqual(expect.objectContaining({ path: "url" }));
  });

  test("fails when the issuer is not https", () => {
    expect(validateArgoCdProps({ url: "https://a.example.com", sso: { ...SSO, issuer: "http://login.example.com" } })).toContainEqual(expect.objectContaining({ path: "sso.issuer" }));
  });

  test("fails on a CPU limit for a component", () => {
    expect(validateArgoCdProps({ server: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } as any } } })).toContainEqual(expect.objectContaining({ path: "server.resources.limits.cpu" }));
  });
});

describe("Argo CD in the environments", () => {
  const at = (config: EnvironmentConfig) => config.delivery.argocd;

  test("prod is highly available: redis-ha, two of each stateless component across zones; dev and staging are single", () => {
    expect({ ha: at(prod).redis.ha, spread: at(prod).spreadAcrossZones, server: at(prod).server.replicas, repo: at(prod).repoServer.replicas }).toEqual({ ha: true, spread: true, server: 2, repo: 2 });
    expect([at(dev).redis.ha, at(staging).redis.ha]).toEqual([false, false]);
  });

  test("prod's system node group has three nodes across three zones for redis-ha's hard anti-affinity", () => {
    const system = prod.cluster.nodeGroups.filter((g) => g.labels["sre-platform.io/node-role"] === "system");
    expect(system.reduce((n, g) => n + g.minSize, 0)).toBeGreaterThanOrEqual(3);
    expect(prod.network.azCount).toBeGreaterThanOrEqual(3);
  });

  test("the root app syncs itself (prune, self-heal) in dev and staging and waits for a person in prod", () => {
    expect([at(dev).rootApplication?.sync, at(staging).rootApplication?.sync, at(prod).rootApplication?.sync]).toEqual(["automated", "automated", "manual"]);
  });

  test("a failed sync in prod is P2, a degraded app P1", () => {
    expect(at(prod).alerts).toEqual({ syncFailed: "P2", degraded: "P1" });
  });

  test("no environment keeps a local admin; every one has SSO", () => {
    for (const c of [dev, staging, prod]) expect([c.name, at(c).localAdmin, at(c).sso !== undefined]).toEqual([c.name, undefined, true]);
  });

  test("each team gets a project with its own namespaces and repositories", () => {
    expect(teamProjects(dev)).toEqual([{ team: "payments", namespaces: ["payments"], sourceRepos: ["https://github.com/example-org/payments-deploy.git"], groups: ["payments-team"] }]);
  });

  const messages = (mutate: (c: any) => void) => {
    const copy = structuredClone(prod) as any;
    mutate(copy);
    return formatProblems("prod", addonConfigProblems(copy as EnvironmentConfig));
  };

  test("the committed environments satisfy Argo CD's rules", () => {
    for (const c of [dev, staging, prod]) expect(addonConfigProblems(c)).toEqual([]);
  });

  test("fails when redis-ha is asked for with fewer than three system nodes", () => {
    expect(messages((c) => (c.cluster.nodeGroups[0].minSize = 2))).toMatch(/delivery\.argocd\.redis\.ha: got true; allowed: false, or system node groups with at least 3 nodes between them \(minSize adds up to 2\)/);
  });

  test("fails when redis-ha spreads across zones in fewer than three", () => {
    expect(messages((c) => (c.network.azCount = 2))).toMatch(/delivery\.argocd\.redis\.ha: got true; allowed: false, or network\.azCount of at least 3/);
  });

  test("fails on a project for a team the environment does not have", () => {
    expect(messages((c) => (c.delivery.argocd.projects.paymnets = { sourceRepos: [] }))).toMatch(/delivery\.argocd\.projects\.paymnets: got "paymnets"; allowed: a team of security\.namespaces\.teams: payments/);
  });

  test("fails on an Argo CD component whose memory request exceeds its limit", () => {
    expect(messages((c) => (c.delivery.argocd.server.resources.requests.memory = "4Gi"))).toMatch(/delivery\.argocd\.server\.resources\.requests\.memory: got "4Gi"; allowed: at most limits\.memory/);
  });

  test.each([
    ["an unknown delivery mode", (c: any) => (c.delivery.mode = "flux"), /environment "prod": delivery\.mode: got "flux"; allowed: one of "helm", "gitops"/],
    ["a wildcard source repository", (c: any) => (c.delivery.argocd.projects.payments.sourceRepos = ["https://github.com/*"]), /delivery\.argocd\.projects\.payments\.sourceRepos\[0\]: got "https:\/\/github\.com\/\*"; allowed: a Git repository URL/],
    ["a local admin without a reason", (c: any) => (c.delivery.argocd.localAdmin = { reason: "", passwordHashPath: "argocd/admin" }), /delivery\.argocd\.localAdmin\.reason: .*why this environment keeps a local admin/],
    ["a root path climbing out of the repository", (c: any) => (c.delivery.argocd.rootApplication.path = "envs/../secrets"), /delivery\.argocd\.rootApplication\.path: got "envs\/\.\.\/secrets"/],
  ])("the schema refuses %s with one line naming the field", (_n, mutate, message) => {
    const copy = structuredClone(prod) as any;
    mutate(copy);
    expect(() => loadEnvironments(["prod"], [copy])).toThrow(message);
  });

  test("fails on SSO without an https issuer, at the section's path", () => {
    expect(messages((c) => (c.delivery.argocd.sso.issuer = "http://login.example.com"))).toMatch(/delivery\.argocd\.sso\.issuer: got "http:\/\/login\.example\.com"/);
  });
});

describe("the add-on's resources", () => {
  const manifestsOf = (stack: TerraformStack) => {
    const json = JSON.parse(Testing.synth(stack));
    return Object.values(json.resource?.kubernetes_manifest ?? {}).map((m: any) => m.manifest) as Array<Record<string, any>>;
  };

  test("a kept local admin's hash is merged into argocd-secret from Secrets Manager; the SSO secret is labelled for Argo CD", () => {
    const config = structuredClone(dev) as any;
    config.delivery.argocd.localAdmin = { reason: "break-glass login while the identity provider is being migrated", passwordHashPath: "argocd/admin" };
    const { stacks } = buildEnvironmentWithAddons(Testing.app(), config as EnvironmentConfig);
    const manifests = manifestsOf(stacks["platform-resources"]);
    const admin = manifests.find((m) => m.kind === "ExternalSecret" && m.metadata.name === "argocd-secret")!;
    expect(admin.spec.target).toEqual({ name: "argocd-secret", creationPolicy: "Merge", deletionPolicy: "Retain" });
    expect(admin.spec.dataFrom).toEqual([{ extract: { key: "sre-platform/dev/argocd/admin" } }]);
    const sso = manifests.find((m) => m.kind === "ExternalSecret" && m.metadata.name === ARGOCD_SSO_SECRET)!;
    expect(sso.metadata.labels).toEqual({ "app.kubernetes.io/part-of": "argocd" });
    const values = parse((Object.values(JSON.parse(Testing.synth(stacks.platform)).resource.helm_release) as any[]).find((r) => r.name === "argocd").values[0]);
    expect(values.configs.cm["admin.enabled"]).toBe(true);
    // No bcrypt() and no hash in any Terraform document.
    expect(Testing.synth(stacks.platform) + Testing.synth(stacks["platform-resources"])).not.toMatch(/bcrypt|admin\.password"/);
  });

  test("each team's AppProject and the root app are built in platform-resources; a wildcard repository is refused", () => {
    const { stacks } = buildEnvironmentWithAddons(Testing.app(), prod);
    const manifests = manifestsOf(stacks["platform-resources"]);
    const payments = manifests.find((m) => m.kind === "AppProject" && m.metadata.name === "payments")!;
    expect(payments.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "payments" }]);
    expect(payments.spec.clusterResourceWhitelist).toEqual([]);
    const root = manifests.find((m) => m.kind === "Application" && m.metadata.name === "prod-root")!;
    expect(root.spec.syncPolicy).toEqual({ syncOptions: ["RespectIgnoreDifferences=true"] });
    expect(root.spec.ignoreDifferences).toEqual([{ group: "networking.istio.io", kind: "VirtualService", jqPathExpressions: [".spec.http[].route[].weight"] }]);
    const argoCd = new ArgoCd(new TerraformStack(Testing.app(), "argo"), "ArgoCd", { cluster: fakeCluster() });
    const other = new TerraformStack(argoCd.node.scope!.node.scope!, "projects");
    expect(() => new ArgoCdProjects(other, "Bad", { argoCd, teams: [{ team: "payments", namespaces: ["payments"], sourceRepos: ["https://github.com/*"] }] })).toThrow(/teams\[0\]\.sourceRepos\[0\]: got "https:\/\/github\.com\/\*"; allowed: a Git repository URL/);
  });
});
