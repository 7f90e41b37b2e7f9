/** EKS refuses node group names longer than 63 characters. */
export const MAX_NODE_GROUP_NAME_LENGTH = 63;
/** Length of the unique suffix Terraform appends to a `*_name_prefix` (a timestamp and a counter). */
export const GENERATED_SUFFIX_LENGTH = 26;
/** Longest `node_group_name_prefix` whose generated names EKS accepts (63 − 26). */
export const MAX_NODE_GROUP_NAME_PREFIX_LENGTH = MAX_NODE_GROUP_NAME_LENGTH - GENERATED_SUFFIX_LENGTH;

/** `<clusterName>-<groupName>-`, the prefix of a managed node group's (and its launch template's) name. */
export function nodeGroupNamePrefix(namePrefix: string, groupName: string): string {
  return `${namePrefix}-${groupName}-`;
}

/** What is wrong with a node group's generated name, or undefined when the prefix fits. */
export function nodeGroupNamePrefixProblem(namePrefix: string, groupName: string): string | undefined {
  const prefix = nodeGroupNamePrefix(namePrefix, groupName);
  if (prefix.length <= MAX_NODE_GROUP_NAME_PREFIX_LENGTH) return undefined;
  return (
    `a name whose node group name prefix "${prefix}" (${prefix.length} characters) is at most ` +
    `${MAX_NODE_GROUP_NAME_PREFIX_LENGTH}: Terraform appends ${GENERATED_SUFFIX_LENGTH} characters and EKS allows ` +
    `${MAX_NODE_GROUP_NAME_LENGTH}; shorten the node group or cluster name`
  );
}
