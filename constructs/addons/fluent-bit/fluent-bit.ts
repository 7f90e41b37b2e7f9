import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import type { ContainerResources } from "../addon-types";
import { KmsKey } from "../../common/kms-key";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../../common/validation";
import { CLOUDWATCH_RETENTION_DAYS, isCloudWatchRetentionDays } from "../../../lib/aws/cloudwatch-logs";
import { validateWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { fluentBitConfigProblems } from "../../../lib/observability/logs/fluent-bit-config";
import { platformLogGroups, type PlatformLogGroups } from "../../../lib/observability/logs/log-groups";
import { LOGGING_NAMESPACE, logPipeline, logPipelineProblems, type LogPipeline } from "../../../lib/observability/logs/log-pipeline";
import { fluentBitLogStatements } from "./fluent-bit-policy";
import { envReference, FLUENT_BIT_ENV, fluentBitValues } from "./fluent-bit-values";

/**
 * fluent/helm-charts' fluent-bit chart 0.58.1 (Fluent Bit 5.1.1), the upstream chart of the upstream image: its
 * `cloudwatch_logs` output is the C plugin AWS maintains in Fluent Bit itself.
 * @see https://github.com/fluent/helm-charts/tree/main/charts/fluent-bit
 */
export const FLUENT_BIT_DEFAULTS: HelmChartDefaults = {
  chart: "fluent-bit",
  repository: "https://fluent.github.io/helm-charts",
  version: "0.58.1",
  namespace: LOGGING_NAMESPACE,
  releaseName: "fluent-bit",
};

/** Fluent Bit's size on each node when the caller gives none: tail, two filters and two outputs, buffered on disk. */
export const FLUENT_BIT_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } };

/** Retention of the container log group when the caller gives none. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** Props of {@link FluentBit}. */
export interface FluentBitProps extends HelmAddonProps, HelmReleaseOptions {
  /** Days the container log group keeps records (a CloudWatch Logs retention period). @default 30 */
  readonly retentionDays?: number;
  /** Days the host log group keeps records. @default - `retentionDays` */
  readonly hostRetentionDays?: number;
  /** Fluent Bit's container on each node. @default { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } */
  readonly resources?: ContainerResources;
  /** systemd units whose journal goes to the host log group. @default ["kubelet.service", "containerd.service"] */
  readonly hostUnits?: readonly string[];
  /**
   * The region of the log groups (the AWS provider's).
   * @default - the stack's AWS provider's region, read by a data source
   */
  readonly region?: string;
  /** Terraform `prevent_destroy` on the log groups and their key. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * Container and node logs to CloudWatch Logs: Fluent Bit on every node (the upstream chart), reading only the pod log
 * and journal directories, as root with every capability dropped on a read-only root filesystem; the cluster's two log
 * groups created here with their retention, encrypted with their own customer-managed key whose policy names exactly
 * those groups; an IRSA role that may create and write streams of those two groups and nothing else, and outputs that
 * never create a group.
 */
export class FluentBit extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly key: KmsKey;
  public readonly logGroupNames: PlatformLogGroups;
  public readonly logGroups: { readonly containers: CloudwatchLogGroup; readonly host: CloudwatchLogGroup };
  public readonly retentionDays: number;
  public readonly hostRetentionDays: number;
  public readonly resources: ContainerResources;
  /** The pipeline as delivered, for review and tests. */
  public readonly pipeline: LogPipeline;

  constructor(scope: Construct, id: string, props: FluentBitProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    throwIfProblems(this.node.path, validateFluentBitProps(props));
    this.retentionDays = props.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    this.hostRetentionDays = props.hostRetentionDays ?? this.retentionDays;
    this.resources = props.resources ?? FLUENT_BIT_DEFAULT_RESOURCES;
    this.logGroupNames = platformLogGroups(props.cluster.clusterName);
    const names = [this.logGroupNames.containers, this.logGroupNames.host];
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    this.key = new KmsKey(this, "Key", {
      description: `Encrypts the container and node logs of ${props.cluster.clusterName}`,
      cloudWatchLogGroupNames: names,
      preventDestroy: props.preventDestroy,
    });
    const group = (key: string, name: string, days: number) => new CloudwatchLogGroup(this, key, { name, retentionInDays: days, kmsKeyId: this.key.keyArn, lifecycle });
    this.logGroups = {
      containers: group("ContainersLogGroup", this.logGroupNames.containers, this.retentionDays),
      host: group("HostLogGroup", this.logGroupNames.host, this.hostRetentionDays),
    };

    const region = props.region ?? new DataAwsRegion(this, "Region").region;
    // The configuration names the groups and region through environment variables (see FLUENT_BIT_ENV).
    const refs = { containers: envReference(FLUENT_BIT_ENV.containersLogGroup), host: envReference(FLUENT_BIT_ENV.hostLogGroup) };
    this.pipeline = logPipeline({ region: envReference(FLUENT_BIT_ENV.region), logGroups: refs, hostUnits: props.hostUnits });
    const env = { [FLUENT_BIT_ENV.containersLogGroup]: this.logGroupNames.containers, [FLUENT_BIT_ENV.hostLogGroup]: this.logGroupNames.host, [FLUENT_BIT_ENV.region]: region };
    const p = this.pipeline;
    throwIfProblems(this.node.path, [
      ...logPipelineProblems(p, [refs.containers, refs.host]),
      ...fluentBitConfigProblems("pipeline", [p.service, ...p.inputs, ...p.filters, ...p.outputs]),
    ]);

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: FLUENT_BIT_DEFAULTS,
      chartValues: fluentBitValues({ resources: this.resources, pipeline: p, env }),
      irsa: {
        serviceAccountName: FLUENT_BIT_DEFAULTS.releaseName,
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements: fluentBitLogStatements([this.logGroups.containers.arn, this.logGroups.host.arn]),
      },
      // Records sent before their group exists would be retried and then dropped.
      dependsOn: [...(props.dependsOn ?? []), this.logGroups.containers, this.logGroups.host],
    });
  }

  /** The release's address. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

const retentionRule = `one of the CloudWatch Logs retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")} days`;

/** Checks {@link FluentBitProps} without building anything (the release is checked by `HelmAddon`, the pipeline after). */
export function validateFluentBitProps(props: Omit<FluentBitProps, "cluster"> & Partial<Pick<FluentBitProps, "cluster">>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const key of ["retentionDays", "hostRetentionDays"] as const) {
    const days = props[key];
    if (days !== undefined && !isUnresolved(days) && !isCloudWatchRetentionDays(days)) problems.push({ path: key, value: days, allowed: retentionRule });
  }
  if (props.resources !== undefined) problems.push(...validateWorkloadProfile("", { resources: props.resources }, "Fluent Bit's pods"));
  if (props.hostUnits !== undefined) {
    if (props.hostUnits.length === 0) problems.push({ path: "hostUnits", value: [], allowed: "at least one systemd unit, or leave it out" });
    props.hostUnits.forEach((u, i) => {
      if (!/^[A-Za-z0-9:_.@-]+\.(service|socket|scope)$/.test(u)) problems.push({ path: `hostUnits[${i}]`, value: u, allowed: "a systemd unit name such as kubelet.service" });
    });
  }
  return problems;
}
