import { App, Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { CertManager } from "../../../../constructs/addons/cert-manager/cert-manager";
import { AwsPrivateCaIssuer, AwsPrivateCaIssuerProps } from "../../../../constructs/addons/cert-manager/aws-privateca-issuer";
import { AWS_PRIVATECA_ISSUER_CHART_KEYS } from "../chart-keys";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";

type Json = Record<string, any>;

const CA = "arn:aws:acm-pca:eu-west-1:444455556666:certificate-authority/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function build(props: Partial<AwsPrivateCaIssuerProps> = {}, app: App = Testing.app()) {
  const stack = new TerraformStack(app, "security");
  const certManager = new CertManager(stack, "CertManager", { cluster: fakeCluster() });
  const issuer = new AwsPrivateCaIssuer(stack, "AwsPrivateCaIssuer", { cluster: fakeCluster(), certManager, certificateAuthorityArn: CA, ...props });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const release = Object.values(tf.resource.helm_release as Json).find((r: Json) => r.chart === "aws-privateca-issuer") as Json;
  return { stack, issuer, tf, release, values: parse(release.values[0]) as Json };
}

describe("AwsPrivateCaIssuer", () => {
  test("pins the chart v1.9.0 in cert-manager's namespace, after cert-manager, and lets cert-manager approve its requests", () => {
    const { tf, release, values, issuer } = build();
    expect(JSON.stringify(tf)).toHaveResourceWithProperties(Release, { chart: "aws-privateca-issuer", repository: "https://cert-manager.github.io/aws-privateca-issuer", version: "v1.9.0", namespace: "cert-manager" });
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.CertManager_Helm_Release/)]));
    expect(values.approverRole).toEqual({ enabled: true, serviceAccountName: "cert-manager", namespace: "cert-manager" });
    expect(issuer.region).toBe("eu-west-1");
    expect(unknownTopLevelKeys(values, AWS_PRIVATECA_ISSUER_CHART_KEYS)).toEqual([]);
  });

  test("its role issues end-entity certificates from the one CA and reads it; nothing else, no wildcard resource", () => {
    const statements = policyStatements(build().tf).filter((s) => !s.actions.some((a: string) => a.startsWith("sts:")));
    expect(statements).toEqual([
      {
        sid: "IssueEndEntityCertificatesFromOneCa",
        actions: ["acm-pca:IssueCertificate"],
        resources: [CA],
        condition: [
          {
            test: "StringEquals",
            variable: "acm-pca:TemplateArn",
            values: [
              "arn:aws:acm-pca:::template/EndEntityCertificate/V1",
              "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1",
              "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1",
              "arn:aws:acm-pca:::template/BlankEndEntityCertificate_APICSRPassthrough/V1",
            ],
          },
        ],
      },
      { sid: "ReadOneCa", actions: ["acm-pca:GetCertificate", "acm-pca:DescribeCertificateAuthority"], resources: [CA] },
    ]);
    // A Certificate with isCA: true would ask for the subordinate-CA template, which the role may not use.
    expect(JSON.stringify(statements)).not.toMatch(/SubordinateCACertificate/);
  });

  test("its pod has the platform's hardened contexts as the image's user, 65532 (the chart sets only runAsUser)", () => {
    const { values } = build();
    expect(values.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
    expect(values.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true,
      runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" },
    });
    // The chart's OS/architecture requirements survive next to the system-node label (Helm replaces lists).
    const expressions = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions.map((e: Json) => e.key);
    expect(expressions).toEqual(["kubernetes.io/os", "kubernetes.io/arch", "eks.amazonaws.com/capacityType"]);
  });

  test("spreads its replicas across zones when asked", () => {
    expect(build().values.topologySpreadConstraints).toEqual([]);
    expect(build({ spreadAcrossZones: true, replicas: 3 }).values.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": "aws-privateca-issuer", "app.kubernetes.io/instance": "aws-privateca-issuer" } } }),
    ]);
  });

  const rules: Array<[string, Partial<AwsPrivateCaIssuerProps>, RegExp]> = [
    ["the CA ARN is an ACM certificate", { certificateAuthorityArn: "arn:aws:acm:eu-west-1:444455556666:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" }, /security\/AwsPrivateCaIssuer: certificateAuthorityArn: got "arn:aws:acm:eu-west-1:[^"]+"; allowed: an AWS Private CA ARN/],
    ["the CA ARN is a wildcard", { certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:444455556666:certificate-authority/*" }, /certificateAuthorityArn: got ".*certificate-authority\/\*"/],
    ["there is no replica", { replicas: 0 }, /replicas: got 0; allowed: a whole number, at least 1/],
    ["it is put in another namespace than cert-manager's", { namespace: "pca" }, /namespace: got "pca"; allowed: cert-manager's namespace, cert-manager/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
