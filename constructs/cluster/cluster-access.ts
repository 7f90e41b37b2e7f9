import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";
import { arnContext } from "../common/cluster-arn";
import { isUnresolved, throwIfProblems, ValidationProblem } from "../common/validation";
import type { ICluster } from "./cluster-types";

/**
 * How Terraform reaches a cluster's Kubernetes API: the one thing every add-on, storage class and custom
 * resource is handed, instead of a provider prop each. {@link ClusterAccess} builds it; a stack that
 * already configures its own providers can pass them as a plain object.
 */
export interface IClusterAccess {
  /** The cluster these providers talk to. Add-ons check that it is the cluster they were given. */
  readonly cluster: ICluster;
  /** Provider for `kubernetes_*` resources (core kinds and custom resources). */
  readonly kubernetesProvider: TerraformProvider;
  /** Provider for `helm_release`. */
  readonly helmProvider: TerraformProvider;
}

/** Props of {@link ClusterAccess}. */
export interface ClusterAccessProps {
  /** The cluster to reach; usually another stack's `EksCluster` or `EksCluster.fromClusterAttributes()`. */
  readonly cluster: ICluster;
  /**
   * Role to assume for the token (`aws eks get-token --role-arn`). It needs an EKS access entry on the
   * cluster with a policy that can create what the stack deploys (e.g. `AmazonEKSClusterAdminPolicy`
   * for the platform, or a namespace-scoped `AmazonEKSEditPolicy` for a team).
   * @default - the deploying identity's own credentials, which then need that access entry themselves
   */
  readonly roleArn?: string;
  /**
   * AWS region of the cluster.
   * @default - the region in the cluster's ARN
   */
  readonly region?: string;
  /**
   * Provider alias, for a stack that reaches more than one cluster.
   * @default - no alias: the stack's default Kubernetes and Helm providers
   */
  readonly alias?: string;
}

/**
 * Kubernetes and Helm providers configured from a cluster's outputs: endpoint, CA and a short-lived token
 * from `aws eks get-token` (the AWS CLI must be on the deploying machine's path). Because the values are
 * cross-stack references, Terraform configures these providers only after the cluster exists.
 *
 * The cluster grants its creator nothing (API authentication mode, access entries only): the identity
 * behind the token, `roleArn` or the caller's own, needs an access entry.
 */
export class ClusterAccess extends Construct implements IClusterAccess {
  public readonly cluster: ICluster;
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** The role the token is issued for, when one is assumed. */
  public readonly roleArn?: string;
  public readonly region: string;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    throwIfProblems(this.node.path, validateClusterAccessProps(props));
    this.cluster = props.cluster;
    this.roleArn = props.roleArn;
    this.region = props.region ?? arnContext(props.cluster.clusterArn).region;
    const args = ["eks", "get-token", "--cluster-name", props.cluster.clusterName, "--region", this.region];
    if (props.roleArn !== undefined) args.push("--role-arn", props.roleArn);
    args.push("--output", "json");
    const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args };
    const endpoint = {
      host: props.cluster.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(props.cluster.clusterCertificateAuthorityData),
    };
    this.kubernetesProvider = new KubernetesProvider(this, "Kubernetes", { ...endpoint, exec: [exec], alias: props.alias });
    this.helmProvider = new HelmProvider(this, "Helm", { kubernetes: { ...endpoint, exec }, alias: props.alias });
  }
}

/** Checks {@link ClusterAccessProps}; unresolved tokens pass. */
export function validateClusterAccessProps(props: ClusterAccessProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props?.cluster === undefined) {
    problems.push({ path: "cluster", value: undefined, allowed: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
  }
  if (props?.roleArn !== undefined && !isUnresolved(props.roleArn) && !IAM_ROLE_ARN.test(props.roleArn)) {
    problems.push({ path: "roleArn", value: props.roleArn, allowed: IAM_ROLE_ARN_RULE });
  }
  if (props?.alias !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(props.alias)) {
    problems.push({ path: "alias", value: props.alias, allowed: "a Terraform provider alias: a letter, then letters, digits, '_' and '-'" });
  }
  return problems;
}

/**
 * Problems when an add-on is handed access to another cluster than its own (its IRSA role would trust
 * one cluster's OIDC provider while its release lands in another). Compares the cluster names, which are
 * the same token for the same cluster object.
 */
export function checkAccessMatchesCluster(access: IClusterAccess | undefined, cluster: ICluster | undefined): ValidationProblem[] {
  if (access === undefined || cluster === undefined || access.cluster === cluster) return [];
  if (access.cluster.clusterName === cluster.clusterName) return [];
  return [{ path: "access", value: access.cluster.clusterName, allowed: `access to the add-on's own cluster (${cluster.clusterName})` }];
}
