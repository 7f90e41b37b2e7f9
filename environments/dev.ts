import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { environmentIdentity, shared, sharedAdmission } from "./defaults";
import { platformNamespaces, teamNamespace } from "./namespaces";
import { falcoRules, falcoShared } from "./falco-defaults";
import { nodeRoleLabels } from "../lib/kubernetes/labels";
import { meshShared } from "./mesh-defaults";
import { ARGOCD_SINGLE, argoCdShared, checkoutApiCanary, errorBudgetPolicy, helmDelivery } from "./delivery-defaults";

/** The environment's name, account and region: every name of the environment below is derived from them. */
const ID = environmentIdentity("dev", "111111111111", "eu-west-1");

/**
 * dev: cheap. Two AZs, one NAT gateway, small spot nodes, and a public API endpoint open only to an
 * allow-list (the documentation ranges below stand for the office and VPN egress networks: replace them).
 * Nothing is protected from `terraform destroy`.
 */
export const dev: EnvironmentConfig = {
  name: ID.name,
  account: ID.account,
  region: ID.region,
  availabilityZones: ID.zones("a", "b", "c"),
  network: { ...shared.network, reservedCidrs: [...shared.network.reservedCidrs], interfaceEndpoints: [], vpcCidr: "10.10.0.0/16", azCount: 2, natGateways: "single" },
  cluster: {
    ...shared.cluster,
    publicAccessCidrs: ["203.0.113.0/24", "198.51.100.16/28"],
    access: [{ roleArn: ID.role("platform-admin"), policy: "admin", namespaces: [] }],
    name: ID.clusterName,
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
  platform: { ...shared.platform, externalSecrets: { secretsManagerPrefix: ID.secretsManagerPrefix } },
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
    // Two weeks of container and node logs: enough to debug last sprint's deploy, cheap to keep.
    logs: { enabled: true, retentionDays: 14, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
    // Off: dev's single Prometheus evaluates and pages itself; AMP is for the environments that outgrow one.
    managedPrometheus: { enabled: false, logRetentionDays: 30 },
    // Every trace kept, for a few days: dev is where instrumentation is tried out.
    tracing: {
      enabled: true,
      sampling: { percentage: 100, keepErrors: false },
      retentionDays: 3,
      tempo: { resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } }, walStorageGiB: 5 },
      collector: { replicas: 1, resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
    },
  },
  security: {
    // dev reports violations (audit log, kubectl warnings) so a new policy or chart is tried here before it refuses anything.
    admission: sharedAdmission("audit", ID),
    namespaces: {
      platform: platformNamespaces({
        monitoring: { requestsCpu: "2", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 30, requestsStorage: "20Gi", persistentVolumeClaims: 4 },
        perNode: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 20 },
        controller: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 10 },
        argocd: { requestsCpu: "2", requestsMemory: "2Gi", limitsMemory: "4Gi", pods: 15 },
      }),
      teams: [
        {
          name: "payments",
          namespaces: { payments: teamNamespace("payments", { requestsCpu: "2", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 30, requestsStorage: "20Gi", persistentVolumeClaims: 5 }) },
          viewRoleArns: [ID.role("payments-view")],
          deployRoleArns: [ID.role("payments-deploy")],
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
  // Argo CD small, syncing on its own; a failed sync or a degraded app in dev is information, not a page.
  // One controller replica and quick steps: dev tries rollouts out, on the sample services.
  delivery: {
    ...helmDelivery({ ...ARGOCD_SINGLE, ...argoCdShared(ID.name), alerts: { syncFailed: "P3", degraded: "P3" } }),
    rollouts: { enabled: true, replicas: 1, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
    canaries: [checkoutApiCanary({ steps: [{ setWeight: 20 }, { pause: { duration: "2m" } }, { setWeight: 50 }, { pause: { duration: "2m" } }], analysis: { window: "2m", interval: "1m", count: 4, failureLimit: 1, inconclusiveLimit: 2 } })],
    errorBudgetPolicy: errorBudgetPolicy(0),
  },
  // A day of loss is acceptable for a throw-away environment: one nightly backup of each kind, a week kept.
  backup: {
    rpoHours: 24,
    rtoHours: 24,
    velero: { schedules: { nightly: { cron: "0 2 * * *", retentionDays: 7 } }, alerts: { failed: "P3", rpoMissed: "P3" } },
    awsBackup: { cron: "30 2 * * *", retentionDays: 7 },
  },
  protection: { preventDestroy: false, unprotectedReason: "throw-away: rebuilt from code, holds no data that must survive" },
  iam: ID.iam,
  backend: {
    ...shared.backend,
    region: ID.region,
    bucket: ID.stateBucket,
    keyPrefix: ID.stateKeyPrefix,
    kmsKeyId: "arn:aws:kms:eu-west-1:111111111111:key/00000001-0000-4000-8000-000000000000",
  },
  tags: { ...shared.tags, Environment: ID.name },
  // dev: small and mostly spot; a forecast over the limit means something was left running. The budget counts resources tagged Environment=dev; the tags
  // are activated in the account's billing (its own payer account), which the budget's filter needs.
  cost: {
    budget: { monthlyLimitUsd: 800, thresholds: [...shared.cost.thresholds], emails: [ID.mailbox, shared.cost.financeMailbox] },
    activateAllocationTags: true,
  },
  slo: {
    ...shared.slo,
    // dev's services are redeployed all day and its worker is scaled to zero between test runs: the checkout API pages
    // only after ten minutes down, and the worker's absence pages no one.
    overrides: {
      "checkout-api": { serviceDown: { for: "10m" } },
      "payments-worker": { serviceDown: { disabled: true } },
    },
  },
  // dev: alerts without a tier are dropped and chat repeats less often; pages follow the shared hours.
  alerting: {
    businessHours: { ...shared.alerting.businessHours, weekdays: [...shared.alerting.businessHours.weekdays], times: [...shared.alerting.businessHours.times] },
    slack: { channel: ID.alertsChannel },
    email: { ...shared.alerting.email, to: ID.mailbox },
    // Each team's own receivers; its PagerDuty routing key and Slack webhook URL are keys of the receivers' secret
    // (team-payments-pagerduty-routing-key, team-payments-slack-webhook-url).
    teams: { payments: { slack: { channel: `#payments-alerts-${ID.name}` }, email: { to: `payments-${ID.name}@example.com` } } },
    tiers: { P2: { repeatInterval: "3d" } },
    unprioritized: "P3",
  },
};
