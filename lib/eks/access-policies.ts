/**
 * The EKS access policies the platform grants, by the short name configuration uses. Cluster-admin goes to
 * the CI deploy role and the break-glass role only; people get `view`, `edit` or `admin`, for the whole
 * cluster or for named namespaces (CIS EKS 4.1.1: minimise cluster-admin).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export const EKS_ACCESS_POLICIES = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
} as const;

/** A short access policy name. */
export type EksAccessPolicyName = keyof typeof EKS_ACCESS_POLICIES;

/** Access policies people may hold (everything but cluster-admin). */
export const PEOPLE_ACCESS_POLICIES = ["view", "edit", "admin"] as const satisfies readonly EksAccessPolicyName[];

/** Kubernetes groups EKS reserves: an access entry may not map a principal into one of these. */
export const EKS_RESERVED_GROUP = /^(system|eks|amazon|aws|iam):/;

/** What {@link EKS_RESERVED_GROUP} allows, for messages. */
export const EKS_GROUP_RULE = "a Kubernetes group not starting with system:, eks:, amazon:, aws: or iam: (EKS reserves them)";
