/**
 * The CloudWatch Logs groups of a cluster's logs: one home for their names, used by the groups Terraform creates, the
 * KMS key policy that names them, the IAM policy of the shipper and the shipper's outputs, so all four agree.
 * `/aws/eks/<cluster>/cluster` is EKS's own (control-plane logs); these sit beside it.
 */

/** The groups of one cluster. */
export interface PlatformLogGroups {
  /** Every container's stdout and stderr, one stream per namespace, pod and container. */
  readonly containers: string;
  /** The nodes' kubelet and container runtime (their systemd journal), one stream per node and unit. */
  readonly host: string;
}

/** The log group names of `clusterName`. */
export function platformLogGroups(clusterName: string): PlatformLogGroups {
  return { containers: `/aws/eks/${clusterName}/containers`, host: `/aws/eks/${clusterName}/host` };
}
