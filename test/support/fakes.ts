import type { ICluster } from "../../constructs/cluster/cluster-types";
import type { INetwork } from "../../constructs/network/network-types";

/** A plain-object VPC: constructs consume only `INetwork`, so no Network is needed to test them. */
export function fakeNetwork(overrides: Partial<INetwork> = {}): INetwork {
  return {
    vpcId: "vpc-0123456789abcdef0",
    vpcCidrBlock: "10.20.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
    intraSubnetIds: ["subnet-intra-a", "subnet-intra-b", "subnet-intra-c"],
    ...overrides,
  };
}

/** A plain-object cluster: add-ons and storage consume only `ICluster`, so no EksCluster is needed to test them. */
export function fakeCluster(overrides: Partial<ICluster> = {}): ICluster {
  return {
    clusterName: "test",
    clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/test",
    clusterEndpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "Q0E=",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF",
    oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF",
    kubernetesVersion: "1.33",
    ...overrides,
  };
}
