import { Construct } from "constructs";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { requireProps } from "../../common/validation";
import { constructKey } from "../../../lib/naming/construct-key";
import { monitoringRbac, type RbacRule } from "../../../lib/observability/prometheus-operator-rbac";

/** Props of {@link MonitoringRbac}. */
export interface MonitoringRbacProps {
  /** The chart's full name (`kube-prometheus-stack`): the service accounts it creates are named after it. */
  readonly fullname: string;
  /** The release's namespace, where the service accounts live and the operator keeps its Secrets. */
  readonly namespace: string;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/**
 * The monitoring stack's RBAC, built by Terraform instead of the chart (`global.rbac.create: false`): the chart's
 * rules, except that the operator's rights on Secrets and ConfigMaps hold in the release's namespace only
 * (`lib/observability/prometheus-operator-rbac.ts` says why). Each role is keyed by what it is.
 */
export class MonitoringRbac extends Construct {
  public readonly clusterRoles: Readonly<Record<string, ClusterRoleV1>>;
  public readonly roles: Readonly<Record<string, RoleV1>>;
  public readonly bindings: readonly (ClusterRoleBindingV1 | RoleBindingV1)[];

  constructor(scope: Construct, id: string, props: MonitoringRbacProps) {
    super(scope, id);
    requireProps(this, props, {
      fullname: "the chart's full name its service accounts are named after, e.g. kube-prometheus-stack",
      namespace: "the release's namespace, e.g. monitoring",
    });
    const provider = props.access?.kubernetesProvider;
    const labels = { "app.kubernetes.io/managed-by": "sre-platform" };
    const data = monitoringRbac(props.fullname);
    const clusterRoles: Record<string, ClusterRoleV1> = {};
    const roles: Record<string, RoleV1> = {};
    const bindings: (ClusterRoleBindingV1 | RoleBindingV1)[] = [];
    const subject = (serviceAccount: string) => [{ kind: "ServiceAccount", name: serviceAccount, namespace: props.namespace }];
    for (const r of data.clusterRoles) {
      const key = constructKey(r.serviceAccount);
      clusterRoles[r.name] = new ClusterRoleV1(this, `ClusterRole-${key}`, { provider, metadata: { name: r.name, labels }, rule: r.rules.map(ruleOf) });
      bindings.push(
        new ClusterRoleBindingV1(this, `ClusterRoleBinding-${key}`, {
          provider,
          metadata: { name: r.name, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRoles[r.name]!.metadata.name },
          subject: subject(r.serviceAccount),
        }),
      );
    }
    for (const r of data.namespaceRoles) {
      const key = constructKey(r.serviceAccount);
      roles[r.name] = new RoleV1(this, `Role-${key}`, { provider, metadata: { name: r.name, namespace: props.namespace, labels }, rule: r.rules.map(namespacedRuleOf) });
      bindings.push(
        new RoleBindingV1(this, `RoleBinding-${key}`, {
          provider,
          metadata: { name: r.name, namespace: props.namespace, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roles[r.name]!.metadata.name },
          subject: subject(r.serviceAccount),
        }),
      );
    }
    this.clusterRoles = clusterRoles;
    this.roles = roles;
    this.bindings = bindings;
  }
}

function ruleOf(r: RbacRule) {
  return {
    ...(r.apiGroups ? { apiGroups: [...r.apiGroups] } : {}),
    ...(r.resources ? { resources: [...r.resources] } : {}),
    ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    ...(r.nonResourceUrls ? { nonResourceUrls: [...r.nonResourceUrls] } : {}),
    verbs: [...r.verbs],
  };
}

/** A namespaced rule always names its groups and resources (no non-resource URLs). */
function namespacedRuleOf(r: RbacRule) {
  return { apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}), verbs: [...r.verbs] };
}
