import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { shared, sharedAdmission } from "./defaults";
import { platformNamespaces, teamNamespace } from "./namespaces";
import { falcoRules, falcoShared } from "./falco-defaults";
import { nodeRoleLabels } from "../lib/kubernetes/labels";
import { meshShared } from "./mesh-defaults";

/** CI deploys as the first; people never do (they get `cluster.access`). */
const ROLES = {
  deployRoleArn: "arn:aws:iam::111111111111:role/sre-platform-deploy",
  breakGlassRoleArn: "arn:aws:iam::111111111111:role/break-glass",
  keyAdminRoleArn: "arn:aws:iam::111111111111:role/kms-admin",
};

/**
 * dev: cheap. Two AZs, one NAT gateway, small spot nodes, and a public API endpoint open only to an
 * allow-list (the documentation ranges below stand for the office and VPN egress networks: replace them).
 * Nothing is protected from `terraform destroy`.
 */
export const dev: EnvironmentConfig = {
  name: "dev",
  account: "111111111111",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { ...shared.network, reservedCidrs: [...shared.network.reservedCidrs], interfaceEndpoints: [], vpcCidr: "10.10.0.0/16", azCount: 2, natGateways: "single" },
  cluster: {
    ...shared.cluster,
    publicAccessCidrs: ["203.0.113.0/24", "198.51.100.16/28"],
    access: [{ roleArn: "arn:aws:iam::111111111111:role/platform-admin", policy: "admin", namespaces: [] }],
    name: "dev-platform",
    deletionProtection: false,
    nodeGroups: [
      {
        name: "general",
        instanceTypes: ["t3a.large", "t3.large", "m6a.large"],
        capacityType: "SPOT",
        minSize: 1,
        maxSize: 4,
        desiredSize: 2,
        diskSizeGiB: 50,
        labels: nodeRoleLabels("system"),
        taints: [],
      },
    ],
  },
  storage: { ...shared.storage, noncurrentVersionExpirationDays: 30, reclaimPolicy: "Delete" },
  platform: { ...shared.platform, externalSecrets: { secretsManagerPrefix: "sre-platform/dev" } },
  observability: {
    // One of each, small: dev loses its metrics history with a node, and that is fine.
    prometheus: {
      replicas: 1,
      retention: "7d",
      retentionSizeGiB: 8,
      storageGiB: 10,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
    },
    alertmanager: { replicas: 1, retention: "168h", storageGiB: 2, resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
    grafana: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
    spreadAcrossZones: false,
    // Capacity forecasts (P4, the weekly digest): a short horizon, dev's volumes are small and rebuilt freely.
    capacity: { volumesFullWithinDays: 3, filesystemsFullWithinDays: 3, prometheusFullWithinDays: 3, trendWindow: "6h", poolRequestsPercent: 90 },
  },
  security: {
    // dev reports violations (audit log, kubectl warnings) so a new policy or chart is tried here before it refuses anything.
    admission: sharedAdmission("audit", "111111111111", "eu-west-1"),
    namespaces: {
      platform: platformNamespaces({
        monitoring: { requestsCpu: "2", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 30 },
        perNode: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 20 },
        controller: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 10 },
      }),
      teams: [
        {
          name: "payments",
          namespaces: { payments: teamNamespace("payments", { requestsCpu: "2", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 30 }) },
          viewRoleArns: ["arn:aws:iam::111111111111:role/payments-view"],
          deployRoleArns: ["arn:aws:iam::111111111111:role/payments-deploy"],
        },
      ],
    },
    // One of each, small: dev loses nothing but convenience when istiod restarts (sidecars keep their last config).
    mesh: {
      istiod: { replicas: 1, maxReplicas: 1, resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } } },
      gateway: { replicas: 1, maxReplicas: 2, resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
      cni: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } }, podSecurity: { ...meshShared.cniPodSecurity } },
      spreadAcrossZones: false,
      expose: [],
      webhooks: [],
      optOut: {},
    },
    // Small nodes: Falco requests little; one falcosidekick (dev may lose an alert while it restarts).
    falco: {
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      alertForwarding: { minimumPriority: "WARNING", replicas: 1, resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
      rules: falcoRules(),
      podSecurity: { ...falcoShared.podSecurity },
      optOut: {},
    },
    certManager: {
      // A CA of its own, made in the cluster: no DNS zone, no AWS CA, nothing trusted outside dev.
      issuer: { type: "selfSignedCA", commonName: "sre-platform dev CA", validityDays: 365 },
      controller: { replicas: 1, resources: { requests: { cpu: "25m", memory: "96Mi" }, limits: { memory: "192Mi" } } },
      webhook: { replicas: 1, resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
      cainjector: { replicas: 1, resources: { requests: { cpu: "10m", memory: "96Mi" }, limits: { memory: "192Mi" } } },
      spreadAcrossZones: false,
    },
  },
  // Chaos experiments are tried here first, against the sample services, before a team runs them in staging.
  chaos: {
    litmus: {
      optIn: { reason: "experiments are written and tried against the sample services here before staging" },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      // On demand only (no schedule): a run is `kubectl -n litmus-chaos patch chaosengine <name> --type merge -p '{"spec":{"engineState":"active"}}'`.
      targets: [
        {
          name: "checkout-api-pods",
          namespace: "payments",
          app: { kind: "deployment", label: "app.kubernetes.io/name=checkout-api" },
          steadyState: { service: "checkout-api" },
          experiments: { "pod-delete": {}, "pod-cpu-hog": { cpuCores: 1, durationSeconds: 60 } },
        },
        {
          name: "payments-worker-pods",
          namespace: "payments",
          app: { kind: "deployment", label: "app.kubernetes.io/name=payments-worker" },
          steadyState: { service: "payments-worker" },
          experiments: { "pod-delete": { intervalSeconds: 20 } },
        },
      ],
    },
  },
  protection: { preventDestroy: false, unprotectedReason: "throw-away: rebuilt from code, holds no data that must survive" },
  iam: ROLES,
  backend: {
    ...shared.backend,
    bucket: "sre-platform-dev-terraform-state",
    keyPrefix: "sre-platform/dev",
    kmsKeyId: "arn:aws:kms:eu-west-1:111111111111:key/00000001-0000-4000-8000-000000000000",
  },
  tags: { ...shared.tags, Environment: "dev" },
  slo: { ...shared.slo, specs: [...shared.slo.specs] },
  // dev: alerts without a tier are dropped and chat repeats less often; pages follow the shared hours.
  alerting: {
    businessHours: { ...shared.alerting.businessHours, weekdays: [...shared.alerting.businessHours.weekdays], times: [...shared.alerting.businessHours.times] },
    slack: { channel: "#alerts-dev" },
    email: { ...shared.alerting.email, to: "platform-dev@example.com" },
    // Each team's own receivers; its PagerDuty routing key and Slack webhook URL are keys of the receivers' secret
    // (team-payments-pagerduty-routing-key, team-payments-slack-webhook-url).
    teams: { payments: { slack: { channel: "#payments-alerts-dev" }, email: { to: "payments-dev@example.com" } } },
    tiers: { P2: { repeatInterval: "3d" } },
    unprioritized: "P3",
  },
};
