import { Testing, TerraformStack } from "cdktf";
import { ClusterAccess, validateClusterAccessProps } from "../../../constructs/cluster/cluster-access";
import { fakeCluster } from "../../support/fakes";

function synth(props: Partial<ConstructorParameters<typeof ClusterAccess>[2]> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), ...props });
  return { access, parsed: JSON.parse(Testing.synth(stack)) };
}

describe("ClusterAccess", () => {
  test("configures both providers from the cluster's endpoint and CA, with a token for the given role", () => {
    const role = "arn:aws:iam::111122223333:role/platform-deploy";
    const { parsed } = synth({ roleArn: role });
    const k8s = parsed.provider.kubernetes[0];
    const helm = parsed.provider.helm[0];
    const cluster = fakeCluster();
    expect(k8s.host).toBe(cluster.clusterEndpoint);
    expect(k8s.cluster_ca_certificate).toBe(`\${base64decode("${cluster.clusterCertificateAuthorityData}")}`);
    expect(k8s.exec[0].command).toBe("aws");
    expect(k8s.exec[0].args).toEqual(["eks", "get-token", "--cluster-name", "test", "--region", "eu-west-1", "--role-arn", role, "--output", "json"]);
    expect(helm.kubernetes.host).toBe(cluster.clusterEndpoint);
    expect(helm.kubernetes.exec.args).toEqual(k8s.exec[0].args);
  });

  test("without a role the token is the deploying identity's own; the region comes from the cluster ARN", () => {
    const { parsed, access } = synth();
    expect(parsed.provider.kubernetes[0].exec[0].args).not.toContain("--role-arn");
    expect(access.region).toBe("eu-west-1");
  });

  test("an explicit region wins over the ARN's", () => {
    const { parsed } = synth({ region: "us-east-2" });
    expect(parsed.provider.kubernetes[0].exec[0].args).toEqual(expect.arrayContaining(["--region", "us-east-2"]));
  });

  test("an alias names both providers, for a stack that reaches two clusters", () => {
    const { parsed } = synth({ alias: "team_b" });
    expect(parsed.provider.kubernetes[0].alias).toBe("team_b");
    expect(parsed.provider.helm[0].alias).toBe("team_b");
  });

  test("fails when roleArn is not a role ARN", () => {
    expect(() => synth({ roleArn: "platform-deploy" })).toThrow(/roleArn: got "platform-deploy"; allowed: an IAM role ARN/);
  });

  test("fails when the alias is not a Terraform alias", () => {
    expect(validateClusterAccessProps({ cluster: fakeCluster(), alias: "team b" })).toEqual([expect.objectContaining({ path: "alias" })]);
  });

  test("fails when the cluster is missing (plain JavaScript callers)", () => {
    expect(validateClusterAccessProps({} as never)).toEqual([expect.objectContaining({ path: "cluster" })]);
  });
});
