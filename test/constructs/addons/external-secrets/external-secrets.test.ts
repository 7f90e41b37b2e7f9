import { App, Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { EXTERNAL_SECRETS_DEFAULTS, ExternalSecrets, ExternalSecretsProps } from "../../../../constructs/addons/external-secrets/external-secrets";
import { SecretsManagerStore, SyncedSecret, SyncedSecretProps } from "../../../../constructs/addons/external-secrets/secrets-manager-secrets";
import { fakeCluster, policyStatements } from "../fake-cluster";

function operator(props: Partial<ExternalSecretsProps> = {}, app: App = Testing.app()) {
  const stack = new TerraformStack(app, "platform");
  const addon = new ExternalSecrets(stack, "ExternalSecrets", { cluster: fakeCluster(), secretsManagerPrefix: "sre-platform/dev", ...props });
  return { app, stack, addon };
}

function parsed(stack: TerraformStack) {
  return JSON.parse(Testing.synth(stack));
}

/** The operator in one stack, a store and synced secrets in the next, as the platform layers them. */
function withSecrets(secret: Partial<SyncedSecretProps> = {}) {
  const { app, addon } = operator();
  const stack = new TerraformStack(app, "resources");
  const store = new SecretsManagerStore(stack, "Store", { externalSecrets: addon, namespaces: ["monitoring"], region: "eu-west-1" });
  new SyncedSecret(stack, "GrafanaAdmin", { store, namespace: "monitoring", secretName: "grafana-admin", remoteKey: "sre-platform/dev/observability/grafana-admin", ...secret });
  const manifests = Object.values(parsed(stack).resource.kubernetes_manifest) as Array<Record<string, any>>;
  return { stack, byKind: Object.fromEntries(manifests.map((m) => [m.manifest.kind, m])) };
}

describe("ExternalSecrets", () => {
  test("pins the external-secrets chart, installs its CRDs, two replicas with a disruption budget", () => {
    const { stack } = operator();
    const tf = parsed(stack);
    expect(JSON.stringify(tf)).toHaveResourceWithProperties(Release, { chart: "external-secrets", version: "2.6.0", repository: "https://charts.external-secrets.io", namespace: "external-secrets" });
    expect(EXTERNAL_SECRETS_DEFAULTS.version).toBe("2.6.0");
    const values = parse((Object.values(tf.resource.helm_release)[0] as { values: string[] }).values[0]!);
    expect(values.installCRDs).toBe(true);
    expect(values.replicaCount).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.serviceAccount.name).toBe("external-secrets");
  });

  test("its IRSA role reads only the environment's Secrets Manager prefix", () => {
    // The trust policy (sts:AssumeRoleWithWebIdentity) aside, the role may do exactly this.
    const statements = policyStatements(parsed(operator().stack)).filter((s) => !s.actions.some((a: string) => a.startsWith("sts:")));
    expect(statements).toEqual([
      expect.objectContaining({
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        resources: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:sre-platform/dev/*"],
      }),
    ]);
  });

  test("the store reads Secrets Manager in the region, as the operator, for the namespaces named only", () => {
    const { byKind, stack } = withSecrets();
    expect(byKind.ClusterSecretStore.manifest.spec).toEqual({ provider: { aws: { service: "SecretsManager", region: "eu-west-1" } }, conditions: [{ namespaces: ["monitoring"] }] });
    expect(byKind.ClusterSecretStore.wait).toEqual({ condition: [{ type: "Ready", status: "True" }] });
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["platform"]);
  });

  test("a synced secret extracts one Secrets Manager secret into a Secret and waits until it exists; no value is in the JSON", () => {
    const { byKind, stack } = withSecrets();
    const es = byKind.ExternalSecret;
    expect(es.manifest.spec).toEqual({
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
      target: { name: "grafana-admin", creationPolicy: "Owner", deletionPolicy: "Retain" },
      dataFrom: [{ extract: { key: "sre-platform/dev/observability/grafana-admin" } }],
    });
    expect(es.wait).toEqual({ condition: [{ type: "Ready", status: "True" }] });
    expect(es.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.Store_/)]);
    expect(Testing.synth(stack)).not.toMatch(/"data"\s*:|stringData|password"\s*:\s*"/);
  });

  const rules: Array<[string, () => unknown, RegExp]> = [
    ["the prefix has a wildcard", () => operator({ secretsManagerPrefix: "sre-platform/*" }), /secretsManagerPrefix: got "sre-platform\/\*"; allowed: a Secrets Manager path/],
    ["the prefix ends with a slash", () => operator({ secretsManagerPrefix: "sre-platform/" }), /secretsManagerPrefix: got "sre-platform\/"/],
    ["the replica count is zero", () => operator({ replicas: 0 }), /replicas: got 0/],
    ["a synced secret reads outside the prefix", () => withSecrets({ remoteKey: "other-team/grafana-admin" }), /remoteKey: got "other-team\/grafana-admin"; allowed: a secret under sre-platform\/dev\//],
    ["a synced secret is in a namespace the store refuses", () => withSecrets({ namespace: "default" }), /namespace: got "default"; allowed: a namespace the store allows: monitoring/],
    ["a synced secret name is invalid", () => withSecrets({ secretName: "Grafana Admin" }), /secretName: got "Grafana Admin"/],
  ];
  test.each(rules)("fails when %s", (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test("fails when a store allows no namespace", () => {
    const { app, addon } = operator();
    const stack = new TerraformStack(app, "resources");
    expect(() => new SecretsManagerStore(stack, "Store", { externalSecrets: addon, namespaces: [] })).toThrow(/^resources\/Store: namespaces: got \[\]; allowed: at least one namespace/);
  });

  test("fails when the store is built in the operator's own stack", () => {
    const { stack, addon } = operator();
    expect(() => new SecretsManagerStore(stack, "Store", { externalSecrets: addon, namespaces: ["monitoring"] })).toThrow(/installedBy: got "platform\/ExternalSecrets"; allowed: a release in an earlier stack/);
  });
});
