/**
 * The canary strategy a team's Rollout uses, from the platform's typed configuration: Istio re-weights the
 * VirtualService's routes between the stable and canary Services, the error-budget gate runs before the first traffic
 * shift and again before full promotion, and the SLO analysis watches the canary in the background from its first
 * traffic on. Teams own their Rollouts (image, replicas, pod template); this is the part the platform decides.
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/
 */
import type { CanaryConfig } from "../config/delivery-schema";
import { CANARY_HASH_ARG } from "../slo/canary-analysis";

/** One canary step as a Rollout spells it. */
export type RolloutCanaryStep =
  | { readonly setWeight: number }
  | { readonly pause: { readonly duration?: string } }
  | { readonly analysis: { readonly templates: ReadonlyArray<{ readonly templateName: string }> } };

/** `spec.strategy` of a Rollout with an Istio-routed canary. */
export interface RolloutCanaryStrategy {
  readonly canary: {
    readonly stableService: string;
    readonly canaryService: string;
    readonly trafficRouting: {
      readonly istio: {
        readonly virtualService: { readonly name: string; readonly routes: readonly string[] };
        readonly destinationRule?: { readonly name: string; readonly canarySubsetName: string; readonly stableSubsetName: string };
      };
    };
    readonly analysis: {
      readonly templates: ReadonlyArray<{ readonly templateName: string }>;
      readonly startingStep: number;
      readonly args: ReadonlyArray<{ readonly name: string; readonly valueFrom: { readonly podTemplateHashValue: "Latest" } }>;
    };
    readonly steps: readonly RolloutCanaryStep[];
  };
}

/** A patch of a team's Rollout (kustomize `patches`, or merged by hand): its name, namespace and strategy. */
export interface RolloutStrategyPatch {
  readonly apiVersion: "argoproj.io/v1alpha1";
  readonly kind: "Rollout";
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: { readonly strategy: RolloutCanaryStrategy };
}

/**
 * The Rollout patch of one service (the Rollout is named after the service). The budget gates (one template per gated
 * SLO) run as an analysis step first — before any traffic reaches the canary — and last, before the controller shifts
 * all traffic; the SLO analysis starts with the first `setWeight` step and runs until promotion, its
 * `{{args.canary-hash}}` filled with the canary's pod-template hash.
 */
export function canaryStrategy(canary: CanaryConfig, templates: { canaryTemplate: string; gateTemplates: readonly string[] }): RolloutStrategyPatch {
  // A new object each time: the same object twice would be written as a YAML alias.
  const gate = (): RolloutCanaryStep[] => (templates.gateTemplates.length === 0 ? [] : [{ analysis: { templates: templates.gateTemplates.map((templateName) => ({ templateName })) } }]);
  const steps: RolloutCanaryStep[] = [...gate(), ...canary.steps.map(step), ...gate()];
  const firstTraffic = steps.findIndex((s) => "setWeight" in s);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: { name: canary.service, namespace: canary.namespace },
    spec: {
      strategy: {
        canary: {
          stableService: canary.stableService,
          canaryService: canary.canaryService,
          trafficRouting: {
            istio: {
              virtualService: { name: canary.virtualService.name, routes: [...canary.virtualService.routes] },
              ...(canary.destinationRule ? { destinationRule: { ...canary.destinationRule } } : {}),
            },
          },
          analysis: {
            templates: [{ templateName: templates.canaryTemplate }],
            startingStep: firstTraffic,
            args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }],
          },
          steps,
        },
      },
    },
  };
}

function step(s: CanaryConfig["steps"][number]): RolloutCanaryStep {
  if ("setWeight" in s) return { setWeight: s.setWeight };
  return { pause: s.pause.duration === undefined ? {} : { duration: s.pause.duration } };
}
