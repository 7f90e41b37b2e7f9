import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { Litmus, validateLitmusProps, LITMUS_DEFAULTS, LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG, LITMUS_NAMESPACE } from "./litmus";

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
  namespaces: [{ name: LITMUS_NAMESPACE }],
  crds: LITMUS_DEFAULTS.crds,
  images: [`${LITMUS_IMAGE_REGISTRY}/chaos-operator`, `${LITMUS_IMAGE_REGISTRY}/chaos-runner`],
  registries: [LITMUS_IMAGE_REGISTRY],
  admission: {
    exemptWorkloads: [
      {
        namespace: LITMUS_NAMESPACE,
        kind: "Deployment",
        name: LITMUS_DEFAULTS.releaseName,
        policies: ["probes"],
        reason: "litmus-core 3.29.0's operator Deployment defines neither a readiness nor a liveness probe and has no value to add one",
      },
    ],
  },
  workloads: [
    {
      // The chart's fullnameOverride makes the Deployment `litmus` whatever the release is called.
      kind: "Deployment", name: "litmus", namespace: LITMUS_NAMESPACE, podSecurityContext: NO_CONTEXT,
      containers: [{ name: "chaos-operator", image: `${LITMUS_IMAGE_REGISTRY}/chaos-operator:${LITMUS_IMAGE_TAG}`, securityContext: NO_CONTEXT, resources: ["resources"] }],
    },
  ],
  enabled: (config) => config.chaos.litmus.optIn !== undefined,
  // The section's resources are the construct's, checked by its own validator at the section's path.
  validate: (config) => atConfigPath("chaos.litmus", validateLitmusProps({ resources: config.chaos.litmus.resources })),
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
};
