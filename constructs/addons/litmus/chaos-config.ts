import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import type { ChaosTargetConfig } from "../../../lib/config/chaos-schema";
import type { ValidationProblem } from "../../../lib/problems";
import { SloError } from "../../../lib/slo/model";
import { steadyStateProbes, STEADY_STATE_DEFAULTS, type PromProbe } from "../../../lib/slo/steady-state";
import { ValidationError } from "../../common/validation";
import type { AddonContext } from "../registry/addon-descriptor";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import type { Litmus } from "./litmus";
import { ChaosExperiments, validateChaosExperimentsProps } from "./chaos-experiments";
import { ChaosSchedule } from "./chaos-schedule";

/** What the litmus add-on builds in `observability-resources` where the environment configures targets. */
export interface EnvironmentChaos {
  readonly experiments: ChaosExperiments;
  /** @default - none: no target has a schedule */
  readonly schedule?: ChaosSchedule;
}

/** The environment's chaos targets (`chaos.litmus.targets`). */
export function chaosTargets(config: EnvironmentConfig): readonly ChaosTargetConfig[] {
  return config.chaos.litmus.targets ?? [];
}

/**
 * The rules of `chaos.litmus` beyond its shape, before anything is built: targets in a team's namespace, unique names,
 * node-drain only where allowed. (That each target's service has SLOs is checked against the compiled SLOs when the
 * engines are built, which also stops the synth before anything is written.)
 */
export function chaosConfigProblems(config: EnvironmentConfig): ValidationProblem[] {
  const targets = chaosTargets(config);
  const teamNamespaces = config.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces));
  const problems: ValidationProblem[] = validateChaosExperimentsProps({ targets, allowNodeDrain: config.chaos.litmus.nodeDrain !== undefined }).map((p) => ({ ...p, path: `chaos.litmus.${p.path}` }));
  targets.forEach((t, i) => {
    if (!teamNamespaces.includes(t.namespace)) {
      problems.push({ path: `chaos.litmus.targets[${i}].namespace`, value: t.namespace, allowed: `a team namespace of security.namespaces.teams: ${teamNamespaces.join(", ") || "none"}` });
    }
  });
  return problems;
}

/** The experiments, chaos ServiceAccounts, engines (with their SLO probes) and schedules of the environment. */
export function buildChaos(ctx: AddonContext, litmus: Litmus): EnvironmentChaos {
  const config = ctx.config.chaos.litmus;
  const targets = chaosTargets(ctx.config);
  const prometheusUrl = ctx.require(kubePrometheusStackAddon).prometheusUrl;
  const steady = config.steadyState ?? STEADY_STATE_DEFAULTS;
  const problems: ValidationProblem[] = [];
  const probes = targets.map((t, i): readonly PromProbe[] => {
    if (!("service" in t.steadyState)) return [];
    try {
      return steadyStateProbes(ctx.artifacts.slos?.slos ?? [], t.steadyState.service, { prometheusUrl, budgetFloor: steady.budgetFloor, probeTimeout: steady.probeTimeout, interval: steady.interval });
    } catch (e) {
      if (!(e instanceof SloError)) throw e;
      const known = [...new Set((ctx.artifacts.slos?.slos ?? []).map((s) => s.slo.service))].sort();
      problems.push({
        path: `chaos.litmus.targets[${i}].steadyState.service`,
        value: t.steadyState.service,
        allowed: `a service with SLOs in slo.specs (${known.join(", ") || "none"}), or steadyState.optOut with the reason`,
      });
      return [];
    }
  });
  if (problems.length > 0) throw new ValidationError(ctx.scope.node.path, problems);
  const experiments = new ChaosExperiments(ctx.scope, "ChaosExperiments", {
    litmus,
    access: ctx.access,
    allowNodeDrain: config.nodeDrain !== undefined,
    targets: targets.map((t, i) => ({ name: t.name, namespace: t.namespace, app: t.app, experiments: t.experiments, probes: probes[i]! })),
  });
  const scheduled = targets.filter((t) => t.schedule !== undefined);
  const schedule =
    scheduled.length > 0
      ? new ChaosSchedule(ctx.scope, "ChaosSchedule", {
          access: ctx.access,
          systemNodePlacement: ctx.placement,
          schedules: scheduled.map((t) => ({ engine: t.name, cron: t.schedule!.cron })),
          dependsOn: Object.values(experiments.engines),
        })
      : undefined;
  return { experiments, ...(schedule ? { schedule } : {}) };
}
