export {
  ClusterAutoscaler,
  CLUSTER_AUTOSCALER_DEFAULTS,
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  validateClusterAutoscalerProps,
} from "./cluster-autoscaler";
export type { ClusterAutoscalerProps } from "./cluster-autoscaler";
export { clusterAutoscalerStatements } from "./cluster-autoscaler-policy";
