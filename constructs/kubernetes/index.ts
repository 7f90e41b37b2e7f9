/** Kubernetes objects the platform applies through Terraform; custom resources come after their CRDs. */
export * from "./custom-resource";
