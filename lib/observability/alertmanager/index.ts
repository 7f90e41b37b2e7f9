/**
 * Alertmanager configuration from typed per-environment alert routing (P0–P4 tiers). Framework-free.
 * `buildAlertmanagerConfig(config)` → object; `emitAlertmanagerYaml(object)` → the file.
 */
export * from "./model";
export type * from "./types";
export { validateAlertRouting, durationSeconds, isTimeZone, alertmanagerSecretProblems, mountedSecretDirs } from "./validate";
export type { SecretProblemsOptions } from "./validate";
export {
  buildAlertmanagerConfig, emitAlertmanagerYaml, requiredAlertmanagerRetention, resolveTierTiming, secretFile, AlertRoutingError, ALERTMANAGER_HEADER,
} from "./generate";
export type { AlertmanagerBuildOptions, PriorityDialect } from "./generate";
