/** Kubernetes objects the platform applies through Terraform; custom resources come after their CRDs. */
export * from "./custom-resource";
/** The baseline of every namespace: Pod Security, default-deny network policies, quotas, team RBAC. */
export * from "./namespace-baseline";
