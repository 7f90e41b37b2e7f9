export { Litmus, LITMUS_DEFAULTS, LITMUS_CHART_VERSION, LITMUS_NAMESPACE, LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG, LITMUS_DEFAULT_RESOURCES, validateLitmusProps } from "./litmus";
export type { LitmusProps } from "./litmus";
export { ChaosExperiments, CHAOS_NAMESPACE, GO_RUNNER_UID, chaosServiceAccountName, chaosExperimentManifest, chaosEngineManifest, validateChaosExperimentsProps } from "./chaos-experiments";
export type { ChaosExperimentsProps, ChaosTarget, ChaosManifest } from "./chaos-experiments";
export { ChaosSchedule, KUBECTL_IMAGE, CHAOS_SCHEDULER_NAME, validateChaosScheduleProps } from "./chaos-schedule";
export type { ChaosScheduleProps, ChaosScheduleEntry } from "./chaos-schedule";
