import { Testing, TerraformStack } from "cdktf";
import { CertManager, CertManagerProps } from "../../../../constructs/addons/cert-manager/cert-manager";
import { AwsPrivateCaIssuer } from "../../../../constructs/addons/cert-manager/aws-privateca-issuer";
import { PlatformIssuer, PlatformIssuerSource } from "../../../../constructs/addons/cert-manager/platform-issuer";
import { fakeCluster } from "../fake-cluster";

type Json = Record<string, any>;

const CA = "arn:aws:acm-pca:eu-west-1:444455556666:certificate-authority/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const ZONE = { zoneId: "Z0123456789ABCDEFGHIJ", domain: "platform.example.com" };

/** cert-manager (and the PCA issuer) in one stack, the issuer in the next, as the security layers are split. */
function build(source: PlatformIssuerSource | "awsPrivateCA", certManagerProps: Partial<CertManagerProps> = {}) {
  const app = Testing.app();
  const security = new TerraformStack(app, "security");
  const certManager = new CertManager(security, "CertManager", { cluster: fakeCluster(), ...certManagerProps });
  const privateCa = source === "awsPrivateCA" ? new AwsPrivateCaIssuer(security, "AwsPrivateCaIssuer", { cluster: fakeCluster(), certManager, certificateAuthorityArn: CA }) : undefined;
  const stack = new TerraformStack(app, "security-resources");
  const issuer = new PlatformIssuer(stack, "PlatformIssuer", { certManager, source: source === "awsPrivateCA" ? { type: "awsPrivateCA", privateCa: privateCa! } : source, region: "eu-west-1" });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const manifests: Json[] = Object.entries(tf.resource.kubernetes_manifest as Json).map(([address, r]) => ({ address, ...(r as Json) }));
  const byName: Record<string, Json> = Object.fromEntries(manifests.map((m) => [`${m.manifest.kind}/${m.manifest.metadata.name}`, m]));
  return { app, stack, issuer, byName, certManager };
}

describe("PlatformIssuer", () => {
  test("in-cluster CA: a self-signed bootstrap issuer signs a root CA, which backs the 'platform' ClusterIssuer, each waiting for the last", () => {
    const { byName, issuer, stack } = build({ type: "selfSignedCA", commonName: "sre-platform dev CA", validityDays: 365 });
    expect(Object.keys(byName).sort()).toEqual(["Certificate/platform-root-ca", "ClusterIssuer/platform", "ClusterIssuer/selfsigned-bootstrap"]);
    expect(byName["ClusterIssuer/selfsigned-bootstrap"]!.manifest.spec).toEqual({ selfSigned: {} });
    const root = byName["Certificate/platform-root-ca"]!;
    expect(root.manifest.metadata.namespace).toBe("cert-manager");
    expect(root.manifest.spec).toEqual({
      isCA: true,
      commonName: "sre-platform dev CA",
      secretName: "platform-root-ca",
      duration: "8760h",
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "selfsigned-bootstrap" },
    });
    expect(root.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.PlatformIssuer_ClusterIssuer-selfsigned-bootstrap/)]);
    const ca = byName["ClusterIssuer/platform"]!;
    expect(ca.manifest.spec).toEqual({ ca: { secretName: "platform-root-ca" } });
    expect(ca.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.PlatformIssuer_Certificate-platform-root-ca/)]);
    for (const m of Object.values(byName)) expect(m.wait).toEqual({ condition: [{ type: "Ready", status: "True" }] });
    expect(issuer.issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: "platform" });
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["security"]);
  });

  test.each([
    ["production", "https://acme-v02.api.letsencrypt.org/directory"],
    ["staging", "https://acme-staging-v02.api.letsencrypt.org/directory"],
  ] as const)("ACME (%s): Let's Encrypt with one Route 53 DNS-01 solver per zone cert-manager's role may write", (server, url) => {
    const { byName } = build({ type: "acme", server, email: "platform@example.com" }, { route53HostedZones: [ZONE, { zoneId: "Z0KLMNOPQRSTUVWXYZ012", domain: "example.org" }] });
    expect(Object.keys(byName)).toEqual(["ClusterIssuer/platform"]);
    expect(byName["ClusterIssuer/platform"]!.manifest.spec).toEqual({
      acme: {
        server: url,
        email: "platform@example.com",
        privateKeySecretRef: { name: "platform-acme-account" },
        solvers: [
          { selector: { dnsZones: ["platform.example.com"] }, dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789ABCDEFGHIJ" } } },
          { selector: { dnsZones: ["example.org"] }, dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0KLMNOPQRSTUVWXYZ012" } } },
        ],
      },
    });
  });

  test("AWS Private CA: an AWSPCAClusterIssuer named 'platform' for the CA, in the CA's region, after the issuer's chart", () => {
    const { byName, issuer, stack } = build("awsPrivateCA");
    expect(Object.keys(byName)).toEqual(["AWSPCAClusterIssuer/platform"]);
    expect(byName["AWSPCAClusterIssuer/platform"]!.manifest).toEqual({ apiVersion: "awspca.cert-manager.io/v1beta1", kind: "AWSPCAClusterIssuer", metadata: { name: "platform" }, spec: { arn: CA, region: "eu-west-1" } });
    expect(issuer.issuerRef).toEqual({ group: "awspca.cert-manager.io", kind: "AWSPCAClusterIssuer", name: "platform" });
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(["security"]);
  });

  const rules: Array<[string, () => unknown, RegExp]> = [
    ["an ACME issuer has no zone to solve in", () => build({ type: "acme", server: "staging", email: "platform@example.com" }), /security-resources\/PlatformIssuer: certManager\.route53HostedZones: got \[\]; allowed: at least one hosted zone/],
    ["an ACME email is not an address", () => build({ type: "acme", server: "staging", email: "platform" }, { route53HostedZones: [ZONE] }), /source\.email: got "platform"; allowed: an email address/],
    ["an in-cluster CA comes with a DNS role nothing uses", () => build({ type: "selfSignedCA", commonName: "dev CA", validityDays: 365 }, { route53HostedZones: [ZONE] }), /certManager\.route53HostedZones: got \["Z0123456789ABCDEFGHIJ"\]; allowed: none for a selfSignedCA issuer/],
    ["the CA's common name is empty", () => build({ type: "selfSignedCA", commonName: " ", validityDays: 365 }), /source\.commonName: got " "; allowed: 1 to 64 characters/],
    ["the CA is valid for less than 30 days", () => build({ type: "selfSignedCA", commonName: "dev CA", validityDays: 7 }), /source\.validityDays: got 7; allowed: a whole number of days, at least 30/],
    [
      "the issuer is built beside cert-manager",
      () => {
        const stack = new TerraformStack(Testing.app(), "security");
        const certManager = new CertManager(stack, "CertManager", { cluster: fakeCluster() });
        return new PlatformIssuer(stack, "PlatformIssuer", { certManager, source: { type: "selfSignedCA", commonName: "dev CA", validityDays: 365 } });
      },
      /installedBy: got "security\/CertManager"; allowed: a release in an earlier stack/,
    ],
  ];
  test.each(rules)("fails when %s", (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
