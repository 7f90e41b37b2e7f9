import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IAM_ROLE_ARN, roleNameOf, IAM_ROLE_ARN_RULE } from "../../lib/aws/iam";
import { EKS_ACCESS_POLICIES, EKS_GROUP_RULE, EKS_RESERVED_GROUP, EksAccessPolicyName, PEOPLE_ACCESS_POLICIES } from "../../lib/eks/access-policies";
import { constructKey } from "../../lib/naming/construct-key";
import { isDnsLabel } from "../../lib/kubernetes/names";
import { isUnresolved, requireProps, ValidationProblem } from "../common/validation";

/** A person's (or team's) role and what it may do in the cluster. */
export interface ClusterAccessEntry {
  /** IAM role people assume (SSO permission set role, team role). */
  readonly principalArn: string;
  /** EKS access policy: `view`, `edit` or `admin`. Cluster-admin is for the deploy and break-glass roles. */
  readonly accessPolicy: (typeof PEOPLE_ACCESS_POLICIES)[number];
  /**
   * Namespaces the policy applies in.
   * @default - the whole cluster
   */
  readonly namespaces?: readonly string[];
  /**
   * Kubernetes groups the principal is mapped to, for RBAC bindings of the platform's own (a team's deploy role is
   * bound to the workload-deployer ClusterRole in its namespaces through such a group).
   * @default - none: the access policy alone
   */
  readonly kubernetesGroups?: readonly string[];
}

/** Props of {@link ClusterAccessEntries}. */
export interface ClusterAccessEntriesProps {
  /** Pass the cluster resource's `name`, so the entries wait for the cluster. */
  readonly clusterName: string;
  /** AWS partition of the access policy ARNs. */
  readonly partition: string;
  /** CI deploy role: cluster-admin. */
  readonly deployRoleArn: string;
  /** @default - none */
  readonly breakGlassRoleArn?: string;
  /** @default - none */
  readonly accessEntries?: readonly ClusterAccessEntry[];
}

/**
 * EKS access entries of a cluster: cluster-admin for the CI deploy role (`Deploy…`) and the break-glass role
 * (`BreakGlass…`), and scoped policies for people, each keyed by its role's name (`Access-<role>`), so the
 * Terraform address of one never moves when another is added or removed.
 */
export class ClusterAccessEntries extends Construct {
  /** Access entries by construct id. */
  public readonly entries: Record<string, EksAccessEntry> = {};

  constructor(scope: Construct, id: string, props: ClusterAccessEntriesProps) {
    super(scope, id);
    requireProps(this, props, { clusterName: "the cluster resource's name", partition: "the AWS partition, e.g. aws", deployRoleArn: "the IAM role ARN CI and Terraform deploy with" });
    const grant = (key: string, principalArn: string, policy: EksAccessPolicyName, namespaces: readonly string[], groups: readonly string[] = []) => {
      const kubernetesGroups = groups.length > 0 ? [...groups] : undefined;
      const entry = new EksAccessEntry(this, `${key}Entry`, { clusterName: props.clusterName, principalArn, type: "STANDARD", kubernetesGroups });
      new EksAccessPolicyAssociation(this, `${key}Policy`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/${EKS_ACCESS_POLICIES[policy]}`,
        accessScope: namespaces.length > 0 ? { type: "namespace", namespaces: [...namespaces] } : { type: "cluster" },
      });
      this.entries[`${key}Entry`] = entry;
    };
    grant("Deploy", props.deployRoleArn, "cluster-admin", []);
    if (props.breakGlassRoleArn) grant("BreakGlass", props.breakGlassRoleArn, "cluster-admin", []);
    for (const e of props.accessEntries ?? []) grant(accessEntryKey(e.principalArn), e.principalArn, e.accessPolicy, e.namespaces ?? [], e.kubernetesGroups);
  }
}

/** `Access-<role name>`: the stable key of a person's access entry. */
export function accessEntryKey(principalArn: string): string {
  return `Access-${constructKey(roleNameOf(principalArn))}`;
}

/**
 * Checks people's access entries: role ARNs, policies, namespaces, one entry per role, and no entry for the
 * deploy or break-glass role (EKS allows one access entry per principal, and they have theirs).
 */
export function validateAccessEntries(entries: readonly ClusterAccessEntry[], privileged: ReadonlyArray<string | undefined>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const keys = new Set<string>();
  entries.forEach((e, i) => {
    const path = `accessEntries[${i}]`;
    if (isUnresolved(e.principalArn)) {
      problems.push({ path: `${path}.principalArn`, value: e.principalArn, allowed: "a literal role ARN: its role name keys the entry's Terraform address" });
      return;
    }
    if (!IAM_ROLE_ARN.test(e.principalArn)) problems.push({ path: `${path}.principalArn`, value: e.principalArn, allowed: IAM_ROLE_ARN_RULE });
    else if (privileged.includes(e.principalArn)) {
      problems.push({ path: `${path}.principalArn`, value: e.principalArn, allowed: "a role other than the deploy and break-glass roles (they already hold cluster-admin)" });
    } else if (keys.has(accessEntryKey(e.principalArn))) {
      problems.push({ path: `${path}.principalArn`, value: e.principalArn, allowed: "each role name once (the role name keys the entry)" });
    }
    keys.add(accessEntryKey(e.principalArn));
    if (!(PEOPLE_ACCESS_POLICIES as readonly string[]).includes(e.accessPolicy)) {
      problems.push({ path: `${path}.accessPolicy`, value: e.accessPolicy, allowed: `${PEOPLE_ACCESS_POLICIES.join(", ")} (cluster-admin is for the deploy and break-glass roles)` });
    }
    (e.namespaces ?? []).forEach((ns, j) => {
      if (!isDnsLabel(ns)) problems.push({ path: `${path}.namespaces[${j}]`, value: ns, allowed: "a Kubernetes namespace name (RFC 1123 label)" });
    });
    (e.kubernetesGroups ?? []).forEach((group, j) => {
      if (group.trim() === "" || EKS_RESERVED_GROUP.test(group)) {
        problems.push({ path: `${path}.kubernetesGroups[${j}]`, value: group, allowed: EKS_GROUP_RULE });
      }
    });
  });
  return problems;
}
