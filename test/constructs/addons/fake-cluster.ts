import type { ICluster } from "../../../constructs/cluster/cluster-types";

/** A plain-object cluster: add-ons consume only `ICluster`, so no EksCluster is needed to test them. */
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

/** Statements of every `aws_iam_policy_document` data source in a synthesized stack. */
export function policyStatements(parsed: { data?: Record<string, Record<string, unknown>> }): Array<Record<string, any>> {
  const docs = Object.values(parsed.data?.aws_iam_policy_document ?? {}) as Array<{ statement?: Array<Record<string, any>> }>;
  return docs.flatMap((d) => d.statement ?? []);
}

/** Top-level keys of a rendered values document that the chart's default values.yaml does not have. */
export function unknownTopLevelKeys(values: Readonly<Record<string, unknown>>, chartKeys: readonly string[]): string[] {
  return Object.keys(values).filter((k) => !chartKeys.includes(k));
}
