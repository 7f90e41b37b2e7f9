import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { deepMerge } from "../../common/deep-merge";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { tempoBlockRetention } from "../../../lib/observability/tracing/retention";
import { TEMPO_LOCATION } from "../../../lib/observability/tracing/grafana-datasources";
import { tempoBucketStatements, type TracesBucket } from "./tempo-policy";

/** The namespace of Tempo. */
export const TEMPO_NAMESPACE = TEMPO_LOCATION.namespace;

/** The `tempo` chart version (single binary), from the grafana-community repository the chart moved to. */
export const TEMPO_CHART_VERSION = "2.2.4";

/** The Tempo image tag: the chart's `appVersion`, pinned here rather than left to the chart. */
export const TEMPO_IMAGE_TAG = "2.10.8";

/** Where Tempo is pulled from (the chart's default registry and repository). */
export const TEMPO_IMAGE = "docker.io/grafana/tempo";

/**
 * grafana-community's `tempo` chart 2.2.4 (Tempo 2.10.8), single binary: one StatefulSet that receives, stores,
 * compacts and queries. The chart installs no CRD.
 * @see https://github.com/grafana-community/helm-charts/tree/main/charts/tempo
 */
export const TEMPO_DEFAULTS: HelmChartDefaults = {
  chart: "tempo",
  repository: "https://grafana-community.github.io/helm-charts",
  version: TEMPO_CHART_VERSION,
  namespace: TEMPO_NAMESPACE,
  releaseName: "tempo",
};

/** The Service (and StatefulSet) name: `fullnameOverride`, so the collector and Grafana can name it. */
export const TEMPO_SERVICE = TEMPO_LOCATION.service;

/** Tempo's ports: the HTTP API (queries, `/metrics`, `/ready`) and the OTLP gRPC receiver. */
export const TEMPO_PORTS = { http: TEMPO_LOCATION.httpPort, otlpGrpc: TEMPO_LOCATION.otlpGrpcPort } as const;

/** The service account the chart creates, which the IRSA role trusts. */
export const TEMPO_SERVICE_ACCOUNT = "tempo";

/** The user and group the Tempo image is built for (`USER 10001` in Tempo's Dockerfile; the chart's default too). */
export const TEMPO_IDS = { user: 10001, group: 10001 };

/** Labels of Tempo's pods and Service (the chart's selector labels). */
export const TEMPO_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": "tempo" };

/** Tempo's size when the caller gives none: a small single binary, no CPU limit. */
export const TEMPO_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "2Gi" } };

/** Props of {@link Tempo}. */
export interface TempoProps extends HelmAddonProps, HelmReleaseOptions {
  /** The bucket trace blocks are written to and its KMS key (the storage layer's traces bucket). */
  readonly bucket: TracesBucket;
  /** The bucket's region: Tempo's S3 endpoint, and the region the key may be used through S3 in. */
  readonly region: string;
  /**
   * Days a trace is kept (the compactor's block retention); the bucket's lifecycle must expire objects later.
   * @default 14
   */
  readonly retentionDays?: number;
  /** @default { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "2Gi" } } */
  readonly resources?: ContainerResources;
  /**
   * Size of the write-ahead log's volume (traces received but not yet flushed to S3 survive a restart there).
   * @default 10
   */
  readonly walStorageGiB?: number;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Keep Tempo on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * Grafana Tempo, single binary, storing trace blocks in an encrypted S3 bucket through an IRSA role allowed that bucket
 * and its key alone. Reached on OTLP gRPC by the platform's collector alone (which samples), keeps the write-ahead log
 * on a volume, reports no usage to Grafana Labs, runs hardened on the system nodes. One replica: the single binary's
 * ingester is not replicated (a restart pauses ingestion; the collector's queue retries).
 */
export class Tempo extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly retentionDays: number;
  public readonly resources: ContainerResources;
  public readonly walStorageGiB: number;
  /** `host:port` of the OTLP gRPC receiver inside the cluster. */
  public readonly otlpEndpoint: string;
  /** Tempo's HTTP API inside the cluster (Grafana's data source). */
  public readonly queryUrl: string;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", bucket: "the traces bucket: { bucketName, bucketArn, keyArn }", region: "the bucket's AWS region" });
    throwIfProblems(this.node.path, validateTempoProps(props));
    this.retentionDays = props.retentionDays ?? 14;
    this.resources = props.resources ?? TEMPO_DEFAULT_RESOURCES;
    this.walStorageGiB = props.walStorageGiB ?? 10;
    const namespace = props.namespace ?? TEMPO_DEFAULTS.namespace;
    this.otlpEndpoint = `${TEMPO_SERVICE}.${namespace}.svc.cluster.local:${TEMPO_PORTS.otlpGrpc}`;
    this.queryUrl = `http://${TEMPO_SERVICE}.${namespace}.svc.cluster.local:${TEMPO_PORTS.http}`;
    const profile = resolveWorkloadProfile({ ...tempoProfile(props), placement: resolvePlacement(props.systemNodePlacement) });
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: TEMPO_DEFAULTS,
      irsa: {
        serviceAccountName: TEMPO_SERVICE_ACCOUNT,
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements: tempoBucketStatements(props.bucket, props.region),
      },
      chartValues: deepMerge(
        workloadValues(profile, {
          replicas: ["replicas"],
          resources: ["tempo", "resources"],
          affinity: { path: ["affinity"] },
          tolerations: ["tolerations"],
          podSecurityContext: { path: ["securityContext"] },
          containerSecurityContext: { path: ["tempo", "securityContext"] },
        }),
        {
          fullnameOverride: TEMPO_SERVICE,
          tempo: {
            registry: TEMPO_IMAGE.split("/")[0],
            repository: TEMPO_IMAGE.split("/").slice(1).join("/"),
            tag: TEMPO_IMAGE_TAG,
            // No anonymous usage reports to Grafana Labs: no egress but S3 and STS.
            reportingEnabled: false,
            retention: tempoBlockRetention(this.retentionDays),
            // The chart's templates read every receiver's endpoint (its Service ports), so its defaults stay; the
            // namespace's network policies admit OTLP gRPC from the collector alone.
            receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${TEMPO_PORTS.otlpGrpc}` } } } },
            storage: {
              trace: {
                backend: "s3",
                // Credentials come from the IRSA role (web identity); objects are encrypted by the bucket's default
                // SSE-KMS key, which the role may use through S3 only.
                s3: { bucket: props.bucket.bucketName, endpoint: `s3.${props.region}.amazonaws.com`, region: props.region },
                wal: { path: "/var/tempo/wal" },
              },
            },
          },
          // The WAL (and the compactor's scratch space) on an encrypted volume: the root filesystem is read-only.
          persistence: {
            enabled: true,
            size: `${this.walStorageGiB}Gi`,
            accessModes: ["ReadWriteOnce"],
            ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
          },
          // Ours, in observability-resources (after the monitoring CRDs); the chart's would need them at install.
          serviceMonitor: { enabled: false },
          tempoQuery: { enabled: false },
        },
      ),
    });
  }

  /** The release's address: what depends on Tempo waits for it. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link TempoProps} without building anything (the release is checked by `HelmAddon`). */
export function validateTempoProps(props: Omit<TempoProps, "cluster" | "bucket" | "region"> & Partial<Pick<TempoProps, "cluster" | "bucket" | "region">>): ValidationProblem[] {
  const problems = [...validateWorkloadProfile("", tempoProfile(props), "Tempo's pod"), ...validateSystemNodePlacement(props.systemNodePlacement)];
  const days = props.retentionDays;
  if (days !== undefined && !isUnresolved(days) && (!Number.isInteger(days) || days < 1 || days > 365)) {
    problems.push({ path: "retentionDays", value: days, allowed: "a whole number of days from 1 to 365" });
  }
  const gib = props.walStorageGiB;
  if (gib !== undefined && (!Number.isInteger(gib) || gib < 1)) problems.push({ path: "walStorageGiB", value: gib, allowed: "a whole number of GiB, at least 1" });
  if (props.region !== undefined && !isUnresolved(props.region) && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(props.region)) {
    problems.push({ path: "region", value: props.region, allowed: "an AWS region name such as eu-west-1" });
  }
  return problems;
}

function tempoProfile(props: Pick<TempoProps, "resources">): WorkloadProfile {
  return { replicas: 1, resources: props.resources ?? TEMPO_DEFAULT_RESOURCES, runAs: TEMPO_IDS };
}
