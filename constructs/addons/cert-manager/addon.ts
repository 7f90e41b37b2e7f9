import { atConfigPath, type AddonContext, type AddonDescriptor } from "../registry/addon-descriptor";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { CERT_MANAGER_NAMESPACE } from "../../../lib/security/namespaces";
import { CERT_MANAGER_RELEASE } from "../../../lib/security/certificates";
import { AwsPrivateCaIssuer, AWS_PRIVATECA_ISSUER_DEFAULTS } from "./aws-privateca-issuer";
import { CertManager, CERT_MANAGER_DEFAULTS, validateCertManagerProps, type CertManagerProps } from "./cert-manager";
import { CertManagerMonitoring } from "./cert-manager-monitoring";
import { PlatformIssuer, PlatformIssuerSource } from "./platform-issuer";

/**
 * cert-manager (`security.certManager`) in its baselined namespace (restricted, out of the mesh: the API server calls
 * its webhook directly), the environment's `platform` ClusterIssuer in `security-resources`, and its ServiceMonitor
 * and certificate alerts in `observability-resources`.
 */
export const certManagerAddon: AddonDescriptor<CertManager> = {
  name: "cert-manager",
  layer: "security",
  summary: "cert-manager and the `platform` ClusterIssuer: in-cluster CA, Let's Encrypt over Route 53, or AWS Private CA",
  configPath: "security.certManager",
  namespaces: [{ name: CERT_MANAGER_NAMESPACE }],
  crds: CERT_MANAGER_DEFAULTS.crds,
  images: [
    "quay.io/jetstack/cert-manager-controller",
    "quay.io/jetstack/cert-manager-webhook",
    "quay.io/jetstack/cert-manager-cainjector",
    "quay.io/jetstack/cert-manager-startupapicheck",
  ],
  registries: ["quay.io/jetstack"],
  admission: {
    exemptWorkloads: [
      { name: CERT_MANAGER_RELEASE, what: "its controller a liveness probe but no readiness probe" },
      { name: `${CERT_MANAGER_RELEASE}-cainjector`, what: "its CA injector no probe at all" },
    ].map((w) => ({
      namespace: CERT_MANAGER_NAMESPACE,
      kind: "Deployment" as const,
      name: w.name,
      policies: ["probes" as const],
      reason: `the cert-manager chart (v1.21.1) gives ${w.what}`,
    })),
  },
  workloads: [
    { key: "", suffix: "", container: "cert-manager-controller", image: "controller" },
    { key: "webhook", suffix: "-webhook", container: "cert-manager-webhook", image: "webhook" },
    { key: "cainjector", suffix: "-cainjector", container: "cert-manager-cainjector", image: "cainjector" },
    { key: "startupapicheck", suffix: "-startupapicheck", container: "cert-manager-startupapicheck", image: "startupapicheck" },
  ].map((c) => {
    const at = (key: string) => (c.key ? [c.key, key] : [key]);
    return {
      kind: c.key === "startupapicheck" ? ("Job" as const) : ("Deployment" as const),
      name: `${CERT_MANAGER_RELEASE}${c.suffix}`,
      namespace: CERT_MANAGER_NAMESPACE,
      podSecurityContext: at("securityContext"),
      containers: [{ name: c.container, image: `quay.io/jetstack/cert-manager-${c.image}:v1.21.1`, securityContext: at("containerSecurityContext"), resources: at("resources") }],
      ...(c.key === "startupapicheck" ? { chartPodFields: { restartPolicy: "OnFailure" } } : {}),
    };
  }),
  enabled: () => true,
  // The section is the construct's props (the issuer's hosted zones are its route53HostedZones), checked by its validator.
  validate: (config) => atConfigPath("security.certManager", validateCertManagerProps(certManagerProps(config)), { route53HostedZones: "issuer.hostedZones" }),
  build: (ctx) =>
    new CertManager(ctx.scope, "CertManager", {
      ...certManagerProps(ctx.config),
      cluster: ctx.cluster,
      access: ctx.access,
      createNamespace: false,
      // The baseline made the namespace: restricted (every pod of the chart runs under it), out of the mesh (the API
      // server calls the webhook directly), default-deny with the webhook's and issuers' allows.
      dependsOn: [ctx.namespace(CERT_MANAGER_NAMESPACE)],
      systemNodePlacement: ctx.placement,
    }),
  resources: [
    {
      layer: "security-resources",
      build: (ctx, certManager) =>
        new PlatformIssuer(ctx.scope, "PlatformIssuer", { certManager, source: issuerSource(ctx), region: ctx.config.region, access: ctx.access }),
    },
    {
      layer: "observability-resources",
      build: (ctx, certManager) =>
        new CertManagerMonitoring(ctx.scope, "CertManagerMonitoring", { certManager, installedBy: ctx.require(kubePrometheusStackAddon), access: ctx.access }),
    },
  ],
};

/**
 * The AWS Private CA issuer plugin, where `security.certManager.issuer.type` is `awsPrivateCA`: in cert-manager's
 * namespace, signing what cert-manager's controller approves.
 */
export const awsPrivateCaIssuerAddon: AddonDescriptor<AwsPrivateCaIssuer> = {
  name: "aws-privateca-issuer",
  layer: "security",
  summary: "cert-manager's AWS Private CA issuer, where the environment's certificates come from AWS Private CA",
  configPath: "security.certManager.issuer",
  namespaces: [],
  crds: AWS_PRIVATECA_ISSUER_DEFAULTS.crds,
  images: ["public.ecr.aws/k1n1h4h4/cert-manager-aws-privateca-issuer"],
  registries: ["public.ecr.aws/k1n1h4h4"],
  requires: [certManagerAddon],
  workloads: [
    {
      kind: "Deployment", name: AWS_PRIVATECA_ISSUER_DEFAULTS.releaseName, namespace: CERT_MANAGER_NAMESPACE, podSecurityContext: ["podSecurityContext"],
      containers: [{ name: "aws-privateca-issuer", image: "public.ecr.aws/k1n1h4h4/cert-manager-aws-privateca-issuer:v1.9.0", securityContext: ["securityContext"], resources: ["resources"] }],
    },
  ],
  enabled: (config) => config.security.certManager.issuer.type === "awsPrivateCA",
  build: (ctx) => {
    const certs = ctx.config.security.certManager;
    const issuer = certs.issuer;
    // enabled() holds exactly when the issuer is awsPrivateCA.
    if (issuer.type !== "awsPrivateCA") throw new Error("aws-privateca-issuer built for an issuer that is not awsPrivateCA");
    return new AwsPrivateCaIssuer(ctx.scope, "AwsPrivateCaIssuer", {
      cluster: ctx.cluster,
      access: ctx.access,
      createNamespace: false,
      certManager: ctx.require(certManagerAddon),
      certificateAuthorityArn: issuer.certificateAuthorityArn,
      // Signs what the controller approves: as available as the controller, and no more.
      replicas: certs.controller.replicas,
      spreadAcrossZones: certs.spreadAcrossZones,
      systemNodePlacement: ctx.placement,
    });
  },
};

function issuerSource(ctx: AddonContext): PlatformIssuerSource {
  const issuer = ctx.config.security.certManager.issuer;
  switch (issuer.type) {
    case "selfSignedCA":
      return { type: "selfSignedCA", commonName: issuer.commonName, validityDays: issuer.validityDays };
    case "acme":
      return { type: "acme", server: issuer.server, email: issuer.email };
    case "awsPrivateCA":
      return { type: "awsPrivateCA", privateCa: ctx.require(awsPrivateCaIssuerAddon) };
  }
}

/** The `CertManager` props of `security.certManager`: the same names; only an ACME issuer needs Route 53 (its zones). */
export function certManagerProps(config: EnvironmentConfig): Pick<CertManagerProps, "controller" | "webhook" | "cainjector" | "spreadAcrossZones" | "route53HostedZones"> {
  const c = config.security.certManager;
  return {
    controller: c.controller,
    webhook: c.webhook,
    cainjector: c.cainjector,
    spreadAcrossZones: c.spreadAcrossZones,
    route53HostedZones: c.issuer.type === "acme" ? c.issuer.hostedZones : undefined,
  };
}
