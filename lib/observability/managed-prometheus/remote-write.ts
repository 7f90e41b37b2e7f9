/**
 * The in-cluster Prometheus's remote write to an Amazon Managed Prometheus workspace: SigV4 with the pod's IRSA
 * credentials, queue settings sized for AMP, and the series the workspace records itself left out.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-remote-write-EKS.html
 * @see https://prometheus.io/docs/practices/remote_write/
 */
import type { PrometheusRuleGroup } from "../../slo/emit";

/**
 * Queue settings of the remote write, as prometheus-operator spells them (`RemoteWriteSpec.queueConfig`). One constant
 * for the cluster's values and the end-to-end test, so the test sends with the numbers that deploy.
 */
export const AMP_REMOTE_WRITE_QUEUE = {
  /** Samples each shard buffers: 2.5 × `maxSamplesPerSend`, so a full batch is always ready behind the one in flight. */
  capacity: 2500,
  /** Parallel senders Prometheus may scale up to while behind; AMP's ingestion quota, not this, is the usual ceiling. */
  maxShards: 200,
  /** One sender while the backlog is small. */
  minShards: 1,
  /** Samples per request: AMP's recommended batch, well under its request size limit. */
  maxSamplesPerSend: 1000,
  /** A partial batch waits at most this long, so a quiet cluster's samples still arrive within seconds. */
  batchSendDeadline: "5s",
  /** First retry after a failed send, doubling up to `maxBackoff`. */
  minBackoff: "30ms",
  /** Longest wait between retries: an AMP outage delays samples (the WAL keeps them), it does not lose them. */
  maxBackoff: "5s",
  /** AMP answers 429 when the workspace's ingestion rate quota is reached: retry those instead of dropping the batch. */
  retryOnRateLimit: true,
} as const;

/** How long one remote-write request may take before it is retried. */
export const AMP_REMOTE_TIMEOUT = "30s";

/** The workspace's remote-write URL from its `prometheus_endpoint` (which ends in `/`). */
export function ampRemoteWriteUrl(prometheusEndpoint: string): string {
  return `${prometheusEndpoint}api/v1/remote_write`;
}

/** The series names the given rule groups record. */
export function recordedSeries(groups: readonly PrometheusRuleGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.rules.map((r) => r.record).filter((n): n is string => typeof n === "string")))].sort();
}

/** Options of {@link ampRemoteWrite}. */
export interface AmpRemoteWriteOptions {
  readonly url: string;
  /** Sign with SigV4 in this region (the pod's IRSA credentials). @default - unsigned (loopback tests only) */
  readonly region?: string;
  /**
   * Series not sent: those the workspace's own rules record. The cluster records them too (for its dashboards); sent as
   * well, the workspace would hold each twice, once per writer, and every sum over them would double.
   * @default []
   */
  readonly dropSeries?: readonly string[];
}

/** One entry of the Prometheus custom resource's `remoteWrite` (prometheus-operator's camelCase). */
export function ampRemoteWrite(o: AmpRemoteWriteOptions): Record<string, unknown> {
  const drop = o.dropSeries ?? [];
  return {
    url: o.url,
    ...(o.region !== undefined ? { sigv4: { region: o.region } } : {}),
    remoteTimeout: AMP_REMOTE_TIMEOUT,
    queueConfig: { ...AMP_REMOTE_WRITE_QUEUE },
    ...(drop.length > 0 ? { writeRelabelConfigs: [{ sourceLabels: ["__name__"], regex: `(${drop.map(escapeRegex).join("|")})`, action: "drop" }] } : {}),
  };
}

/** {@link ampRemoteWrite} as a `prometheus.yml` `remote_write` entry spells it (snake_case; `retry_on_http_429`). */
export function prometheusRemoteWriteConfig(o: AmpRemoteWriteOptions): Record<string, unknown> {
  const q = AMP_REMOTE_WRITE_QUEUE;
  const drop = o.dropSeries ?? [];
  return {
    url: o.url,
    ...(o.region !== undefined ? { sigv4: { region: o.region } } : {}),
    remote_timeout: AMP_REMOTE_TIMEOUT,
    queue_config: {
      capacity: q.capacity,
      max_shards: q.maxShards,
      min_shards: q.minShards,
      max_samples_per_send: q.maxSamplesPerSend,
      batch_send_deadline: q.batchSendDeadline,
      min_backoff: q.minBackoff,
      max_backoff: q.maxBackoff,
      retry_on_http_429: q.retryOnRateLimit,
    },
    ...(drop.length > 0 ? { write_relabel_configs: [{ source_labels: ["__name__"], regex: `(${drop.map(escapeRegex).join("|")})`, action: "drop" }] } : {}),
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
