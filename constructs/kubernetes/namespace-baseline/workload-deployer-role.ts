import { Construct } from "constructs";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { requireProps } from "../../common/validation";
import { WORKLOAD_DEPLOYER_CLUSTER_ROLE, WORKLOAD_DEPLOYER_RULES } from "../../../lib/security/namespace-baseline";

/** Props of {@link WorkloadDeployerRole}. */
export interface WorkloadDeployerRoleProps {
  /** How Terraform reaches the cluster. */
  readonly access: IClusterAccess;
  /**
   * Labels on the ClusterRole.
   * @default { "app.kubernetes.io/managed-by": "sre-platform" }
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The ClusterRole team deployers get in their own namespaces (RoleBindings made by {@link NamespaceBaseline}, never
 * a ClusterRoleBinding): Deployments, StatefulSets, Jobs, Services, ConfigMaps, HPAs, PDBs, Ingresses; reading pods,
 * their logs and events. Not Secrets, not `pods/exec|attach|portforward`, not RBAC, not the NetworkPolicies,
 * quotas and limits of the baseline: why not `AmazonEKSEditPolicy` is in `WORKLOAD_DEPLOYER_RULES`.
 */
export class WorkloadDeployerRole extends Construct {
  public readonly clusterRole: ClusterRoleV1;
  /** The ClusterRole's name, which team RoleBindings refer to. */
  public readonly roleName = WORKLOAD_DEPLOYER_CLUSTER_ROLE;

  constructor(scope: Construct, id: string, props: WorkloadDeployerRoleProps) {
    super(scope, id);
    requireProps(this, props, { access: "an IClusterAccess (ClusterAccess) whose Kubernetes provider creates the ClusterRole" });
    this.clusterRole = new ClusterRoleV1(this, "ClusterRole", {
      provider: props.access.kubernetesProvider,
      metadata: { name: WORKLOAD_DEPLOYER_CLUSTER_ROLE, labels: { ...(props.labels ?? { "app.kubernetes.io/managed-by": "sre-platform" }) } },
      rule: WORKLOAD_DEPLOYER_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
  }
}
