import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { ICluster } from "../cluster/cluster-types";
import { KmsKey, KmsKeyAdministration } from "../common/kms-key";
import { defaultUniqueName } from "../common/naming";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../common/validation";
import { INetwork } from "../network/network-types";
import { EfsStorage, EfsStorageOptions, validateEfsStorageProps } from "./efs-storage";
import { BucketObjectLock, SecureBucket } from "./secure-bucket";
import { BucketReplica } from "./bucket-replica";
import { tracesBucketExpirationDays, TRACES_NONCURRENT_VERSION_DAYS } from "../../lib/observability/tracing/retention";

/** The traces bucket of {@link Storage}. */
export interface TracesBucketOptions {
  /**
   * Days a trace is kept (Tempo's block retention); the bucket expires objects a day later and keeps a deleted block's
   * version one day.
   */
  readonly retentionDays: number;
}

/** Props of {@link Storage}. */
export interface StorageProps {
  /** VPC of the EFS mount targets. */
  readonly network: INetwork;
  /** Cluster whose security group may reach EFS. */
  readonly cluster: ICluster;
  /**
   * Lowercase prefix of bucket names (`<namePrefix>-logs-…`) and key aliases (`<namePrefix>/backups`), e.g.
   * `prod-platform`. At most 26 characters, so that every bucket prefix stays within S3's 37. Key aliases
   * must be unique in the account and region.
   * @default - the stack id and construct path in lowercase, e.g. `team-a-storage`, so two stacks never share an alias
   */
  readonly namePrefix?: string;
  /**
   * Who administers the backups, artifacts and EFS keys (never using them) and the break-glass role that
   * alone may delete or re-policy them. Required: no safe default names roles of your account.
   */
  readonly keyAdministration: KmsKeyAdministration;
  /**
   * Terraform `prevent_destroy` on the KMS keys, the buckets and the file system (production turns it on).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Let `terraform destroy` empty and delete the buckets (for throw-away environments).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Days S3 server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Days a replaced or deleted object version is kept, in every bucket.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days before backups and artifacts move to INTELLIGENT_TIERING.
   * @default 30
   */
  readonly intelligentTieringTransitionDays?: number;
  /**
   * Days after which artifacts expire.
   * @default - artifacts never expire
   */
  readonly artifactsExpirationDays?: number;
  /**
   * S3 Object Lock on the backups bucket. Only at creation: turning it on for an existing bucket replaces the bucket
   * (its backups must be copied over first).
   * @default - no Object Lock
   */
  readonly backupsObjectLock?: BucketObjectLock;
  /**
   * Replicate the backups bucket to another region, into a bucket encrypted with a key of its own there.
   * @default - no replica
   */
  readonly backupsReplica?: { readonly provider: TerraformProvider; readonly region: string };
  /**
   * The shared EFS file system, or `false` for none.
   * @default - an {@link EfsStorage} with its defaults
   */
  readonly efs?: false | EfsStorageOptions;
  /**
   * A bucket for trace blocks (Tempo's backend) with a key of its own, or `false` for none.
   * @default false
   */
  readonly traces?: false | TracesBucketOptions;
}

/**
 * The platform's storage: a bucket for S3 server access logs, backup and artifact buckets that log into it,
 * an EFS file system for the cluster and, where asked, a bucket for trace blocks.
 *
 * Each purpose gets its own customer-managed key (`BackupsKey`, `ArtifactsKey`, `EfsKey`, `TracesKey`): a key is the
 * unit of `kms:Decrypt` permission, CloudTrail auditing and emergency revocation, so letting CI read
 * artifacts never lets it decrypt backups, and disabling one key takes down one purpose only. The cost is
 * about 1 USD per key and month. The log bucket uses SSE-S3, the only encryption S3 log delivery supports.
 *
 * The keys separate duties: `keyAdministration` roles administer them without decrypt, principals of
 * the account use them only through S3 (or EFS), and only the break-glass role deletes or re-policies them.
 */
export class Storage extends Construct {
  /** Receives the server access logs of the other buckets. */
  public readonly logsBucket: SecureBucket;
  /** Backups (e.g. Velero). */
  public readonly backupsBucket: SecureBucket;
  /** The backups bucket's replica in another region, when `backupsReplica` asks for one. */
  public readonly backupsReplica?: BucketReplica;
  /** Build and deployment artifacts. */
  public readonly artifactsBucket: SecureBucket;
  /** The shared file system, or undefined with `efs: false`. */
  public readonly efs?: EfsStorage;
  public readonly backupsKey: KmsKey;
  public readonly artifactsKey: KmsKey;
  /** Key of the file system, or undefined with `efs: false`. */
  public readonly efsKey?: KmsKey;
  /** Trace blocks (Tempo), or undefined without `traces`. */
  public readonly tracesBucket?: SecureBucket;
  /** Key of the traces bucket, or undefined without `traces`. */
  public readonly tracesKey?: KmsKey;
  public readonly preventDestroy: boolean;
  public readonly forceDestroy: boolean;
  public readonly accessLogRetentionDays: number;
  public readonly noncurrentVersionExpirationDays: number;
  public readonly intelligentTieringTransitionDays: number;
  public readonly artifactsExpirationDays?: number;
  /** Resolved prefix of bucket names and key aliases. */
  public readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    requireProps(this, props, { network: "an INetwork (Network or Network.fromNetworkAttributes())", cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", keyAdministration: "{ adminRoleArns, breakGlassRoleArn }: who administers the keys" });
    throwIfProblems(this.node.path, validateStorageProps(props));
    this.preventDestroy = props.preventDestroy ?? false;
    this.forceDestroy = props.forceDestroy ?? false;
    this.accessLogRetentionDays = props.accessLogRetentionDays ?? 365;
    this.noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;
    this.intelligentTieringTransitionDays = props.intelligentTieringTransitionDays ?? 30;
    this.artifactsExpirationDays = props.artifactsExpirationDays;
    this.namePrefix = props.namePrefix ?? defaultUniqueName(this, { maxLength: 26, allowed: /[a-z0-9-]/i, lowercase: true });
    const namePrefix = this.namePrefix;
    const protection = { preventDestroy: this.preventDestroy, forceDestroy: this.forceDestroy };

    this.logsBucket = new SecureBucket(this, "LogsBucket", {
      ...protection,
      bucketPrefix: `${namePrefix}-logs-`,
      accessLogsTarget: true,
      // Log objects are far below the 128 KB that S3 ever moves to INTELLIGENT_TIERING.
      intelligentTiering: false,
      expirationDays: this.accessLogRetentionDays,
      noncurrentVersionExpirationDays: this.noncurrentVersionExpirationDays,
    });

    const keyPolicy = (service: string) => ({ administration: props.keyAdministration, viaServices: [service] });
    this.backupsKey = new KmsKey(this, "BackupsKey", {
      ...keyPolicy("s3"),
      description: `Backups of ${namePrefix}`,
      alias: `${namePrefix}/backups`,
      preventDestroy: this.preventDestroy,
    });
    this.backupsBucket = new SecureBucket(this, "BackupsBucket", {
      ...protection,
      bucketPrefix: `${namePrefix}-backups-`,
      encryptionKey: this.backupsKey,
      accessLogsBucket: this.logsBucket,
      noncurrentVersionExpirationDays: this.noncurrentVersionExpirationDays,
      intelligentTieringTransitionDays: this.intelligentTieringTransitionDays,
      objectLock: props.backupsObjectLock,
    });
    if (props.backupsReplica) {
      this.backupsReplica = new BucketReplica(this, "BackupsReplica", {
        source: this.backupsBucket,
        provider: props.backupsReplica.provider,
        region: props.backupsReplica.region,
        bucketPrefix: `${namePrefix}-replica`,
        keyAdministration: props.keyAdministration,
        preventDestroy: this.preventDestroy,
        noncurrentVersionExpirationDays: this.noncurrentVersionExpirationDays,
      });
    }

    this.artifactsKey = new KmsKey(this, "ArtifactsKey", {
      ...keyPolicy("s3"),
      description: `Artifacts of ${namePrefix}`,
      alias: `${namePrefix}/artifacts`,
      preventDestroy: this.preventDestroy,
    });
    this.artifactsBucket = new SecureBucket(this, "ArtifactsBucket", {
      ...protection,
      bucketPrefix: `${namePrefix}-artifacts-`,
      encryptionKey: this.artifactsKey,
      accessLogsBucket: this.logsBucket,
      noncurrentVersionExpirationDays: this.noncurrentVersionExpirationDays,
      intelligentTieringTransitionDays: this.intelligentTieringTransitionDays,
      expirationDays: this.artifactsExpirationDays,
    });

    if (props.traces) {
      // A key of its own: reading traces (which carry request attributes) never lets anyone decrypt backups.
      this.tracesKey = new KmsKey(this, "TracesKey", {
        ...keyPolicy("s3"),
        description: `Traces of ${namePrefix}`,
        alias: `${namePrefix}/traces`,
        preventDestroy: this.preventDestroy,
      });
      this.tracesBucket = new SecureBucket(this, "TracesBucket", {
        ...protection,
        bucketPrefix: `${namePrefix}-traces-`,
        encryptionKey: this.tracesKey,
        accessLogsBucket: this.logsBucket,
        // Blocks live days, not months: tiering would only add its monitoring fee.
        intelligentTiering: false,
        expirationDays: tracesBucketExpirationDays(props.traces.retentionDays),
        noncurrentVersionExpirationDays: TRACES_NONCURRENT_VERSION_DAYS,
      });
    }

    if (props.efs !== false) {
      this.efsKey = new KmsKey(this, "EfsKey", {
        ...keyPolicy("elasticfilesystem"),
        description: `EFS file system of ${namePrefix}`,
        alias: `${namePrefix}/efs`,
        preventDestroy: this.preventDestroy,
      });
      this.efs = new EfsStorage(this, "Efs", {
        ...(props.efs ?? {}),
        network: props.network,
        cluster: props.cluster,
        encryptionKey: this.efsKey,
        preventDestroy: this.preventDestroy,
      });
    }
  }
}

/** Checks {@link StorageProps} without building anything; EFS problems carry an `efs.` path. */
export function validateStorageProps(props: StorageProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const prefix = props.namePrefix;
  if (prefix !== undefined && !isUnresolved(prefix) && !/^[a-z0-9][a-z0-9-]{0,25}$/.test(prefix)) {
    problems.push({
      path: "namePrefix",
      value: prefix,
      allowed: "1 to 26 lowercase letters, digits or '-', starting with a letter or digit",
    });
  }
  const days: Array<[string, number | undefined, number]> = [
    ["accessLogRetentionDays", props.accessLogRetentionDays, 1],
    ["noncurrentVersionExpirationDays", props.noncurrentVersionExpirationDays, 1],
    ["intelligentTieringTransitionDays", props.intelligentTieringTransitionDays, 0],
    ["artifactsExpirationDays", props.artifactsExpirationDays, 1],
  ];
  for (const [path, value, min] of days) {
    if (value !== undefined && !isUnresolved(value) && (!Number.isInteger(value) || value < min)) {
      problems.push({ path, value, allowed: `a whole number of days, at least ${min}` });
    }
  }
  const tierDays = props.intelligentTieringTransitionDays ?? 30;
  if (props.artifactsExpirationDays !== undefined && props.artifactsExpirationDays <= tierDays) {
    problems.push({
      path: "artifactsExpirationDays",
      value: props.artifactsExpirationDays,
      allowed: `more than intelligentTieringTransitionDays (${tierDays})`,
    });
  }
  if (props.traces && !isUnresolved(props.traces.retentionDays) && (!Number.isInteger(props.traces.retentionDays) || props.traces.retentionDays < 1)) {
    problems.push({ path: "traces.retentionDays", value: props.traces.retentionDays, allowed: "a whole number of days, at least 1" });
  }
  if (props.efs !== false) {
    const efsProblems = validateEfsStorageProps({ ...(props.efs ?? {}), network: props.network });
    problems.push(...efsProblems.map((p) => ({ ...p, path: p.path.startsWith("network.") ? p.path : `efs.${p.path}` })));
  }
  return problems;
}
