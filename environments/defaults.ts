import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { DEFAULT_KUBERNETES_VERSION } from "../lib/eks/versions";
import type { AdmissionConfig } from "../lib/config/security/admission";
import type { AdmissionPolicyKey } from "../lib/security/admission/policies";

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
  alerting: { businessHours: NonNullable<EnvironmentConfig["alerting"]>["businessHours"]; email: Omit<NonNullable<EnvironmentConfig["alerting"]>["email"], "to"> };
};

/**
 * The policies kube-system is exempt from: those the EKS managed add-ons' specs, which AWS owns, cannot meet. Every
 * other policy checks kube-system too, so a new policy holds there unless it is added here with its reason.
 */
export const KUBE_SYSTEM_EXEMPT_POLICIES = [
  "privilegedContainers", "hostNamespaces", "hostPathVolumes", "allowedRegistries", "resourceLimits", "probes",
] as const satisfies readonly AdmissionPolicyKey[];

/**
 * Admission policy every environment shares; each adds its mode and its own account's ECR registry (the teams'
 * images). The registries and named exemptions of the platform's own add-ons come from the add-on registry; what
 * is here is what no add-on owns.
 */
export function sharedAdmission(mode: AdmissionConfig["mode"], account: string, region: string): AdmissionConfig {
  return {
    mode,
    allowedRegistries: [`${account}.dkr.ecr.${region}.amazonaws.com`],
    exemptNamespaces: [
      {
        namespace: "kube-system",
        // Only what the EKS managed add-ons' own specs need: image pinning, system placement (kube-system is one of the
        // platform's namespaces there), the mesh (kube-system is never injected) and Service exposure still hold.
        policies: [...KUBE_SYSTEM_EXEMPT_POLICIES],
        reason:
          "EKS managed add-ons (VPC CNI, kube-proxy, EBS and EFS CSI node, Pod Identity agent) run privileged on the host network with host paths, from AWS's per-region registries, some without memory limits or probes, in specs AWS owns; only cluster administrators deploy here",
      },
    ],
    exemptWorkloads: [],
    probeExemptContainers: [],
  };
}
