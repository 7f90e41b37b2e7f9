import { z } from "zod";
import {
  INSTANCE_FAMILY, KARPENTER_AMI_FAMILIES, KARPENTER_ARCHITECTURES, KARPENTER_CAPACITY_TYPES, KARPENTER_CONSOLIDATION_POLICIES,
} from "../kubernetes/karpenter";
import { isSecretsManagerPrefix, SECRETS_MANAGER_PREFIX_RULE } from "../aws/secrets-manager";
import { QUANTITY_RULE, isQuantity } from "../kubernetes/quantity";
import { PROMETHEUS_DURATION_RULE, prometheusDurationSeconds } from "../kubernetes/durations";
import { CLOUDWATCH_RETENTION_DAYS, isCloudWatchRetentionDays } from "../aws/cloudwatch-logs";

/**
 * The platform layers' sections of an environment: Karpenter's node pools, the secrets path, and the size of
 * the monitoring stack. Rules between fields live in `validate-platform.ts`.
 */

const quantity = z.string().refine(isQuantity, { message: QUANTITY_RULE });
const duration = z.string().refine((d) => prometheusDurationSeconds(d) !== undefined, { message: PROMETHEUS_DURATION_RULE });

/** Container resources; no CPU limit (throttling slows scrapes and rule evaluation), a memory limit always. */
export const ResourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ memory: quantity }),
});

export const KarpenterNodePoolSchema = z.strictObject({
  /** Name of the NodePool and its EC2NodeClass. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { message: "lowercase letters, digits and '-', starting with a letter" }),
  amiFamily: z.enum(KARPENTER_AMI_FAMILIES),
  /** `latest`, or a pinned AMI release (`v20250117` for AL2023, `1.30.0` for Bottlerocket). */
  amiVersion: z.string().regex(/^(latest|v\d{8}|\d+\.\d+\.\d+)$/, { message: "latest, v<yyyymmdd> (AL2023) or a Bottlerocket version such as 1.30.0" }),
  instanceFamilies: z.array(z.string().regex(INSTANCE_FAMILY, { message: "an EC2 instance family such as m7i" })).min(1),
  capacityTypes: z.array(z.enum(KARPENTER_CAPACITY_TYPES)).min(1),
  architectures: z.array(z.enum(KARPENTER_ARCHITECTURES)).min(1),
  /** What the pool may launch in total. */
  limits: z.strictObject({ cpu: z.number().int().min(1), memoryGiB: z.number().int().min(1) }),
  disruption: z.strictObject({
    consolidationPolicy: z.enum(KARPENTER_CONSOLIDATION_POLICIES),
    consolidateAfter: z.string(),
    expireAfter: z.string(),
    budgets: z.array(z.strictObject({ nodes: z.string(), schedule: z.string().optional(), duration: z.string().optional() })).min(1),
  }),
  volumeSizeGiB: z.number().int().min(20).max(16384),
  labels: z.record(z.string(), z.string()),
  taints: z.array(z.strictObject({ key: z.string().min(1), value: z.string().optional(), effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]) })),
});

/** Karpenter's node pools; required exactly when `platform.autoscaler` is `karpenter`. */
export const KarpenterConfigSchema = z.strictObject({
  nodePools: z.array(KarpenterNodePoolSchema).min(1, { message: "at least one node pool: without one Karpenter launches nothing" }),
});

/** Where the environment's secrets live in AWS Secrets Manager; external-secrets may read nothing else. */
export const ExternalSecretsConfigSchema = z.strictObject({
  /** Path prefix, e.g. `sre-platform/dev`: the IRSA role reads `secret:<prefix>/*` only. */
  secretsManagerPrefix: z.string().refine(isSecretsManagerPrefix, { message: SECRETS_MANAGER_PREFIX_RULE }),
});

const workload = {
  replicas: z.number().int().min(1).max(10),
  resources: ResourcesSchema,
};

/** Whole days; at most 90, since a linear trend says little about months ahead. */
const forecastDays = z.number().int().min(1).max(90);

/**
 * Horizons and thresholds of the P4 capacity forecasts (lib/observability/capacity-alerts.ts); without the section
 * the platform uses {@link DEFAULT_CAPACITY_THRESHOLDS}.
 */
export const CapacityConfigSchema = z.strictObject({
  /** A PersistentVolume forecast full within this many days goes to the weekly digest. */
  volumesFullWithinDays: forecastDays,
  /** A node filesystem forecast full within this many days goes to the weekly digest. */
  filesystemsFullWithinDays: forecastDays,
  /** Prometheus's blocks forecast to reach its size retention within this many days go to the weekly digest. */
  prometheusFullWithinDays: forecastDays,
  /** The window every trend is fitted over: at least 1h, so a burst of writes is not extrapolated over days. */
  trendWindow: z.string().refine((d) => (prometheusDurationSeconds(d) ?? 0) >= 3600, { message: `${PROMETHEUS_DURATION_RULE}, at least 1h` }),
  /** A node pool whose CPU or memory requests exceed this percentage of its allocatable goes to the weekly digest. */
  poolRequestsPercent: z.number().min(1).max(100),
});

const retentionDays = z.number().refine(isCloudWatchRetentionDays, {
  message: `one of the CloudWatch Logs retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")} days`,
});

/**
 * `observability.logs`: container and node logs shipped by Fluent Bit (a DaemonSet on every node) to the cluster's
 * CloudWatch Logs groups, which Terraform creates encrypted with their retention. The `FluentBit` construct's props
 * by the same names, checked by its validator too.
 */
export const LogsConfigSchema = z.strictObject({
  /** Run Fluent Bit and create the log groups. */
  enabled: z.boolean(),
  /** Days the container log group (`/aws/eks/<cluster>/containers`) keeps records. */
  retentionDays,
  /** Days the host log group (`/aws/eks/<cluster>/host`: kubelet, containerd) keeps records. @default - `retentionDays` */
  hostRetentionDays: retentionDays.optional(),
  /** Fluent Bit's container on each node. */
  resources: ResourcesSchema,
});

/**
 * Amazon Managed Service for Prometheus: a workspace (customer-managed key, logs in an encrypted log group) that the
 * in-cluster Prometheus remote-writes to, which evaluates the environment's SLO rules (with their P0s and the P0
 * escalation) on its ruler and pages through its alert manager, one encrypted SNS topic per tier.
 * Rules between fields (alerting required, AMP's five-day repeat limit) live in `validate-managed-prometheus.ts`.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/what-is-Amazon-Managed-Service-Prometheus.html
 */
export const ManagedPrometheusConfigSchema = z.strictObject({
  /** Create the workspace, remote-write to it and evaluate the SLO rules there (the in-cluster copies stop alerting). */
  enabled: z.boolean(),
  /** Days the workspace's rule-evaluation and alert manager logs are kept in their encrypted log group. */
  logRetentionDays: retentionDays,
});

/** Sizes of kube-prometheus-stack in the environment. */
export const ObservabilityConfigSchema = z.strictObject({
  prometheus: z.strictObject({
    ...workload,
    /** How long samples are kept. */
    retention: duration,
    /** Oldest blocks are dropped beyond this size; kept below the volume size so the WAL always fits. */
    retentionSizeGiB: z.number().int().min(1),
    storageGiB: z.number().int().min(1),
    scrapeInterval: duration,
    evaluationInterval: duration,
  }),
  alertmanager: z.strictObject({ ...workload, retention: duration, storageGiB: z.number().int().min(1) }),
  grafana: z.strictObject({ resources: ResourcesSchema }),
  /** Spread replicas across zones (`DoNotSchedule`): a zone outage leaves the others running. */
  spreadAcrossZones: z.boolean(),
  /** The P4 capacity forecasts' horizons and thresholds. @default DEFAULT_CAPACITY_THRESHOLDS */
  capacity: CapacityConfigSchema.optional(),
  /** Container and node logs to CloudWatch Logs (Fluent Bit). */
  logs: LogsConfigSchema,
  /**
   * Amazon Managed Service for Prometheus for the environment's SLO rules and pages.
   * @default - off: the in-cluster Prometheus evaluates and pages
   */
  managedPrometheus: ManagedPrometheusConfigSchema.optional(),
});

export type KarpenterNodePoolConfig = z.infer<typeof KarpenterNodePoolSchema>;
export type ObservabilityConfig = z.infer<typeof ObservabilityConfigSchema>;
export type LogsConfig = z.infer<typeof LogsConfigSchema>;
/** An environment's `observability.managedPrometheus`. */
export type ManagedPrometheusConfig = z.infer<typeof ManagedPrometheusConfigSchema>;
export type CapacityConfig = z.infer<typeof CapacityConfigSchema>;
export type ResourcesConfig = z.infer<typeof ResourcesSchema>;
