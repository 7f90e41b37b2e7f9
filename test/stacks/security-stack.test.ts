/**
 * The security layer from configuration: runtime detection on by default in every environment, each named opt-out
 * flag doing exactly what it says and nothing else; and certificates from AWS Private CA (no committed environment
 * uses it: prod and staging use Let's Encrypt), so the third issuer path is proved end to end.
 */
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { SecurityStack } from "../../stacks/security-stack";
import type { PlatformResourcesStack } from "../../stacks/platform-resources-stack";
import { fakeCluster } from "../support/fakes";
import { prod } from "../../environments/prod";
import { validateEnvironments } from "../../lib/config/validate-environment";
import { buildEnvironment } from "../../stacks/environment-stacks";
import { EnvironmentAddons } from "../../stacks/addon-layer";

const LOWER = { nodeRoleArn: "arn:aws:iam::111111111111:role/nodes", nodeRoleName: "nodes", volumeKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k" };

type Json = Record<string, any>;

function synth(config: EnvironmentConfig): { stack: SecurityStack; tf: Json } {
  const app = Testing.app();
  const before = new TerraformStack(app, `${config.name}-platform-resources`) as unknown as PlatformResourcesStack;
  const subnets = { controlPlaneCidrs: ["10.0.216.0/22"], nodeCidrs: ["10.0.0.0/19"], vpcCidrs: ["10.0.0.0/16"], endpointCidrs: ["10.0.0.0/19"] };
  const addons = new EnvironmentAddons(config, LOWER);
  const stack = new SecurityStack(app, config, { cluster: fakeCluster(), platformResources: before, addons, subnets });
  return { stack, tf: JSON.parse(Testing.synth(stack)) };
}

const releases = (tf: Json) => Object.values(tf.resource?.helm_release ?? {}) as Json[];
/** The layer also holds the mesh: Falco's objects are picked by what they are. */
const falcoReleases = (tf: Json) => releases(tf).filter((r) => r.chart === "falco" || r.chart === "falcosidekick");
const otherReleases = (tf: Json) => releases(tf).filter((r) => !falcoReleases(tf).includes(r));
const namespaces = (tf: Json) => Object.values(tf.resource?.kubernetes_namespace_v1 ?? {}) as Json[];
const falcoNamespaces = (tf: Json) => namespaces(tf).filter((n) => n.metadata.name === "falco");
const falcoValues = (tf: Json) => parse(releases(tf).find((r) => r.chart === "falco")!.values[0]);
const withOptOut = (config: EnvironmentConfig, optOut: EnvironmentConfig["security"]["falco"]["optOut"]): EnvironmentConfig => {
  const copy = structuredClone(config);
  copy.security.falco.optOut = optOut;
  return copy;
};
const REASON = { reason: "a reason long enough to be on record in review" };

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s security layer", (_env, config) => {
  const { tf } = synth(config);

  test("installs Falco into its own privileged namespace, with falcosidekick forwarding at the configured priority", () => {
    const [ns] = falcoNamespaces(tf);
    expect(ns!.metadata.name).toBe("falco");
    expect(ns!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(config.security.falco.podSecurity.level);
    expect(ns!.metadata.annotations["sre-platform.io/pod-security-reason"]).toBe(config.security.falco.podSecurity.reason);
    const [release] = falcoReleases(tf);
    expect(release).toMatchObject({ chart: "falco", namespace: "falco", create_namespace: false });
    // The namespace baseline's namespace: default-deny, quota and limits come with it.
    const [nsId] = Object.entries(tf.resource.kubernetes_namespace_v1).find(([, n]) => (n as Json).metadata.name === "falco")!;
    expect(nsId).toMatch(/^NamespaceBaseline_falco_Namespace_/);
    expect(release!.depends_on).toEqual([`kubernetes_namespace_v1.${nsId}`]);
    const values = falcoValues(tf);
    expect(values.falcosidekick.enabled).toBe(true);
    expect(values.falcosidekick.config.alertmanager.minimumpriority).toBe(config.security.falco.alertForwarding.minimumPriority.toLowerCase());
    expect(values.falcosidekick.replicaCount).toBe(config.security.falco.alertForwarding.replicas);
    // The chart's own 1000m CPU limit is removed (null), the rest is the environment's.
    expect(values.resources).toEqual({ ...config.security.falco.resources, limits: { ...config.security.falco.resources.limits, cpu: null } });
  });

  test("optOut.runtimeDetection installs neither Falco nor its namespace, and nothing else changes", () => {
    const { tf: off, stack } = synth(withOptOut(config, { runtimeDetection: REASON }));
    expect(stack.falco).toBeUndefined();
    expect(falcoReleases(off)).toEqual([]);
    expect(falcoNamespaces(off)).toEqual([]);
    expect(otherReleases(off)).toEqual(otherReleases(tf));
    expect(namespaces(off)).toEqual(namespaces(tf).filter((n) => n.metadata.name !== "falco"));
    // Every resource that is neither Falco's nor its namespace's baseline stays as it was.
    const notFalcos = (t: Json) =>
      Object.entries(t.resource ?? {}).flatMap(([type, byId]) => Object.keys(byId as Json).filter((id) => !/^(Falco_|NamespaceBaseline_falco_)/.test(id)).map((id) => `${type}.${id}`));
    expect(notFalcos(off)).toEqual(notFalcos(tf));
    expect(off.provider).toEqual(tf.provider);
  });

  test("optOut.alertForwarding drops falcosidekick only: Falco, its rules and its namespace stay", () => {
    const { tf: off } = synth(withOptOut(config, { alertForwarding: REASON }));
    const on = falcoValues(tf);
    const values = falcoValues(off);
    expect(values.falcosidekick).toEqual({ enabled: false });
    expect({ ...values, falcosidekick: undefined }).toEqual({ ...on, falcosidekick: undefined });
    expect(off.resource.kubernetes_namespace_v1).toEqual(tf.resource.kubernetes_namespace_v1);
    expect(otherReleases(off)).toEqual(otherReleases(tf));
    expect(off.resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
  });
});

const CA = "arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("security layers with AWS Private CA", () => {
  const input = structuredClone(prod) as Json;
  input.security.certManager.issuer = { type: "awsPrivateCA", certificateAuthorityArn: CA };
  const [config] = validateEnvironments([input]);
  const stacks = buildEnvironment(Testing.app(), config!);
  const security = JSON.parse(Testing.synth(stacks.security)) as Json;
  const resources = JSON.parse(Testing.synth(stacks["security-resources"])) as Json;

  test("the issuer chart is installed after cert-manager, with its own role; cert-manager gets none", () => {
    const releases = (Object.values(security.resource.helm_release as Json) as Json[]).filter((r) => r.namespace === "cert-manager");
    expect(releases.map((r) => r.chart).sort()).toEqual(["aws-privateca-issuer", "cert-manager"]);
    const roles = (Object.values(security.resource.aws_iam_role) as Json[]).map((r) => String(r.description)).filter((d) => d.includes(" cert-manager/"));
    expect(roles).toEqual(["IRSA role of cert-manager/aws-privateca-issuer"]);
    const pca = releases.find((r) => r.chart === "aws-privateca-issuer")!;
    expect(pca.create_namespace).toBe(false);
    expect(pca.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.CertManager_Helm_Release/)]));
  });

  test("the platform issuer is an AWSPCAClusterIssuer for the configured CA in its region", () => {
    const manifests = (Object.values(resources.resource.kubernetes_manifest) as Json[]).map((m) => m.manifest).filter((m) => /(^|\.)cert-manager\.io\//.test(m.apiVersion));
    expect(manifests).toEqual([{ apiVersion: "awspca.cert-manager.io/v1beta1", kind: "AWSPCAClusterIssuer", metadata: { name: "platform" }, spec: { arn: CA, region: "eu-west-1" } }]);
  });
});
