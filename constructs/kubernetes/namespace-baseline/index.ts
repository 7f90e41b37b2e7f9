export * from "./namespace-baseline";
export * from "./namespace-baseline-types";
// Built by NamespaceBaseline only; the type is what callers read from `baseline.namespaces[name]`.
export type { BaselinedNamespace, BaselineContext } from "./baselined-namespace";
export * from "./workload-deployer-role";
