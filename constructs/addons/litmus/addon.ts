import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { EXPERIMENT_DEFINITIONS, GO_RUNNER_IMAGE } from "../../../lib/chaos/experiments";
import { Litmus, validateLitmusProps, LITMUS_DEFAULTS, LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG, LITMUS_NAMESPACE } from "./litmus";
import { CHAOS_NAMESPACE } from "./chaos-experiments";
import { buildChaos, chaosConfigProblems, chaosTargets, type EnvironmentChaos } from "./chaos-config";

/** Who writes the operator pod's contexts: no one, and the record says so (the hardening checks require a reason). */
const NO_CONTEXT = {
  setBy:
    "no one: litmus-core 3.29.0's Deployment template writes no security context and reads no value for one; the pod runs as the image's user in a Pod Security baseline namespace (security.namespaces.platform.litmus.podSecurity)",
};

/**
 * The Litmus chaos operator (`chaos.litmus`): ChaosEngine, ChaosExperiment and ChaosResult CRDs and the operator that
 * runs them. Installed only where the environment opts in with its reason.
 */
export const litmusAddon: AddonDescriptor<Litmus> = {
  name: "litmus",
  layer: "platform",
  summary: "the Litmus chaos operator and its CRDs (litmus-core, no ChaosCenter)",
  configPath: "chaos.litmus",
  namespaces: [
    { name: LITMUS_NAMESPACE },
    // Where the experiments run (engines, runners, jobs, helper pods): its level follows the experiments configured.
    { name: CHAOS_NAMESPACE, podSecurity: { configPath: "chaos.litmus.targets", of: chaosPodSecurity } },
  ],
  crds: LITMUS_DEFAULTS.crds,
  // The experiments' go-runner also runs the scheduler's kubectl (KUBECTL_IMAGE).
  images: [`${LITMUS_IMAGE_REGISTRY}/chaos-operator`, `${LITMUS_IMAGE_REGISTRY}/chaos-runner`, GO_RUNNER_IMAGE.replace(/:[^:/]+$/, "")],
  registries: [LITMUS_IMAGE_REGISTRY],
  admission: (config) => ({
    exemptNamespaces: privilegedHelpers(config).length > 0
      ? [
          {
            namespace: CHAOS_NAMESPACE,
            policies: ["privilegedContainers", "hostNamespaces", "hostPathVolumes"],
            reason: `the helper pods of ${privilegedHelpers(config).join(" and ")} (chaos.litmus.targets) run privileged with the host's PID namespace and the containerd socket to enter the target pod's network and cgroup; nothing else runs in this namespace`,
          },
        ]
      : [],
    exemptWorkloads: [
      {
        namespace: LITMUS_NAMESPACE,
        kind: "Deployment",
        name: LITMUS_DEFAULTS.releaseName,
        policies: ["probes"],
        reason: "litmus-core 3.29.0's operator Deployment defines neither a readiness nor a liveness probe and has no value to add one",
      },
    ],
  }),
  workloads: [
    {
      // The chart's fullnameOverride makes the Deployment `litmus` whatever the release is called.
      kind: "Deployment", name: "litmus", namespace: LITMUS_NAMESPACE, podSecurityContext: NO_CONTEXT,
      containers: [{ name: "chaos-operator", image: `${LITMUS_IMAGE_REGISTRY}/chaos-operator:${LITMUS_IMAGE_TAG}`, securityContext: NO_CONTEXT, resources: ["resources"] }],
    },
  ],
  enabled: (config) => config.chaos.litmus.optIn !== undefined,
  // The section's resources are the construct's, checked by its own validator at the section's path.
  validate: (config) => [...atConfigPath("chaos.litmus", validateLitmusProps({ resources: config.chaos.litmus.resources })), ...chaosConfigProblems(config)],
  build: (ctx) =>
    new Litmus(ctx.scope, "Litmus", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made the namespace: Pod Security baseline with its reason, default-deny, quota.
      createNamespace: false,
      dependsOn: [ctx.namespace(LITMUS_NAMESPACE)],
      resources: ctx.config.chaos.litmus.resources,
      systemNodePlacement: ctx.placement,
    }),
  // The experiments, chaos ServiceAccounts and engines, after the monitoring stack: the engines' probes query its
  // Prometheus and read the SLO rules the same layer loads.
  resources: [{ layer: "observability-resources", monitors: false, build: (ctx, litmus): EnvironmentChaos | undefined => (chaosTargets(ctx.config).length > 0 ? buildChaos(ctx, litmus) : undefined) }],
};

/** The configured experiments whose helper pods need privilege, each once. */
function privilegedHelpers(config: EnvironmentConfig): string[] {
  const names = chaosTargets(config).flatMap((t) => Object.keys(t.experiments).filter((e) => t.experiments[e as keyof typeof t.experiments] !== undefined));
  return [...new Set(names)].filter((e) => EXPERIMENT_DEFINITIONS[e as keyof typeof EXPERIMENT_DEFINITIONS].privilegedHelper).sort();
}

/** The chaos namespace's Pod Security level: privileged only where an experiment's helper pods need it. */
function chaosPodSecurity(config: EnvironmentConfig): { readonly level: "privileged" | "baseline"; readonly reason: string } {
  const helpers = privilegedHelpers(config);
  if (helpers.length > 0) {
    return { level: "privileged", reason: `the helper pods of ${helpers.join(" and ")} run privileged with hostPID and the containerd socket on the target's node` };
  }
  return { level: "baseline", reason: "the chaos runner pod the Litmus operator starts for each engine sets no security context and Litmus has no field for one; baseline still refuses host access, privilege and added capabilities" };
}
