export * from "./external-secrets";
export * from "./secrets-manager-secrets";
