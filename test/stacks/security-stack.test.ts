/**
 * The security layers built from an environment whose certificates come from AWS Private CA (no committed
 * environment does: prod and staging use Let's Encrypt), so the third issuer path is proved end to end.
 */
import { Testing } from "cdktf";
import { prod } from "../../environments/prod";
import { validateEnvironments } from "../../lib/config/validate-environment";
import { buildEnvironment } from "../../stacks/environment-stacks";

type Json = Record<string, any>;

const CA = "arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("security layers with AWS Private CA", () => {
  const input = structuredClone(prod) as Json;
  input.security.certManager.issuer = { type: "awsPrivateCA", certificateAuthorityArn: CA };
  const [config] = validateEnvironments([input]);
  const stacks = buildEnvironment(Testing.app(), config!);
  const security = JSON.parse(Testing.synth(stacks.security)) as Json;
  const resources = JSON.parse(Testing.synth(stacks["security-resources"])) as Json;

  test("the issuer chart is installed after cert-manager, with its own role; cert-manager gets none", () => {
    const releases = Object.values(security.resource.helm_release as Json) as Json[];
    expect(releases.map((r) => r.chart).sort()).toEqual(["aws-privateca-issuer", "cert-manager"]);
    const roles = (Object.values(security.resource.aws_iam_role) as Json[]).map((r) => r.description);
    expect(roles).toEqual(["IRSA role of cert-manager/aws-privateca-issuer"]);
    const pca = releases.find((r) => r.chart === "aws-privateca-issuer")!;
    expect(pca.create_namespace).toBe(false);
    expect(pca.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.CertManager_Helm_Release/)]));
  });

  test("the platform issuer is an AWSPCAClusterIssuer for the configured CA in its region", () => {
    const manifests = (Object.values(resources.resource.kubernetes_manifest) as Json[]).map((m) => m.manifest);
    expect(manifests).toEqual([{ apiVersion: "awspca.cert-manager.io/v1beta1", kind: "AWSPCAClusterIssuer", metadata: { name: "platform" }, spec: { arn: CA, region: "eu-west-1" } }]);
  });
});
