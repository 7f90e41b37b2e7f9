export { NodeAutoscaling, NODE_AUTOSCALER_KINDS, validateNodeAutoscalingProps } from "./node-autoscaling";
export type { NodeAutoscalerKind, NodeAutoscalingProps } from "./node-autoscaling";
