import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { compileDelivery } from "../../../lib/delivery/delivery-plan";
import {
  ArgoRollouts, validateArgoRolloutsProps, ARGO_ROLLOUTS_DEFAULTS, ARGO_ROLLOUTS_IMAGE_REGISTRY, ARGO_ROLLOUTS_IMAGE_TAG, ARGO_ROLLOUTS_NAMESPACE,
} from "./argo-rollouts";
import { CanaryAnalysis } from "./canary-analysis";

/**
 * Argo Rollouts (`delivery.rollouts`): the controller that runs the teams' canaries, and the AnalysisTemplates compiled
 * from their SLOs. The controller is built in the platform layer, beside Argo CD: both charts install `argoproj.io`
 * CRDs, so every custom resource of that group (Argo CD's projects in platform-resources, the analyses here) deploys
 * after both. The templates and the error-budget policy's alerts go to observability-resources, after the Prometheus
 * they query (required there, by the resources' builder).
 */
export const argoRolloutsAddon: AddonDescriptor<ArgoRollouts> = {
  name: "argo-rollouts",
  layer: "platform",
  summary: "the Argo Rollouts controller; canaries shifted by Istio, judged by AnalysisTemplates compiled from the SLOs, gated by the error budget",
  configPath: "delivery.rollouts",
  namespaces: [{ name: ARGO_ROLLOUTS_NAMESPACE }],
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
  validate: (config) => atConfigPath("delivery.rollouts", validateArgoRolloutsProps({ replicas: config.delivery.rollouts.replicas, resources: config.delivery.rollouts.resources })),
  build: (ctx) =>
    new ArgoRollouts(ctx.scope, "ArgoRollouts", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made the namespace (Pod Security labels, policies, quota) before the release lands in it.
      createNamespace: false,
      dependsOn: [ctx.namespace(ARGO_ROLLOUTS_NAMESPACE)],
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
