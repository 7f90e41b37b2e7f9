// Add-ons installed into a cluster, each on the HelmAddon base (../common/helm-addon) or the Kubernetes provider.
export * from "./addon-types";
export { MetricsServer, METRICS_SERVER_DEFAULTS, validateMetricsServerProps } from "./metrics-server";
export type { MetricsServerProps } from "./metrics-server";
export { Karpenter, KARPENTER_DEFAULTS, KARPENTER_SERVICE_ACCOUNT, KARPENTER_INTERRUPTION_EVENTS, validateKarpenterProps } from "./karpenter";
export type { KarpenterProps } from "./karpenter";
export { karpenterControllerStatements } from "./karpenter-policy";
export type { KarpenterPolicyScope } from "./karpenter-policy";
export {
  ClusterAutoscaler,
  CLUSTER_AUTOSCALER_DEFAULTS,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerStatements,
  validateClusterAutoscalerProps,
} from "./cluster-autoscaler";
export type { ClusterAutoscalerProps } from "./cluster-autoscaler";
export { NodeAutoscaling, NODE_AUTOSCALER_KINDS, validateNodeAutoscalingProps } from "./node-autoscaling";
export type { NodeAutoscalerKind, NodeAutoscalingProps } from "./node-autoscaling";
export { StorageClasses, DEFAULT_CLASS_ANNOTATION, validateStorageClassesProps } from "./storage-classes";
export type { EfsStorageClassOptions, Gp3StorageClassOptions, ReclaimPolicy, StorageClassesProps } from "./storage-classes";
