/**
 * Labels the platform itself defines, shared by the environments (which put them on node groups) and the
 * stacks (which place controllers by them).
 */

/** Node label naming a node group's role: `system` for cluster-critical controllers, `workloads` for the rest. */
export const NODE_ROLE_LABEL = "sre-platform.io/node-role";

/** Values of {@link NODE_ROLE_LABEL}. */
export const NODE_ROLES = { system: "system", workloads: "workloads" } as const;

/** The labels of a node group with the given role, for environment files. */
export function nodeRoleLabels(role: keyof typeof NODE_ROLES): Record<string, string> {
  return { [NODE_ROLE_LABEL]: NODE_ROLES[role] };
}
