export { Litmus, LITMUS_DEFAULTS, LITMUS_CHART_VERSION, LITMUS_NAMESPACE, LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG, LITMUS_DEFAULT_RESOURCES, validateLitmusProps } from "./litmus";
export type { LitmusProps } from "./litmus";
