export * from "./environment-schema";
export * from "./validate-environment";
export * from "./state-bucket-policy";
export * from "./cross-environment";
export * from "./bootstrap-policies";
export * from "./cost-schema";
export * from "./validate-cost";
export * from "./backup-schema";
