import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { compileDelivery } from "../../../lib/delivery/delivery-plan";
import {
  ArgoRollouts, validateArgoRolloutsProps, ARGO_ROLLOUTS_DEFAULTS, ARGO_ROLLOUTS_IMAGE_REGISTRY, ARGO_ROLLOUTS_IMAGE_TAG, ARGO_ROLLOUTS_NAMESPACE,
} from "./argo-rollouts";
import { CanaryAnalysis } from "./canary-analysis";

/**
 * Argo Rollouts (`delivery.rollouts`): the controller that runs the teams' canaries, and the AnalysisTemplates compiled
 * from their SLOs. Built in the observability layer, after the Prometheus its analyses query; its templates and the
 * error-budget policy's alerts go to observability-resources.
 */
export const argoRolloutsAddon: AddonDescriptor<ArgoRollouts> = {
  name: "argo-rollouts",
  layer: "observability",
  summary: "the Argo Rollouts controller; canaries shifted by Istio, judged by AnalysisTemplates compiled from the SLOs, gated by the error budget",
  configPath: "delivery.rollouts",
  // Made by the security layer's baseline (the observability layer makes none), which deploys before this one.
  namespaces: [{ name: ARGO_ROLLOUTS_NAMESPACE, createdIn: "security" }],
  crds: ARGO_ROLLOUTS_DEFAULTS.crds,
  images: [`${ARGO_ROLLOUTS_IMAGE_REGISTRY}/argo-rollouts`],
  registries: [ARGO_ROLLOUTS_IMAGE_REGISTRY],
  workloads: [
    {
      kind: "Deployment",
      name: "argo-rollouts",
      namespace: ARGO_ROLLOUTS_NAMESPACE,
      podSecurityContext: ["podSecurityContext"],
      containers: [{ name: "argo-rollouts", image: `${ARGO_ROLLOUTS_IMAGE_REGISTRY}/argo-rollouts:${ARGO_ROLLOUTS_IMAGE_TAG}`, securityContext: ["containerSecurityContext"], resources: ["controller", "resources"] }],
    },
  ],
  enabled: (config) => config.delivery.rollouts.enabled,
  requires: [kubePrometheusStackAddon],
  validate: (config) => atConfigPath("delivery.rollouts", validateArgoRolloutsProps({ replicas: config.delivery.rollouts.replicas, resources: config.delivery.rollouts.resources })),
  build: (ctx) =>
    new ArgoRollouts(ctx.scope, "ArgoRollouts", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The security layer's baseline made the namespace (Pod Security restricted, default-deny, quota); this stack
      // deploys after that one.
      createNamespace: false,
      replicas: ctx.config.delivery.rollouts.replicas,
      resources: ctx.config.delivery.rollouts.resources,
      systemNodePlacement: ctx.placement,
    }),
  resources: [
    {
      layer: "observability-resources",
      build: (ctx, rollouts) => {
        const compiled = ctx.artifacts.slos;
        if (compiled === undefined) return undefined;
        const monitoring = ctx.require(kubePrometheusStackAddon);
        return new CanaryAnalysis(ctx.scope, "CanaryAnalysis", {
          plan: compileDelivery(ctx.config.delivery, compiled, monitoring.prometheusUrl),
          rollouts,
          monitoring,
          // Beside the controller, in a namespace the platform's Prometheus loads rules from (it contributes here).
          ruleNamespace: ARGO_ROLLOUTS_NAMESPACE,
          access: ctx.access,
        });
      },
    },
  ],
};
