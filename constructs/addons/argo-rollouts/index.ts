export {
  ArgoRollouts, ARGO_ROLLOUTS_DEFAULTS, ARGO_ROLLOUTS_CHART_VERSION, ARGO_ROLLOUTS_NAMESPACE, ARGO_ROLLOUTS_IMAGE_REGISTRY, ARGO_ROLLOUTS_IMAGE_TAG,
  ARGO_ROLLOUTS_DEFAULT_RESOURCES, ARGO_ROLLOUTS_CONTROLLER_LABELS, validateArgoRolloutsProps,
} from "./argo-rollouts";
export type { ArgoRolloutsProps } from "./argo-rollouts";
export { CanaryAnalysis } from "./canary-analysis";
export type { CanaryAnalysisProps } from "./canary-analysis";
