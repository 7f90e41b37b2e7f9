import { z } from "zod";
import { CLOUDWATCH_RETENTION_DAYS, isCloudWatchRetentionDays } from "../aws/cloudwatch-logs";
import { INTERFACE_ENDPOINT_SERVICES } from "../aws/interface-endpoints";
import { PEOPLE_ACCESS_POLICIES } from "../eks/access-policies";
import { EKS_CLUSTER_NAME, EKS_CLUSTER_NAME_RULE } from "../eks/cluster-name";
import { KUBERNETES_VERSION_RULE, SUPPORTED_KUBERNETES_VERSIONS } from "../eks/versions";
import { KMS_KEY_ARN, ORGANIZATION_ID } from "../aws/arns";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../aws/iam";
import { ExternalSecretsConfigSchema, KarpenterConfigSchema, ObservabilityConfigSchema } from "./platform-schema";
import { SecurityConfigSchema } from "./security-schema";
import { ChaosConfigSchema } from "./chaos-schema";
import { DeliveryConfigSchema } from "./delivery-schema";
import { CostConfigSchema } from "./cost-schema";
import { TracingConfigSchema } from "./tracing-schema";
import { BackupConfigSchema } from "./backup-schema";
import { AlertRoutingSchema } from "../observability/alertmanager/model";
import { isDnsLabel } from "../kubernetes/names";
import { MIN_REASON_LENGTH } from "./security/opt-out";

/**
 * The shape of one environment's configuration. Every difference between environments is data here,
 * never a branch on the environment's name in a construct. Semantic rules that need more than one field
 * (CIDR overlap, subnet plan, node group sizes, AZ counts) live in `validate-environment.ts`.
 *
 * Later parts of the platform (observability, mesh, security, chaos, GitOps) add one strict section each.
 */

const nonEmpty = z.string().min(1);

/** An IAM role ARN (a role, never a user or an assumed-role session). */
const roleArn = z.string().regex(IAM_ROLE_ARN, { message: IAM_ROLE_ARN_RULE });

const retentionDays = z.number().refine(isCloudWatchRetentionDays, {
  message: `one of the CloudWatch Logs retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")} days`,
});


export const NodeGroupSchema = z.strictObject({
  /** Node group name, unique in the cluster. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { message: "lowercase letters, digits and '-', starting with a letter, at most 31 characters" }),
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "an EC2 instance type such as m7i.large" }))
    .min(1, { message: "at least one EC2 instance type" }),
  /**
   * `SPOT` where the environment allows it (workload groups anywhere; system groups only where
   * `protection.preventDestroy` is off), `ON_DEMAND` otherwise.
   */
  capacityType: z.enum(["ON_DEMAND", "SPOT"]),
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  desiredSize: z.number().int().min(0),
  /** Root volume size (encrypted gp3). */
  diskSizeGiB: z.number().int().min(20).max(16384),
  labels: z.record(z.string(), z.string()),
  taints: z.array(
    z.strictObject({
      key: nonEmpty,
      value: z.string(),
      effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
    }),
  ),
});

/**
 * Where the environment's alerts go (P0–P4 tiers): the schema lives beside the Alertmanager generator, whose input
 * type is derived from it; re-exported here for callers of the environment schema.
 */
export { AlertRoutingSchema };

export const EnvironmentSchema = z.strictObject({
  /** Short environment name; prefixes every stack (`<name>-network`). */
  name: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, { message: "2–12 lowercase letters and digits, starting with a letter" }),
  /** AWS account id the environment deploys into; the AWS provider refuses any other account. */
  account: z.string().regex(/^\d{12}$/, { message: "a 12-digit AWS account id" }),
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "an AWS region name such as eu-west-1" }),
  /** The availability zones the environment may use, in order; the first `network.azCount` are used. */
  availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, { message: "an AZ name such as eu-west-1a" })).min(1),
  network: z.strictObject({
    vpcCidr: nonEmpty,
    /** EKS needs subnets in at least two AZs. */
    azCount: z.number().int().min(2).max(6),
    natGateways: z.enum(["single", "per-az"]),
    /** Subnets without internet routes for the EKS control-plane ENIs. */
    intraSubnets: z.boolean(),
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)),
    flowLogRetentionDays: retentionDays,
    /** Networks this VPC must never overlap: peered VPCs, on-premises ranges, transit gateway attachments. */
    reservedCidrs: z.array(nonEmpty),
    /**
     * AWS Organizations id (`o-…`) whose principals and resources the VPC endpoint policies admit besides
     * this account's; absent, the endpoints admit this account only (plus the AWS-owned buckets nodes need).
     */
    organizationId: z.string().regex(ORGANIZATION_ID, { message: "an AWS Organizations id such as o-a1b2c3d4e5" }).optional(),
  }),
  cluster: z.strictObject({
    name: z.string().regex(EKS_CLUSTER_NAME, { message: EKS_CLUSTER_NAME_RULE }),
    /** Kubernetes minor version of the cluster; one of {@link SUPPORTED_KUBERNETES_VERSIONS}. */
    kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, { error: KUBERNETES_VERSION_RULE }),
    /** CIDRs allowed to reach a public API endpoint; empty means the endpoint is private only. */
    publicAccessCidrs: z.array(nonEmpty),
    /**
     * People's access through EKS access entries: an EKS access policy (`view`, `edit`, `admin`) for the
     * whole cluster, or for the namespaces listed. Cluster-admin is for `iam.deployRoleArn` and
     * `iam.breakGlassRoleArn` only (CIS EKS 4.1.1).
     */
    access: z.array(
      z.strictObject({
        roleArn,
        policy: z.enum(PEOPLE_ACCESS_POLICIES),
        /** Empty: the whole cluster. */
        namespaces: z.array(z.string().refine(isDnsLabel, { message: "a Kubernetes namespace name" })),
      }),
    ),
    /** Networks allowed to reach the private API endpoint on 443; empty means the VPC's own range. */
    privateAccessCidrs: z.array(nonEmpty),
    /**
     * Pinned EKS add-on versions (`v1.20.4-eksbuild.1`), each the one reviewed for the cluster's Kubernetes
     * minor in `lib/eks/addon-versions.ts`; an add-on left out follows the version EKS marks as default for
     * that minor. An environment with `protection.preventDestroy` pins every add-on its cluster runs.
     */
    addonVersions: z
      .strictObject({
        vpcCni: z.string(),
        coreDns: z.string(),
        kubeProxy: z.string(),
        podIdentityAgent: z.string(),
        ebsCsiDriver: z.string(),
        efsCsiDriver: z.string(),
      })
      .partial(),
    /** Control-plane audit logs are kept at least a year (CIS EKS, Checkov CKV_AWS_338). */
    logRetentionDays: retentionDays.refine((d) => d >= 365, { message: "at least 365 days: control-plane audit logs are kept a year or more" }),
    deletionProtection: z.boolean(),
    nodeGroups: z.array(NodeGroupSchema).min(1, { message: "at least one node group" }),
  }),
  storage: z.strictObject({
    /** Create the shared EFS file system and its StorageClass. */
    efs: z.boolean(),
    /** Days before noncurrent object versions in the platform buckets expire. */
    noncurrentVersionExpirationDays: z.number().int().min(1),
    /** What the gp3 and EFS StorageClasses do with a volume whose claim is deleted: data decides, not code. */
    reclaimPolicy: z.enum(["Delete", "Retain"]),
  }),
  platform: z.strictObject({
    autoscaler: z.enum(["karpenter", "cluster-autoscaler"]),
    metricsServer: z.boolean(),
    /** Karpenter's NodePools and EC2NodeClasses; required exactly when `autoscaler` is `karpenter`. */
    karpenter: KarpenterConfigSchema.optional(),
    externalSecrets: ExternalSecretsConfigSchema,
  }),
  /**
   * kube-prometheus-stack sizes: every number is data, so dev stays small and prod highly available. `tracing`: the
   * OpenTelemetry Collector and Tempo (absent: off).
   */
  observability: ObservabilityConfigSchema.extend({ tracing: TracingConfigSchema.optional() }),
  /** Zero trust: mesh, runtime detection, namespace baseline, certificates, admission policy; off only by named opt-outs. */
  security: SecurityConfigSchema,
  /** Chaos-engineering tooling (the Litmus operator): off unless the environment opts in with its reason. */
  chaos: ChaosConfigSchema,
  /**
   * Delivery: how the add-ons are installed (`helm` or `gitops`), Argo CD with each team's AppProject, the Argo
   * Rollouts controller, per-service canaries judged by their SLOs, and the error-budget policy.
   */
  delivery: DeliveryConfigSchema,
  /**
   * Roles of the environment's own account. The deploy role is what CI and Terraform run as; people get
   * `cluster.access` instead, so no identity is shared by CI and people.
   */
  iam: z.strictObject({
    /** CI deploy role: assumed for the state backend, cluster-admin for the platform layer's providers. */
    deployRoleArn: roleArn,
    /** Emergency role: cluster-admin, and the only principal that may delete, disable or re-policy the storage keys. */
    breakGlassRoleArn: roleArn,
    /** Administers the storage keys (rotation, aliases, tags) and can never use them to decrypt. */
    keyAdminRoleArn: roleArn,
  }),
  /** `prevent_destroy` on stateful resources (KMS keys, EFS, buckets, VPC); also requires pinned EKS add-on versions. */
  protection: z.strictObject({
    preventDestroy: z.boolean(),
    /**
     * Why this environment may be destroyed: required when `preventDestroy` or
     * `cluster.deletionProtection` is off, so an unprotected environment is a decision on record.
     */
    unprotectedReason: z
      .string()
      .trim()
      .min(MIN_REASON_LENGTH, { message: `why this environment may be destroyed, in at least ${MIN_REASON_LENGTH} characters` })
      .optional(),
  }),
  /**
   * Where Terraform keeps this environment's state; each stack gets `<keyPrefix>/<stack>.tfstate`. The
   * bucket and key belong to the environment's own account, and Terraform reaches them as
   * `iam.deployRoleArn`, so no other environment's CI can read or write this state.
   */
  backend: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "an S3 bucket name" }),
    keyPrefix: z.string().regex(/^[a-zA-Z0-9!_.*'()\/-]+$/, { message: "an S3 key prefix without a leading or trailing '/'" }),
    region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "an AWS region name such as eu-west-1" }),
    /** `s3-lockfile`: S3 native locking (Terraform ≥ 1.10); `dynamodb`: the legacy lock table. */
    locking: z.enum(["s3-lockfile", "dynamodb"]),
    dynamodbTable: z.string().optional(),
    /** The environment's own KMS key for the state objects (an ARN of the environment's account). */
    kmsKeyId: z.string().regex(KMS_KEY_ARN, { message: "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id>" }),
  }),
  /**
   * Provider default tags on every resource, and the tags of what the cluster launches (instances, volumes). The
   * cost-allocation tags `Owner`, `CostCentre`, `Environment` and `ManagedBy` are required.
   */
  tags: z.record(z.string(), z.string()),
  /** The SLOs this environment compiles, and where their runbooks are published. */
  slo: z
    .strictObject({
      /**
       * An explicit list of SLO spec files or folders (relative to the app's root) that replaces the folder
       * `environments/slos/`; a spec of that folder left out gets a warning at synth.
       * @default - every `*.yaml` file of `environments/slos/`, so a new spec needs no registration
       */
      specs: z.array(nonEmpty).min(1).optional(),
      /**
       * Where the synth's runbooks (`cdktf.out/runbooks/`) are published. Each SLO alert without a spec
       * `runbookUrl` links to `<baseUrl>/<env>/<service>/<slo>-<page|ticket>.md`.
       * @default - runbooks are still written; alerts carry no `runbook_url` unless the spec gives one
       */
      runbooks: z
        .strictObject({
          baseUrl: z.string().regex(/^https:\/\/[^\s?#]+$/, { message: "an absolute https URL without query or fragment, e.g. https://git.example.com/platform/runbooks" }),
        })
        .optional(),
      /**
       * This environment's overrides of its specs' services, by service name (a spec's `service`): the service-down
       * (P0) alert's `for`, `disabled` or `trafficCanBeZero`, over the spec's `serviceDown`. The synth and the CLI
       * (`slo validate|compile --environment`) apply them alike; a service no spec defines is refused.
       * @default - the specs as written
       */
      overrides: z
        .record(
          z.string(),
          z.strictObject({
            serviceDown: z
              .strictObject({
                /** No service-down alert for the service here (a dev environment nobody is paged for). */
                disabled: z.boolean().optional(),
                /** How long the service must look down before the P0 fires, a Prometheus duration (`10m`). */
                for: nonEmpty.optional(),
                /** True where the service's traffic can legitimately be zero here (a quiet test environment). */
                trafficCanBeZero: z.boolean().optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  /** Alert routing; without it no Alertmanager configuration is generated for the environment. */
  alerting: AlertRoutingSchema.optional(),
  /**
   * The environment's monthly AWS Budget (forecasted and actual thresholds to e-mail and an encrypted SNS topic) and
   * the activation of its cost-allocation tags.
   * @default - no budget; the tags are set on every resource all the same
   */
  cost: CostConfigSchema.optional(),
  /**
   * Disaster recovery: Velero schedules, the AWS Backup plan, the backups bucket's lock and replica, and the RPO and RTO
   * they are checked against (`lib/backup/backup-plan.ts`). Required where `protection.preventDestroy` is true.
   * @default - no Velero, no AWS Backup plan (an unprotected environment only)
   */
  backup: BackupConfigSchema.optional(),
});

/** One environment's configuration as written in `environments/`. */
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
export type NodeGroupConfig = z.infer<typeof NodeGroupSchema>;
