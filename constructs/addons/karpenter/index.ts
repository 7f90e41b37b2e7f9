export { Karpenter, KARPENTER_DEFAULTS, KARPENTER_SERVICE_ACCOUNT, KARPENTER_INTERRUPTION_EVENTS, validateKarpenterProps } from "./karpenter";
export type { KarpenterProps } from "./karpenter";
export { karpenterControllerStatements } from "./karpenter-policy";
export type { KarpenterPolicyScope } from "./karpenter-policy";
export { KarpenterNodePool, validateKarpenterNodePoolProps } from "./karpenter-node-pool";
export type { KarpenterNodePoolProps, KarpenterDisruption, KarpenterDisruptionBudget, KarpenterTaint } from "./karpenter-node-pool";
