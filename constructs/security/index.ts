/** Zero-trust objects the platform applies through Terraform: admission policy. */
export * from "./admission-policies";
