import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { DEFAULT_KUBERNETES_VERSION } from "../lib/eks/versions";
import type { AdmissionConfig } from "../lib/config/security/admission";
import { ecrRegistry } from "../lib/aws/ecr";

/**
 * The names an environment derives from its name, account and region. An environment file sets those three
 * constants and takes every name below from here, so a copy of it (README, "Adding an environment") keeps nothing of
 * its original: no role, state bucket, secret prefix, alert channel or registry of another environment.
 */
export function environmentIdentity(name: string, account: string, region: string) {
  const role = (roleName: string): string => `arn:aws:iam::${account}:role/${roleName}`;
  return {
    name,
    account,
    region,
    /** A role of the environment's account by name. */
    role,
    /** Zones by letter: `zones("a", "b")` → `eu-west-1a`, `eu-west-1b`. */
    zones: (...letters: string[]): string[] => letters.map((l) => `${region}${l}`),
    /** CI deploys as the first; people never do (they get `cluster.access`). Created by `<env>-bootstrap`. */
    iam: { deployRoleArn: role("sre-platform-deploy"), breakGlassRoleArn: role("break-glass"), keyAdminRoleArn: role("kms-admin") },
    clusterName: `${name}-platform`,
    stateBucket: `sre-platform-${name}-terraform-state`,
    stateKeyPrefix: `sre-platform/${name}`,
    secretsManagerPrefix: `sre-platform/${name}`,
    alertsChannel: `#alerts-${name}`,
    mailbox: `platform-${name}@example.com`,
    /** The environment's own ECR registry: the teams' images. */
    ecrRegistry: ecrRegistry(account, region),
  } as const;
}

/** What `environmentIdentity` derives. */
export type EnvironmentIdentity = ReturnType<typeof environmentIdentity>;

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
  // Budget notifications: a warning while the month's forecast can still be turned, and the overrun itself.
  cost: {
    thresholds: [
      { type: "FORECASTED", percent: 80 },
      { type: "ACTUAL", percent: 100 },
    ],
    financeMailbox: "finops@example.com",
  },
  slo: {
    // `npm run synth` writes cdktf.out/runbooks/; publish that folder here and every SLO alert links to its page.
    runbooks: { baseUrl: "https://runbooks.example.com/sre-platform" },
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
  cost: { thresholds: NonNullable<EnvironmentConfig["cost"]>["budget"]["thresholds"]; financeMailbox: string };
  slo: NonNullable<EnvironmentConfig["slo"]>;
  alerting: { businessHours: NonNullable<EnvironmentConfig["alerting"]>["businessHours"]; email: Omit<NonNullable<EnvironmentConfig["alerting"]>["email"], "to"> };
};

/**
 * Admission policy every environment shares; each adds its mode and its own account's ECR registry (the teams'
 * images). The registries and named exemptions of the platform's own add-ons come from the add-on registry; what
 * is here is what no add-on owns.
 */
export function sharedAdmission(mode: AdmissionConfig["mode"], id: EnvironmentIdentity): AdmissionConfig {
  return {
    mode,
    allowedRegistries: [id.ecrRegistry],
    // kube-system is no exempt namespace: the EKS managed add-ons' workloads are exempt by name from what their specs
    // need (derived from lib/eks/addon-versions.ts by the security layer); any other pod there gets every policy.
    exemptNamespaces: [],
    exemptWorkloads: [],
    probeExemptContainers: [],
  };
}
