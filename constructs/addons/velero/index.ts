export * from "./velero";
export * from "./velero-policy";
export * from "./velero-monitoring";
