import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { DEFAULT_KUBERNETES_VERSION } from "../lib/eks/versions";
import type { AdmissionConfig } from "../lib/config/security/admission";

/**
 * What every environment shares unless it says otherwise. Environments spread these sections and
 * override fields; the result is validated as a whole by `loadEnvironments()`.
 */
export const shared = {
  // Each environment names its own state bucket and key, in its own account (see the README).
  backend: {
    region: "eu-west-1",
    locking: "s3-lockfile",
  },
  network: {
    intraSubnets: true,
    interfaceEndpoints: [],
    flowLogRetentionDays: 365,
    reservedCidrs: ["10.0.0.0/16"],
  },
  cluster: {
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    publicAccessCidrs: [],
    privateAccessCidrs: [],
    access: [],
    addonVersions: {},
    logRetentionDays: 365,
  },
  storage: {
    efs: true,
    noncurrentVersionExpirationDays: 90,
  },
  platform: {
    // Scales the managed node groups as they are. Karpenter is the alternative: an environment that picks it
    // lists its node pools (platform.karpenter), applied by the platform-resources layer after the CRDs exist.
    autoscaler: "cluster-autoscaler",
    metricsServer: true,
  },
  tags: {
    Owner: "platform-team",
    CostCentre: "cc-1042",
    ManagedBy: "sre-platform",
  },
  slo: {
    specs: ["environments/slos/checkout-api.yaml", "environments/slos/payments-worker.yaml"],
  },
  // The on-call team works from Dublin; P1 pages reach PagerDuty in these hours and Slack outside them.
  alerting: {
    businessHours: { location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:30" }] },
    email: { from: "alertmanager@example.com", smarthost: "smtp.example.com:587", authUsername: "alertmanager" },
  },
} as const satisfies {
  backend: Partial<EnvironmentConfig["backend"]>;
  network: Partial<EnvironmentConfig["network"]>;
  cluster: Partial<EnvironmentConfig["cluster"]>;
  storage: Omit<EnvironmentConfig["storage"], "reclaimPolicy">;
  platform: Omit<EnvironmentConfig["platform"], "externalSecrets">;
  tags: EnvironmentConfig["tags"];
  slo: EnvironmentConfig["slo"];
  alerting: { businessHours: NonNullable<EnvironmentConfig["alerting"]>["businessHours"]; email: Omit<NonNullable<EnvironmentConfig["alerting"]>["email"], "to"> };
};

/**
 * Admission policy every environment shares; each adds its mode and its own account's ECR registry (the teams'
 * images). The registries and named exemptions of the platform's own add-ons come from the add-on registry; what
 * is here is what no add-on owns.
 */
export function sharedAdmission(mode: AdmissionConfig["mode"], account: string, region: string): AdmissionConfig {
  return {
    mode,
    allowedRegistries: [`${account}.dkr.ecr.${region}.amazonaws.com`],
    // kube-system is no exempt namespace: the EKS managed add-ons' workloads are exempt by name from what their specs
    // need (derived from lib/eks/addon-versions.ts by the security layer); any other pod there gets every policy.
    exemptNamespaces: [],
    exemptWorkloads: [],
    probeExemptContainers: [],
  };
}
