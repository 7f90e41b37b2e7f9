export * from "./kube-prometheus-stack";
export * from "./kube-prometheus-stack-values";
export * from "./monitoring-rbac";
export * from "./capacity-forecasts";
