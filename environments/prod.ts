import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { environmentIdentity, shared, sharedAdmission } from "./defaults";
import { REVIEWED_ADDON_VERSIONS } from "../lib/eks/addon-versions";
import { platformNamespaces, teamNamespace } from "./namespaces";
import { falcoRules, falcoShared } from "./falco-defaults";
import { nodeRoleLabels } from "../lib/kubernetes/labels";
import { meshShared } from "./mesh-defaults";
import { argoCdShared, checkoutApiCanary, errorBudgetPolicy, helmDelivery } from "./delivery-defaults";

/** The environment's name, account and region: every name of the environment below is derived from them. */
const ID = environmentIdentity("prod", "333333333333", "eu-west-1");

/**
 * prod: three AZs, a NAT gateway per AZ, a private API endpoint, on-demand system nodes plus spot
 * workload nodes, EKS deletion protection, `prevent_destroy` on stateful resources and pinned EKS add-ons.
 */
export const prod: EnvironmentConfig = {
  name: ID.name,
  account: ID.account,
  region: ID.region,
  availabilityZones: ID.zones("a", "b", "c"),
  network: {
    ...shared.network,
    reservedCidrs: [...shared.network.reservedCidrs],
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts", "logs"],
    vpcCidr: "10.30.0.0/16",
    azCount: 3,
    natGateways: "per-az",
  },
  cluster: {
    ...shared.cluster,
    publicAccessCidrs: [],
    access: [
      // Day to day, people read; changes go through CI, emergencies through break-glass.
      { roleArn: ID.role("platform-admin"), policy: "view", namespaces: [] },
    ],
    name: ID.clusterName,
    // Protected environments pin every managed add-on to the version reviewed for the cluster's Kubernetes
    // minor (lib/eks/addon-versions.ts); configuration validation holds the two together.
    addonVersions: { ...REVIEWED_ADDON_VERSIONS[shared.cluster.kubernetesVersion] },
    deletionProtection: true,
    nodeGroups: [
      {
        name: "system",
        instanceTypes: ["m7i.xlarge"],
        capacityType: "ON_DEMAND",
        minSize: 3,
        maxSize: 6,
        desiredSize: 3,
        diskSizeGiB: 80,
        labels: nodeRoleLabels("system"),
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
      {
        name: "workloads",
        instanceTypes: ["m7i.xlarge", "m6i.xlarge", "m7a.xlarge", "m6a.xlarge"],
        capacityType: "SPOT",
        minSize: 3,
        maxSize: 30,
        desiredSize: 3,
        diskSizeGiB: 100,
        labels: nodeRoleLabels("workloads"),
        taints: [],
      },
    ],
  },
  storage: { ...shared.storage, noncurrentVersionExpirationDays: 365, reclaimPolicy: "Retain" },
  platform: { ...shared.platform, externalSecrets: { secretsManagerPrefix: ID.secretsManagerPrefix } },
  observability: {
    // Two Prometheus replicas scrape the same targets (either can go); three Alertmanagers gossip, one per zone.
    prometheus: {
      replicas: 2,
      retention: "30d",
      retentionSizeGiB: 170,
      storageGiB: 200,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      resources: { requests: { cpu: "1", memory: "6Gi" }, limits: { memory: "8Gi" } },
    },
    alertmanager: { replicas: 3, retention: "168h", storageGiB: 10, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
    grafana: { resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } } },
    spreadAcrossZones: true,
    // Capacity forecasts (P4, the weekly digest): two weeks' warning, two digests before anything fills; a pool at
    // 80% of its requests still absorbs a node's loss.
    capacity: { volumesFullWithinDays: 14, filesystemsFullWithinDays: 14, prometheusFullWithinDays: 14, trendWindow: "1d", poolRequestsPercent: 80 },
    // Application logs for 90 days (incident reviews, quarterly audits); node logs a year, as the control plane's.
    logs: { enabled: true, retentionDays: 90, hostRetentionDays: 365, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
    // Amazon Managed Prometheus: the in-cluster Prometheus remote-writes to a workspace that evaluates the SLO rules
    // (their P0s and the escalation) and pages through its alert manager, one encrypted SNS topic per tier.
    managedPrometheus: { enabled: true, logRetentionDays: 365 },
    // A tenth of traces, plus every failed or slow one: tail sampling holds whole traces in one collector (one replica,
    // sized for the decision window); the RED metrics count every span before sampling.
    tracing: {
      enabled: true,
      sampling: { percentage: 10, keepErrors: true, slowerThan: "2s" },
      retentionDays: 14,
      tempo: { resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } }, walStorageGiB: 20 },
      collector: { replicas: 1, resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } } },
    },
  },
  security: {
    // Violations are refused; what dev reported has been fixed or exempted with a reason first.
    admission: sharedAdmission("enforce", ID),
    namespaces: {
      platform: platformNamespaces({
        monitoring: { requestsCpu: "8", requestsMemory: "24Gi", limitsMemory: "40Gi", pods: 60, requestsStorage: "500Gi", persistentVolumeClaims: 8 },
        perNode: { requestsCpu: "4", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: 150 },
        controller: { requestsCpu: "2", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 30 },
        argocd: { requestsCpu: "4", requestsMemory: "6Gi", limitsMemory: "12Gi", pods: 30 },
      }),
      teams: [
        {
          name: "payments",
          namespaces: { payments: teamNamespace("payments", { requestsCpu: "16", requestsMemory: "32Gi", limitsMemory: "64Gi", pods: 200, requestsStorage: "200Gi", persistentVolumeClaims: 20 }) },
          viewRoleArns: [ID.role("payments-view")],
          deployRoleArns: [ID.role("payments-deploy")],
        },
      ],
    },
    // One istiod and one gateway per zone at least, spread across the three, each with a disruption budget.
    mesh: {
      istiod: { replicas: 3, maxReplicas: 6, resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } } },
      gateway: { replicas: 3, maxReplicas: 9, resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "1Gi" } } },
      cni: { resources: { requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "256Mi" } }, podSecurity: { ...meshShared.cniPodSecurity } },
      spreadAcrossZones: true,
      expose: [],
      webhooks: [],
      optOut: {},
    },
    // Two falcosidekick replicas with a disruption budget: a node drain never drops the only forwarder.
    falco: {
      resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } },
      alertForwarding: { minimumPriority: "WARNING", replicas: 2, resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
      rules: falcoRules(),
      podSecurity: { ...falcoShared.podSecurity },
      optOut: {},
    },
    certManager: {
      issuer: {
        type: "acme",
        server: "production",
        email: "platform-oncall@example.com",
        hostedZones: [{ zoneId: "Z0PROD0PLATFORM0EXAMPLE", domain: "platform.example.com" }],
      },
      // Three webhooks, one per zone: every certificate object the API server admits waits on one.
      controller: { replicas: 2, resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
      webhook: { replicas: 3, resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
      cainjector: { replicas: 2, resources: { requests: { cpu: "25m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
      spreadAcrossZones: true,
    },
  },
  // No chaos operator in prod: its cluster-wide rights to kill and stress pods are not granted where customers are. An
  // opt-in with its reason would install it.
  chaos: { litmus: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } } },
  // Argo CD highly available: two of each stateless component across zones, redis-ha (three Redis servers, one per
  // system node and zone). Syncs are manual: a person looks at the diff. A failed sync is P2, a degraded app pages (P1).
  // Small first steps, a person promotes past half the traffic, and 5 % of the budget is kept in reserve.
  delivery: {
    ...helmDelivery({
      ...argoCdShared(ID.name),
      rootApplication: { ...argoCdShared(ID.name).rootApplication, sync: "manual" },
      controller: { replicas: 1, resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } } },
      server: { replicas: 2, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
      repoServer: { replicas: 2, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } } },
      applicationSet: { replicas: 2, resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
      redis: { ha: true, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
      spreadAcrossZones: true,
      alerts: { syncFailed: "P2", degraded: "P1" },
    }),
    rollouts: { enabled: true, replicas: 2, resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "1Gi" } } },
    canaries: [checkoutApiCanary({ steps: [{ setWeight: 5 }, { pause: { duration: "10m" } }, { setWeight: 25 }, { pause: { duration: "10m" } }, { setWeight: 50 }, { pause: {} }], analysis: { window: "5m", interval: "1m", count: 30, failureLimit: 1, inconclusiveLimit: 3 } })],
    errorBudgetPolicy: errorBudgetPolicy(0.05),
  },
  // Six hours of loss at most: Velero every six hours (kept two weeks) plus a weekly backup kept three months; AWS
  // Backup every six hours, locked for at least a week, copied to eu-central-1; the backups bucket locked and replicated
  // there too, so losing eu-west-1 loses neither.
  backup: {
    rpoHours: 6,
    rtoHours: 4,
    velero: {
      schedules: {
        "every-6h": { cron: "0 */6 * * *", retentionDays: 14 },
        weekly: { cron: "30 3 * * SUN", retentionDays: 90 },
      },
      resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "1Gi" } },
      alerts: { failed: "P2", rpoMissed: "P1" },
    },
    awsBackup: {
      cron: "15 */6 * * *",
      retentionDays: 35,
      offRegionCopy: { region: "eu-central-1", retentionDays: 35 },
      vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 },
      notifyEmails: [ID.mailbox],
    },
    bucket: { objectLock: { mode: "GOVERNANCE", days: 14 }, replicaRegion: "eu-central-1" },
  },
  protection: { preventDestroy: true },
  iam: ID.iam,
  backend: {
    ...shared.backend,
    region: ID.region,
    bucket: ID.stateBucket,
    keyPrefix: ID.stateKeyPrefix,
    kmsKeyId: "arn:aws:kms:eu-west-1:333333333333:key/00000003-0000-4000-8000-000000000000",
  },
  tags: { ...shared.tags, Environment: ID.name },
  // prod: also warned when the month is forecast to reach the limit itself. The budget counts resources tagged Environment=prod; the tags
  // are activated in the account's billing (its own payer account), which the budget's filter needs.
  cost: {
    budget: { monthlyLimitUsd: 9000, thresholds: [...shared.cost.thresholds, { type: "FORECASTED", percent: 100 }], emails: [ID.mailbox, shared.cost.financeMailbox] },
    activateAllocationTags: true,
  },
  slo: { ...shared.slo },
  // prod copies P0 and P1 to the incident tool as well, and repeats unresolved pages more often.
  alerting: {
    businessHours: { ...shared.alerting.businessHours, weekdays: [...shared.alerting.businessHours.weekdays], times: [...shared.alerting.businessHours.times] },
    slack: { channel: ID.alertsChannel },
    email: { ...shared.alerting.email, to: "platform-capacity@example.com" },
    // Each team's own receivers; its PagerDuty routing key and Slack webhook URL are keys of the receivers' secret
    // (team-payments-pagerduty-routing-key, team-payments-slack-webhook-url).
    // The team's P0s also page its on-call phone by SMS (its own topic, sre-prod-payments-p0-sms).
    teams: {
      payments: {
        slack: { channel: `#payments-alerts-${ID.name}` },
        email: { to: `payments-${ID.name}@example.com` },
        sms: { phoneNumbers: [{ name: "payments-on-call", secret: `${ID.secretsManagerPrefix}/p0-sms/payments-on-call` }] },
      },
    },
    // The incident tool's and the heartbeat service's URLs are the receivers' Secret's webhook-url and heartbeat-url.
    webhook: { priorities: ["P0", "P1"] },
    heartbeat: {},
    // The capacity digest every five days, not seven: the longest repeat Amazon Managed Prometheus's alert manager
    // honours (observability.managedPrometheus), so the workspace and the cluster repeat on the same clock.
    tiers: { P0: { repeatInterval: "30m" }, P4: { groupInterval: "5d", repeatInterval: "5d" } },
    // P0s also page the on-call phones by SMS (SNS topic sre-prod-p0-sms). The numbers are Secrets Manager secrets,
    // never written here; Terraform reads them to subscribe the phones (so they sit in the encrypted state).
    sms: {
      phoneNumbers: [
        { name: "primary-on-call", secret: `${ID.secretsManagerPrefix}/p0-sms/primary-on-call` },
        { name: "secondary-on-call", secret: `${ID.secretsManagerPrefix}/p0-sms/secondary-on-call` },
      ],
    },
    // A P0 still firing after 30 minutes is e-mailed to the platform's lead, and sent to the phones above by SMS.
    escalation: { after: "30m", to: "platform-lead@example.com" },
  },
};
