import type { AddonDescriptor } from "../registry/addon-descriptor";
import { EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_RELEASE } from "../../../lib/security/namespaces";
import { ExternalSecrets, EXTERNAL_SECRETS_DEFAULTS } from "./external-secrets";

const IMAGE = "ghcr.io/external-secrets/external-secrets";
const PARTS = [
  { key: "", suffix: "" },
  { key: "webhook", suffix: "-webhook" },
  { key: "certController", suffix: "-cert-controller" },
] as const;

/**
 * external-secrets in its own baselined namespace, reading only the environment's Secrets Manager prefix
 * (`platform.externalSecrets`) through IRSA. Other add-ons sync their Secrets through its CRDs.
 */
export const externalSecretsAddon: AddonDescriptor<ExternalSecrets> = {
  name: "external-secrets",
  layer: "platform",
  summary: "Secrets Manager → Kubernetes Secrets; IRSA reads only the environment's prefix",
  configPath: "platform.externalSecrets",
  namespaces: [{ name: EXTERNAL_SECRETS_NAMESPACE }],
  crds: EXTERNAL_SECRETS_DEFAULTS.crds,
  images: [IMAGE],
  registries: ["ghcr.io/external-secrets"],
  admission: {
    exemptWorkloads: [
      {
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        kind: "Deployment",
        name: EXTERNAL_SECRETS_RELEASE,
        policies: ["probes"],
        reason: "the external-secrets chart (2.6.0) offers the controller a liveness probe (turned on) but no readiness probe",
      },
      ...["webhook", "cert-controller"].map((component) => ({
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        kind: "Deployment" as const,
        name: `${EXTERNAL_SECRETS_RELEASE}-${component}`,
        policies: ["probes" as const],
        reason: `the external-secrets chart (2.6.0) gives its ${component} a readiness probe but no liveness probe`,
      })),
    ],
  },
  workloads: PARTS.map((part) => {
    const at = (key: string) => (part.key ? [part.key, key] : [key]);
    return {
      kind: "Deployment" as const,
      name: `${EXTERNAL_SECRETS_RELEASE}${part.suffix}`,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      podSecurityContext: at("podSecurityContext"),
      containers: [{ name: part.key || "external-secrets", image: `${IMAGE}:v1.0.0`, securityContext: at("securityContext"), resources: at("resources") }],
    };
  }),
  enabled: () => true,
  build: (ctx) =>
    new ExternalSecrets(ctx.scope, "ExternalSecrets", {
      cluster: ctx.cluster,
      // The baseline made the namespace (Pod Security labels, policies, quota) before the release lands in it.
      createNamespace: false,
      dependsOn: [ctx.namespace(EXTERNAL_SECRETS_NAMESPACE)],
      secretsManagerPrefix: ctx.config.platform.externalSecrets.secretsManagerPrefix,
      systemNodePlacement: ctx.placement,
      access: ctx.access,
    }),
};
