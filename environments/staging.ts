import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { environmentIdentity, shared, sharedAdmission } from "./defaults";
import { REVIEWED_ADDON_VERSIONS } from "../lib/eks/addon-versions";
import { newestReviewedAmiVersion } from "../lib/eks/ami-versions";
import { platformNamespaces, teamNamespace } from "./namespaces";
import { falcoRules, falcoShared } from "./falco-defaults";
import { nodeRoleLabels } from "../lib/kubernetes/labels";
import { meshShared } from "./mesh-defaults";
import { ARGOCD_SINGLE, argoCdShared, checkoutApiCanary, errorBudgetPolicy, helmDelivery } from "./delivery-defaults";

/** The environment's name, account and region: every name of the environment below is derived from them. */
const ID = environmentIdentity("staging", "222222222222", "eu-west-1");

/**
 * staging: prod's shape at a smaller size. Three AZs, a NAT gateway per AZ, a private API endpoint,
 * on-demand system nodes, workloads on spot-first nodes that Karpenter launches, and prod's protection, so
 * failover, upgrades and recovery rehearse what prod does.
 */
export const staging: EnvironmentConfig = {
  name: ID.name,
  account: ID.account,
  region: ID.region,
  availabilityZones: ID.zones("a", "b", "c"),
  network: { ...shared.network, reservedCidrs: [...shared.network.reservedCidrs], interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"], vpcCidr: "10.20.0.0/16", azCount: 3, natGateways: "per-az" },
  cluster: {
    ...shared.cluster,
    publicAccessCidrs: [],
    access: [
      { roleArn: ID.role("platform-admin"), policy: "admin", namespaces: [] },
      // Read-only across the cluster: a team's writes go through its own deploy role (security.namespaces.teams), and
      // a namespace-scoped grant may only name a namespace the platform creates with its baseline.
      { roleArn: ID.role("developer"), policy: "view", namespaces: [] },
    ],
    name: ID.clusterName,
    // Pinned like prod's (validation requires it of protected environments) to the versions reviewed for the
    // cluster's minor: an add-on upgrade is a reviewed diff of lib/eks/addon-versions.ts.
    addonVersions: { ...REVIEWED_ADDON_VERSIONS[shared.cluster.kubernetesVersion] },
    deletionProtection: true,
    nodeGroups: [
      {
        name: "system",
        instanceTypes: ["m7i.large"],
        capacityType: "ON_DEMAND",
        minSize: 2,
        maxSize: 3,
        desiredSize: 2,
        diskSizeGiB: 50,
        labels: nodeRoleLabels("system"),
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
    ],
  },
  storage: { ...shared.storage, reclaimPolicy: "Retain" },
  platform: {
    ...shared.platform,
    // Workloads run on nodes Karpenter launches (staging rehearses it before prod does); the managed group
    // keeps the controllers.
    autoscaler: "karpenter",
    karpenter: {
      nodePools: [
        {
          name: "workloads",
          amiFamily: "AL2023",
          // Staging takes each newly reviewed AMI release first (lib/eks/ami-versions.ts); prod would pin the
          // release staging has proved. Never `latest`: Karpenter would roll every node whenever AWS publishes one.
          amiVersion: newestReviewedAmiVersion("AL2023")!,
          instanceFamilies: ["m7i", "m6i", "m7a"],
          capacityTypes: ["spot", "on-demand"],
          architectures: ["amd64"],
          limits: { cpu: 48, memoryGiB: 192 },
          disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", expireAfter: "720h", budgets: [{ nodes: "10%" }] },
          volumeSizeGiB: 80,
          labels: nodeRoleLabels("workloads"),
          taints: [],
        },
      ],
    },
    externalSecrets: { secretsManagerPrefix: ID.secretsManagerPrefix },
  },
  observability: {
    prometheus: {
      replicas: 2,
      retention: "15d",
      retentionSizeGiB: 40,
      storageGiB: 50,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
    },
    alertmanager: { replicas: 3, retention: "168h", storageGiB: 5, resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
    grafana: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
    spreadAcrossZones: true,
    // Capacity forecasts (P4, the weekly digest): a week's warning, as production.
    capacity: { volumesFullWithinDays: 7, filesystemsFullWithinDays: 7, prometheusFullWithinDays: 7, trendWindow: "1d", poolRequestsPercent: 85 },
    // A month: a release candidate's logs outlive its soak.
    logs: { enabled: true, retentionDays: 30, resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { memory: "256Mi" } } },
    // Off: staging's Prometheus evaluates and pages itself.
    managedPrometheus: { enabled: false, logRetentionDays: 90 },
    // prod's sampling at a larger share: a quarter of traces, plus every failed or slow one (tail sampling, one collector).
    tracing: {
      enabled: true,
      sampling: { percentage: 25, keepErrors: true, slowerThan: "1s" },
      retentionDays: 7,
      tempo: { resources: { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "2Gi" } }, walStorageGiB: 10 },
      collector: { replicas: 1, resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } } },
    },
  },
  security: {
    // Violations are refused; what dev reported has been fixed or exempted with a reason first.
    admission: sharedAdmission("enforce", ID),
    namespaces: {
      platform: platformNamespaces({
        monitoring: { requestsCpu: "4", requestsMemory: "12Gi", limitsMemory: "20Gi", pods: 40, requestsStorage: "150Gi", persistentVolumeClaims: 8 },
        perNode: { requestsCpu: "2", requestsMemory: "2Gi", limitsMemory: "4Gi", pods: 40 },
        controller: { requestsCpu: "2", requestsMemory: "2Gi", limitsMemory: "4Gi", pods: 20 },
        argocd: { requestsCpu: "2", requestsMemory: "3Gi", limitsMemory: "6Gi", pods: 20 },
      }),
      teams: [
        {
          name: "payments",
          namespaces: { payments: teamNamespace("payments", { requestsCpu: "4", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: 50, requestsStorage: "50Gi", persistentVolumeClaims: 10 }) },
          viewRoleArns: [ID.role("payments-view")],
          deployRoleArns: [ID.role("payments-deploy")],
        },
      ],
    },
    // prod's shape at a smaller size: two of each across zones, so a node or zone loss is rehearsed here first.
    mesh: {
      istiod: { replicas: 2, maxReplicas: 3, resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } } },
      gateway: { replicas: 2, maxReplicas: 4, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } } },
      cni: { resources: { requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "256Mi" } }, podSecurity: { ...meshShared.cniPodSecurity } },
      spreadAcrossZones: true,
      expose: [],
      webhooks: [],
      optOut: {},
    },
    falco: {
      resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
      alertForwarding: { minimumPriority: "WARNING", replicas: 2, resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
      rules: falcoRules(),
      podSecurity: { ...falcoShared.podSecurity },
      optOut: {},
    },
    certManager: {
      // Let's Encrypt's staging directory: the same DNS-01 path as prod, without spending prod's rate limits.
      issuer: {
        type: "acme",
        server: "staging",
        email: ID.mailbox,
        hostedZones: [{ zoneId: "Z0STAGING0PLATFORM0EXAMPLE", domain: "staging.platform.example.com" }],
      },
      controller: { replicas: 2, resources: { requests: { cpu: "25m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
      webhook: { replicas: 2, resources: { requests: { cpu: "10m", memory: "48Mi" }, limits: { memory: "96Mi" } } },
      cainjector: { replicas: 2, resources: { requests: { cpu: "10m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
      spreadAcrossZones: true,
    },
  },
  // Game days and the SLO promProbes run here, against production-like traffic, never against prod's users.
  chaos: {
    litmus: {
      optIn: { reason: "game days and SLO-checked experiments run here on production-like traffic before any change reaches prod" },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      nodeDrain: { optIn: { reason: "staging runs three zones of on-demand system and Karpenter nodes: losing a node is the failure the platform most needs to rehearse before prod" } },
      steadyState: { budgetFloor: 0.25, probeTimeout: "5s", interval: "10s" },
      // Scheduled in working hours (UTC), one experiment set a day, so a person is around when a probe stops one.
      targets: [
        {
          name: "checkout-api-pods",
          namespace: "payments",
          app: { kind: "deployment", label: "app.kubernetes.io/name=checkout-api" },
          steadyState: { service: "checkout-api" },
          experiments: { "pod-delete": {}, "pod-network-latency": { latencyMs: 300, jitterMs: 50 } },
          schedule: { cron: "0 10 * * TUE" },
        },
        {
          name: "checkout-api-node",
          namespace: "payments",
          app: { kind: "deployment", label: "app.kubernetes.io/name=checkout-api" },
          steadyState: { service: "checkout-api" },
          experiments: { "node-drain": { durationSeconds: 180 } },
          schedule: { cron: "0 10 * * THU" },
        },
        {
          name: "payments-worker-pods",
          namespace: "payments",
          app: { kind: "deployment", label: "app.kubernetes.io/name=payments-worker" },
          steadyState: { service: "payments-worker" },
          experiments: { "pod-delete": {}, "pod-cpu-hog": {} },
          schedule: { cron: "30 10 * * WED" },
        },
      ],
    },
  },
  // Argo CD small, syncing on its own (prod's rehearsal); a failed sync or a degraded app goes to chat.
  // prod's shape: two controller replicas (one leads), the same SLO analysis at a quicker pace.
  delivery: {
    ...helmDelivery({ ...ARGOCD_SINGLE, ...argoCdShared(ID.name), alerts: { syncFailed: "P2", degraded: "P2" } }),
    rollouts: { enabled: true, replicas: 2, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
    canaries: [checkoutApiCanary({ steps: [{ setWeight: 10 }, { pause: { duration: "5m" } }, { setWeight: 25 }, { pause: { duration: "5m" } }, { setWeight: 50 }, { pause: { duration: "5m" } }], analysis: { window: "5m", interval: "1m", count: 15, failureLimit: 1, inconclusiveLimit: 3 } })],
    errorBudgetPolicy: errorBudgetPolicy(0),
  },
  // Nightly, kept two weeks, in the environment's region only: what staging holds is re-created from fixtures and
  // prod restores, so a regional loss costs a rebuild, not data.
  backup: {
    rpoHours: 24,
    rtoHours: 12,
    velero: { schedules: { nightly: { cron: "0 2 * * *", retentionDays: 14 } } },
    awsBackup: { cron: "30 2 * * *", retentionDays: 14, notifyEmails: [ID.mailbox] },
    offRegionOptOut: { reason: "what this environment holds is re-created from fixtures and prod restores; losing the region costs a rebuild, not data" },
  },
  protection: { preventDestroy: true },
  iam: ID.iam,
  backend: {
    ...shared.backend,
    region: ID.region,
    bucket: ID.stateBucket,
    keyPrefix: ID.stateKeyPrefix,
    kmsKeyId: "arn:aws:kms:eu-west-1:222222222222:key/00000002-0000-4000-8000-000000000000",
  },
  tags: { ...shared.tags, Environment: ID.name },
  // staging: rehearses prod's shape at a fraction of its size. The budget counts resources tagged Environment=staging; the tags
  // are activated in the account's billing (its own payer account), which the budget's filter needs.
  cost: {
    budget: { monthlyLimitUsd: 3000, thresholds: [...shared.cost.thresholds], emails: [ID.mailbox, shared.cost.financeMailbox] },
    activateAllocationTags: true,
  },
  slo: { ...shared.slo },
  alerting: {
    businessHours: { ...shared.alerting.businessHours, weekdays: [...shared.alerting.businessHours.weekdays], times: [...shared.alerting.businessHours.times] },
    slack: { channel: ID.alertsChannel },
    email: { ...shared.alerting.email, to: ID.mailbox },
    // Each team's own receivers; its PagerDuty routing key and Slack webhook URL are keys of the receivers' secret
    // (team-payments-pagerduty-routing-key, team-payments-slack-webhook-url).
    teams: { payments: { slack: { channel: `#payments-alerts-${ID.name}` }, email: { to: `payments-${ID.name}@example.com` } } },
    // The heartbeat service's URL is the receivers' Secret's heartbeat-url.
    heartbeat: {},
  },
};
