/** Amazon Managed Service for Prometheus: limits, remote write, rule namespaces, and who pages. Framework-free. */
export * from "./limits";
export * from "./remote-write";
export * from "./rule-namespaces";
export * from "./in-cluster";
