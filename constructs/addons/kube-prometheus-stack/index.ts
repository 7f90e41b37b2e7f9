export * from "./kube-prometheus-stack";
export * from "./kube-prometheus-stack-values";
export * from "./capacity-forecasts";
