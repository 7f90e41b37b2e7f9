/**
 * The P4 capacity forecasts, proved with promtool on synthetic trends: a linear fill alerts on the day the
 * arithmetic says and a flat one never does; a pool at 90% of its requests alerts and one at 50% does not; an SLO
 * burning at 2x runs out of budget before its period ends and alerts, one at 0.5x does not.
 */
import { capacityAlertGroups, kubeStateMetricsLabel, kubeStateMetricsNodeLabels, type CapacityThresholds } from "../../../lib/observability/capacity-alerts";
import { checkAndTestRules, describeWithPromtool } from "../../support/promtool";

const THRESHOLDS: CapacityThresholds = {
  volumesFullWithinDays: 7,
  filesystemsFullWithinDays: 7,
  prometheusFullWithinDays: 7,
  trendWindow: "6h",
  poolRequestsPercent: 85,
};

const groups = capacityAlertGroups(THRESHOLDS);
const rules = groups.flatMap((g) => g.rules);
const description = (alert: string) => rules.find((r) => r.alert === alert)!.annotations.description;

describe("capacity alerts", () => {
  test("every alert is P4 (the weekly digest) and waits an hour", () => {
    expect(rules.map((r) => r.alert)).toEqual(["PersistentVolumeFullSoon", "NodeFilesystemFullSoon", "PrometheusStorageFullSoon", "NodePoolRequestsHigh", "SLOErrorBudgetExhaustedBeforePeriodEnd"]);
    expect(new Set(rules.map((r) => `${r.labels.priority} ${r.for}`))).toEqual(new Set(["P4 1h"]));
  });

  test("the horizons and the threshold come from the thresholds given", () => {
    const g = capacityAlertGroups({ ...THRESHOLDS, volumesFullWithinDays: 3, filesystemsFullWithinDays: 5, prometheusFullWithinDays: 11, trendWindow: "1d", poolRequestsPercent: 70 });
    const expr = (alert: string) => g.flatMap((x) => x.rules).find((r) => r.alert === alert)!.expr;
    expect(expr("PersistentVolumeFullSoon")).toContain("[1d], 3 * 86400)");
    expect(expr("NodeFilesystemFullSoon")).toContain("[1d], 5 * 86400)");
    expect(expr("PrometheusStorageFullSoon")).toContain("[1d], 11 * 86400)");
    expect(expr("NodePoolRequestsHigh")).toMatch(/> 0\.7$/);
  });

  test("kube-state-metrics is told to export both pool labels", () => {
    expect(kubeStateMetricsNodeLabels()).toBe("nodes=[karpenter.sh/nodepool,sre-platform.io/node-role]");
    expect(kubeStateMetricsLabel("sre-platform.io/node-role")).toBe("label_sre_platform_io_node_role");
  });
});

describeWithPromtool("capacity alerts under promtool", () => {
  let output = "";
  let code = -1;
  beforeAll(() => {
    const kubelet = (pvc: string) => `{job="kubelet", namespace="team-a", persistentvolumeclaim="${pvc}"}`;
    const fs = (instance: string) => `{job="node-exporter", instance="${instance}", device="/dev/nvme0n1p1", fstype="xfs", mountpoint="/"}`;
    const prom = (pod: string) => `{job="kube-prometheus-stack-prometheus", namespace="monitoring", pod="${pod}", instance="${pod}:9090"}`;
    const ksm = 'job="kube-state-metrics"';
    const pod = (name: string, node: string, resource: string, value: number) =>
      ({ series: `kube_pod_container_resource_requests{${ksm}, namespace="team-a", pod="${name}", container="app", node="${node}", resource="${resource}"}`, values: `${value}+0x1440` });
    const phase = (name: string, p: string) => ({ series: `kube_pod_status_phase{${ksm}, namespace="team-a", pod="${name}", phase="${p}"}`, values: "1+0x1440" });
    const slo = (id: string, metric: string, value: number, extra = "") =>
      ({ series: `${metric}{sre_service="shop", sre_slo="${id}", sre_id="shop-${id}"${extra}}`, values: `${value}+0x1440` });
    const tests = {
      rule_files: ["rules.yaml"],
      // Rules evaluated at the samples' own pace: every checked time is a multiple of 5 minutes, and the run is a third as long.
      evaluation_interval: "5m",
      tests: [
        {
          // Samples every 5 minutes (as scraped: an instant selector sees a sample at most 5 minutes old) for five days.
          interval: "5m",
          input_series: [
            // A 2880-byte claim losing a byte every 5 minutes (12 an hour, 288 a day) is empty at hour 240, day 10. Over
            // the 7-day horizon (168 h) it loses 2016 bytes, so the forecast goes below zero once 2880 - 12t < 2016, after
            // hour 72 (day 3); with `for: 1h` the alert fires from hour 73. Quiet at hour 71, firing at hour 74.
            { series: `kubelet_volume_stats_available_bytes${kubelet("filling")}`, values: "2880-1x1440" },
            { series: `kubelet_volume_stats_capacity_bytes${kubelet("filling")}`, values: "2880+0x1440" },
            // Flat: one byte left and no growth never forecasts a full volume.
            { series: `kubelet_volume_stats_available_bytes${kubelet("flat")}`, values: "1+0x1440" },
            { series: `kubelet_volume_stats_capacity_bytes${kubelet("flat")}`, values: "2880+0x1440" },
            // The same arithmetic for a node's root filesystem (day 3), and a flat one beside it.
            { series: `node_filesystem_avail_bytes${fs("10.0.1.1:9100")}`, values: "2880-1x1440" },
            { series: `node_filesystem_readonly${fs("10.0.1.1:9100")}`, values: "0+0x1440" },
            { series: `node_filesystem_avail_bytes${fs("10.0.1.2:9100")}`, values: "100+0x1440" },
            { series: `node_filesystem_readonly${fs("10.0.1.2:9100")}`, values: "0+0x1440" },
            // Prometheus's blocks grow 12 bytes an hour from 0 towards a 2880-byte size limit: 12t + 2016 > 2880
            // after hour 72, firing from hour 73. The second has no size limit (0) and never alerts.
            { series: `prometheus_tsdb_storage_blocks_bytes${prom("prometheus-0")}`, values: "0+1x1440" },
            { series: `prometheus_tsdb_retention_limit_bytes${prom("prometheus-0")}`, values: "2880+0x1440" },
            { series: `prometheus_tsdb_storage_blocks_bytes${prom("prometheus-1")}`, values: "0+1x1440" },
            { series: `prometheus_tsdb_retention_limit_bytes${prom("prometheus-1")}`, values: "0+0x1440" },
            // Nodes: n1 is the Karpenter pool `general` (its role label too), n2 the system node group, n3 unlabelled.
            { series: `kube_node_labels{${ksm}, node="n1", label_karpenter_sh_nodepool="general", label_sre_platform_io_node_role="workloads"}`, values: "1+0x1440" },
            { series: `kube_node_labels{${ksm}, node="n2", label_sre_platform_io_node_role="system"}`, values: "1+0x1440" },
            { series: `kube_node_labels{${ksm}, node="n3"}`, values: "1+0x1440" },
            ...["n1", "n2", "n3"].flatMap((n) => [
              { series: `kube_node_status_allocatable{${ksm}, node="${n}", resource="cpu", unit="core"}`, values: "4+0x1440" },
              { series: `kube_node_status_allocatable{${ksm}, node="${n}", resource="memory", unit="byte"}`, values: "16000000000+0x1440" },
            ]),
            // general: 3.6 of 4 CPUs requested (90%, alerts), 8 of 16 GB memory (50%, quiet).
            pod("a", "n1", "cpu", 2), pod("b", "n1", "cpu", 1.6), pod("a", "n1", "memory", 8000000000), phase("a", "Running"), phase("b", "Running"),
            // system: 2 of 4 CPUs (50%, quiet); a finished pod's 4 CPUs would make it 150% if it counted.
            pod("c", "n2", "cpu", 2), phase("c", "Running"), pod("done", "n2", "cpu", 4), phase("done", "Succeeded"),
            // unlabelled: 3.8 of 4 CPUs (95%): a node without a pool label still counts, in its own pool.
            pod("d", "n3", "cpu", 3.8), phase("d", "Running"),
            // Two SLOs of a 30-day period with a 0.1% budget and 60% of it left. `fast` burns at 2x over 3 days:
            // 0.6 × 30 / 2 = 9 days left, before the 30-day period ends (alerts, value 9). `slow` burns at 0.5x:
            // 0.6 × 30 / 0.5 = 36 days, more than a period (quiet).
            ...["fast", "slow"].flatMap((s) => [
              slo(s, "slo:period_error_budget_remaining:ratio", 0.6),
              slo(s, "slo:time_period:days", 30),
              slo(s, "slo:error_budget:ratio", 0.001),
            ]),
            slo("fast", "slo:sli_error:ratio_rate3d", 0.002, ', sre_window="3d"'),
            slo("slow", "slo:sli_error:ratio_rate3d", 0.0005, ', sre_window="3d"'),
          ],
          alert_rule_test: [
            { eval_time: "71h", alertname: "PersistentVolumeFullSoon", exp_alerts: [] },
            {
              eval_time: "74h",
              alertname: "PersistentVolumeFullSoon",
              exp_alerts: [{
                exp_labels: { priority: "P4", job: "kubelet", namespace: "team-a", persistentvolumeclaim: "filling" },
                exp_annotations: { summary: "Volume team-a/filling will be full within 7 days", description: description("PersistentVolumeFullSoon") },
              }],
            },
            { eval_time: "71h", alertname: "NodeFilesystemFullSoon", exp_alerts: [] },
            {
              eval_time: "74h",
              alertname: "NodeFilesystemFullSoon",
              exp_alerts: [{
                exp_labels: { priority: "P4", job: "node-exporter", instance: "10.0.1.1:9100", device: "/dev/nvme0n1p1", fstype: "xfs", mountpoint: "/" },
                exp_annotations: { summary: "Filesystem / on 10.0.1.1:9100 will be full within 7 days", description: description("NodeFilesystemFullSoon") },
              }],
            },
            { eval_time: "71h", alertname: "PrometheusStorageFullSoon", exp_alerts: [] },
            {
              eval_time: "74h",
              alertname: "PrometheusStorageFullSoon",
              exp_alerts: [{
                exp_labels: { priority: "P4", job: "kube-prometheus-stack-prometheus", namespace: "monitoring", pod: "prometheus-0", instance: "prometheus-0:9090" },
                exp_annotations: { summary: "Prometheus prometheus-0 reaches its size retention within 7 days", description: description("PrometheusStorageFullSoon") },
              }],
            },
            // The flat series stay quiet to the end: only the filling ones are listed.
            { eval_time: "119h", alertname: "PersistentVolumeFullSoon", exp_alerts: [{ exp_labels: { priority: "P4", job: "kubelet", namespace: "team-a", persistentvolumeclaim: "filling" }, exp_annotations: { summary: "Volume team-a/filling will be full within 7 days", description: description("PersistentVolumeFullSoon") } }] },
            { eval_time: "30m", alertname: "NodePoolRequestsHigh", exp_alerts: [] },
            {
              eval_time: "2h",
              alertname: "NodePoolRequestsHigh",
              exp_alerts: [
                { exp_labels: { priority: "P4", pool: "general", resource: "cpu" }, exp_annotations: { summary: "Node pool general has 90% of its allocatable cpu requested", description: description("NodePoolRequestsHigh") } },
                { exp_labels: { priority: "P4", pool: "unlabelled", resource: "cpu" }, exp_annotations: { summary: "Node pool unlabelled has 95% of its allocatable cpu requested", description: description("NodePoolRequestsHigh") } },
              ],
            },
            { eval_time: "30m", alertname: "SLOErrorBudgetExhaustedBeforePeriodEnd", exp_alerts: [] },
            {
              eval_time: "2h",
              alertname: "SLOErrorBudgetExhaustedBeforePeriodEnd",
              exp_alerts: [{
                exp_labels: { priority: "P4", sre_service: "shop", sre_slo: "fast", sre_id: "shop-fast" },
                exp_annotations: { summary: "shop fast runs out of error budget in 9 days", description: description("SLOErrorBudgetExhaustedBeforePeriodEnd") },
              }],
            },
          ],
        },
      ],
    };
    const run = checkAndTestRules("capacity-alerts", groups, tests);
    output = run.output;
    code = run.code;
  });

  test("promtool checks the rules and every trend alerts when the arithmetic says", () => {
    if (code !== 0) console.log(output);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });
});
