/**
 * The P4 tier: capacity forecasts. Each alert extrapolates a trend (a volume or filesystem filling, requests
 * growing towards what a node pool can hold, Prometheus's blocks towards its size retention, an SLO's budget
 * being spent) and fires days before the limit is reached, so the weekly digest lists what to grow or fix
 * before anyone is paged. Framework-free: the observability layer wraps the groups in a PrometheusRule and
 * the tests prove them with promtool.
 */
import type { AlertGroup, AlertRule } from "./platform-alerts";
import { LABEL_PRIORITY, type Priority } from "./priorities";
import { NODE_ROLE_LABEL } from "../kubernetes/labels";
import * as slo from "../slo/conventions";

/** Every capacity alert is P4: collected into the weekly e-mail digest, never a page. */
export const CAPACITY_PRIORITY: Priority = "P4";

/** Karpenter's node label naming the NodePool that launched a node. */
export const KARPENTER_NODEPOOL_LABEL = "karpenter.sh/nodepool";

/**
 * The node labels that say which pool a node belongs to, most specific first: a Karpenter NodePool's name, else
 * the managed node group's role. kube-state-metrics exports them on `kube_node_labels` only when they are listed in
 * its `--metric-labels-allowlist` (see {@link kubeStateMetricsNodeLabels}).
 */
export const NODE_POOL_LABELS: readonly string[] = [KARPENTER_NODEPOOL_LABEL, NODE_ROLE_LABEL];

/** The pool of a node that carries none of {@link NODE_POOL_LABELS}. */
export const UNLABELLED_POOL = "unlabelled";

/** The label the pool alerts carry. */
export const LABEL_POOL = "pool";

/** A node label as kube-state-metrics names it on `kube_node_labels`: `label_` and the name with `[^a-zA-Z0-9_]` as `_`. */
export function kubeStateMetricsLabel(nodeLabel: string): string {
  return `label_${nodeLabel.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** The `nodes=[…]` entry of kube-state-metrics' `metricLabelsAllowlist` that makes the pool labels visible. */
export function kubeStateMetricsNodeLabels(): string {
  return `nodes=[${NODE_POOL_LABELS.join(",")}]`;
}

/** Horizons and thresholds of the forecasts (the environment's `observability.capacity`). */
export interface CapacityThresholds {
  /** A PersistentVolume predicted full within this many days alerts. */
  readonly volumesFullWithinDays: number;
  /** A node filesystem predicted full within this many days alerts. */
  readonly filesystemsFullWithinDays: number;
  /** Prometheus's blocks predicted to reach its size retention within this many days alert. */
  readonly prometheusFullWithinDays: number;
  /** The window a trend is fitted over (`predict_linear`'s range), a Prometheus duration. */
  readonly trendWindow: string;
  /** A node pool whose CPU or memory requests exceed this share of its allocatable (percent) alerts. */
  readonly poolRequestsPercent: number;
}

/**
 * The thresholds of an environment that sets none (`observability.capacity`): a week's warning for anything that
 * fills, a trend fitted over a day (a daily batch or log rotation does not swing it), and a pool at 85% of its
 * allocatable, where one node's loss already leaves pods pending.
 */
export const DEFAULT_CAPACITY_THRESHOLDS: CapacityThresholds = {
  volumesFullWithinDays: 7,
  filesystemsFullWithinDays: 7,
  prometheusFullWithinDays: 7,
  trendWindow: "1d",
  poolRequestsPercent: 85,
};

/** Where the series come from: kube-prometheus-stack's scrape jobs. Every selector is pinned to its job. */
export interface CapacitySources {
  /** @default "kubelet" */
  readonly kubeletJob?: string;
  /** @default "node-exporter" */
  readonly nodeExporterJob?: string;
  /** @default "kube-state-metrics" */
  readonly kubeStateMetricsJob?: string;
  /** @default "kube-prometheus-stack-prometheus" */
  readonly prometheusJob?: string;
}

/** How long a forecast must hold before it alerts: a trend that lasts an hour is not a blip. */
export const CAPACITY_FOR = "1h";

const DAY_SECONDS = 86400;

function rule(alert: string, expr: string, summary: string, description: string): AlertRule {
  return { alert, expr, for: CAPACITY_FOR, labels: { [LABEL_PRIORITY]: CAPACITY_PRIORITY }, annotations: { summary, description } };
}

/** `node → pool` as one series per node: the Karpenter NodePool, else the node role, else {@link UNLABELLED_POOL}. */
function poolOfNode(ksm: string): string {
  let expr = `label_replace(kube_node_labels{${ksm}}, "${LABEL_POOL}", "${UNLABELLED_POOL}", "node", ".*")`;
  // Least specific first: each later label_replace overwrites the pool where its label is set.
  for (const label of [...NODE_POOL_LABELS].reverse()) {
    expr = `label_replace(${expr}, "${LABEL_POOL}", "$1", "${kubeStateMetricsLabel(label)}", "(.+)")`;
  }
  return `max by (node, ${LABEL_POOL}) (${expr})`;
}

/** The capacity alert groups for the given horizons. */
export function capacityAlertGroups(t: CapacityThresholds, sources: CapacitySources = {}): AlertGroup[] {
  const kubelet = `job="${sources.kubeletJob ?? "kubelet"}"`;
  const node = `job="${sources.nodeExporterJob ?? "node-exporter"}", fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs", mountpoint!=""`;
  const ksm = `job="${sources.kubeStateMetricsJob ?? "kube-state-metrics"}"`;
  const prom = `job="${sources.prometheusJob ?? "kube-prometheus-stack-prometheus"}"`;
  const w = t.trendWindow;
  const pool = poolOfNode(ksm);
  // Requests of the pods that hold their node's capacity: running or about to run, not finished ones.
  const requests =
    `sum by (node, resource) (kube_pod_container_resource_requests{${ksm}, resource=~"cpu|memory"} ` +
    `* on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{${ksm}, phase=~"Pending|Running"} == 1))`;
  const allocatable = `kube_node_status_allocatable{${ksm}, resource=~"cpu|memory"}`;
  const byPool = (series: string) => `sum by (${LABEL_POOL}, resource) (${series} * on (node) group_left (${LABEL_POOL}) ${pool})`;
  const id = slo.LABEL_ID;
  const burn3d = `max without (${slo.LABEL_WINDOW}) (${slo.sliErrorRatio("3d")})`;
  return [
    {
      name: "capacity.storage",
      rules: [
        rule(
          "PersistentVolumeFullSoon",
          `predict_linear(kubelet_volume_stats_available_bytes{${kubelet}}[${w}], ${t.volumesFullWithinDays} * ${DAY_SECONDS}) < 0\n` +
            `and on (namespace, persistentvolumeclaim) kubelet_volume_stats_capacity_bytes{${kubelet}} > 0`,
          `Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within ${t.volumesFullWithinDays} days`,
          `At its growth over the last ${w}, the claim runs out of space within ${t.volumesFullWithinDays} days: expand the claim (the StorageClass allows expansion) or reduce what the workload keeps.`,
        ),
        rule(
          "NodeFilesystemFullSoon",
          `predict_linear(node_filesystem_avail_bytes{${node}}[${w}], ${t.filesystemsFullWithinDays} * ${DAY_SECONDS}) < 0\n` +
            `and node_filesystem_readonly{${node}} == 0`,
          `Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will be full within ${t.filesystemsFullWithinDays} days`,
          `At its growth over the last ${w}, the node's filesystem fills within ${t.filesystemsFullWithinDays} days; a full root or image filesystem makes the kubelet evict pods: find what writes (images, logs, emptyDir) or grow the node group's disk.`,
        ),
        rule(
          "PrometheusStorageFullSoon",
          `predict_linear(prometheus_tsdb_storage_blocks_bytes{${prom}}[${w}], ${t.prometheusFullWithinDays} * ${DAY_SECONDS})\n` +
            `> (prometheus_tsdb_retention_limit_bytes{${prom}} > 0)`,
          `Prometheus {{ $labels.pod }} reaches its size retention within ${t.prometheusFullWithinDays} days`,
          `Its blocks grow towards the size limit (observability.prometheus.retentionSizeGiB); from then on Prometheus drops the oldest data and keeps less history than its time retention: raise retentionSizeGiB with storageGiB, or scrape fewer series.`,
        ),
      ],
    },
    {
      name: "capacity.node-pools",
      rules: [
        rule(
          "NodePoolRequestsHigh",
          `${byPool(requests)}\n/ ${byPool(allocatable)}\n> ${t.poolRequestsPercent / 100}`,
          `Node pool {{ $labels.${LABEL_POOL} }} has {{ $value | humanizePercentage }} of its allocatable {{ $labels.resource }} requested`,
          `Over ${t.poolRequestsPercent}% of the pool's allocatable is requested: new pods wait for a node to be added, and a node's loss may leave pods unscheduled. Raise the pool's size or limits, or right-size the requests.`,
        ),
      ],
    },
    {
      name: "capacity.slo-error-budgets",
      rules: [
        rule(
          "SLOErrorBudgetExhaustedBeforePeriodEnd",
          // Days left = remaining budget × period days / the burn over the last 3 days (1 = spending exactly one
          // budget per period); it alerts when that is less than one period. The value is the days left.
          `${slo.PERIOD_BUDGET_REMAINING} * on (${id}) group_left () ${slo.TIME_PERIOD_DAYS}\n` +
            `/ on (${id}) group_left () clamp_min(${burn3d} / on (${id}) group_left () ${slo.ERROR_BUDGET_RATIO}, ${slo.TINY})\n` +
            `< on (${id}) group_left () ${slo.TIME_PERIOD_DAYS}`,
          `{{ $labels.${slo.LABEL_SERVICE} }} {{ $labels.${slo.LABEL_SLO} }} runs out of error budget in {{ $value | humanize }} days`,
          "At the burn of the last 3 days, the SLO's remaining error budget is spent before a full SLO period has passed: plan reliability work before feature work, or revisit the objective.",
        ),
      ],
    },
  ];
}
