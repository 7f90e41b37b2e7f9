/**
 * What add-ons, storage and the platform stack's Kubernetes/Helm providers need to know about an EKS
 * cluster. `EksCluster` implements it; `EksCluster.fromClusterAttributes()` builds one for a cluster that
 * another stack or team owns.
 */
export interface ICluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** HTTPS endpoint of the Kubernetes API server. */
  readonly clusterEndpoint: string;
  /** Base64-encoded certificate authority data of the API server. */
  readonly clusterCertificateAuthorityData: string;
  /** The security group EKS creates for the control plane and managed node groups. */
  readonly clusterSecurityGroupId: string;
  /** ARN of the IAM OIDC provider for IRSA. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster's OIDC provider, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly oidcIssuerUrl: string;
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
}

/** Attributes of an existing cluster, for `EksCluster.fromClusterAttributes()`. */
export interface ClusterAttributes extends ICluster {}
