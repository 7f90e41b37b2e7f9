import type { ValidationProblem } from "../problems";
import { PRIORITIES } from "../observability/priorities";
import { durationSeconds } from "../observability/alertmanager/validate";
import { resolveTierTiming } from "../observability/alertmanager/generate";
import { AMP_MAX_REPEAT_INTERVAL, AMP_MAX_REPEAT_INTERVAL_SECONDS } from "../observability/managed-prometheus/limits";
import type { EnvironmentConfig } from "./environment-schema";

/**
 * Rules between `observability.managedPrometheus` and the rest of the environment: the workspace's alert manager is
 * generated from `alerting` (so it needs one), and it honours no repeat interval beyond five days, so every tier of the
 * shared routing tree must stay within that, or the workspace and the cluster would repeat on different clocks.
 */
export function managedPrometheusProblems(c: EnvironmentConfig): ValidationProblem[] {
  const amp = c.observability.managedPrometheus;
  if (amp === undefined || !amp.enabled) return [];
  if (c.alerting === undefined) {
    return [{ path: "observability.managedPrometheus.enabled", value: true, allowed: "false, or an alerting section: the workspace's alert manager routes the SLO pages by it" }];
  }
  const problems: ValidationProblem[] = [];
  const tiers = resolveTierTiming(c.alerting);
  for (const p of PRIORITIES) {
    const seconds = durationSeconds(tiers[p].repeatInterval);
    if (seconds !== undefined && seconds > AMP_MAX_REPEAT_INTERVAL_SECONDS) {
      const given = c.alerting.tiers?.[p]?.repeatInterval === undefined ? " (the default)" : "";
      problems.push({
        path: `alerting.tiers.${p}.repeatInterval`,
        value: `${tiers[p].repeatInterval}${given}`,
        allowed: `at most ${AMP_MAX_REPEAT_INTERVAL} (and groupInterval with it) while observability.managedPrometheus is on: Amazon Managed Prometheus's alert manager treats a longer repeat_interval as ${AMP_MAX_REPEAT_INTERVAL}`,
      });
    }
  }
  return problems;
}
