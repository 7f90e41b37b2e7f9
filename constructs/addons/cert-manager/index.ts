export * from "./cert-manager";
export * from "./cert-manager-values";
export * from "./route53-solver-policy";
export * from "./aws-privateca-issuer";
export * from "./platform-issuer";
export * from "./cert-manager-monitoring";
