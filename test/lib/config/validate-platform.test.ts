import { ENVIRONMENTS } from "../../../environments";
import { validateEnvironment } from "../../../lib/config/validate-environment";
import { configErrorsWith, type Mutable } from "../../support/config-errors";
import { dev } from "../../../environments/dev";
import { staging } from "../../../environments/staging";
import { prod } from "../../../environments/prod";

const messages = configErrorsWith;

const pool = (c: Mutable) => c.platform.karpenter.nodePools[0];

describe("platform and observability configuration", () => {
  test("accepts the shipped environments; staging runs Karpenter for its workloads", () => {
    for (const env of ENVIRONMENTS) expect(validateEnvironment(env).problems).toEqual([]);
    expect(staging.platform.autoscaler).toBe("karpenter");
    expect(staging.platform.karpenter?.nodePools.map((p) => p.labels["sre-platform.io/node-role"])).toEqual(["workloads"]);
    expect(staging.platform.karpenter?.nodePools.map((p) => `${p.amiFamily}@${p.amiVersion}`)).toEqual(["AL2023@v20260714"]);
  });

  test("spot where the environment allows it: dev's system group and prod's workload group are spot; a system pool of a protected environment may be on-demand only", () => {
    expect(dev.cluster.nodeGroups.map((g) => g.capacityType)).toEqual(["SPOT"]);
    expect(prod.cluster.nodeGroups.map((g) => `${g.name}:${g.capacityType}`)).toEqual(["system:ON_DEMAND", "workloads:SPOT"]);
    const onDemandSystemPool = structuredClone(staging) as any;
    Object.assign(onDemandSystemPool.platform.karpenter.nodePools[0], { labels: { "sre-platform.io/node-role": "system" }, capacityTypes: ["on-demand"] });
    expect(validateEnvironment(onDemandSystemPool).problems).toEqual([]);
  });

  test("sizes are data: prod is highly available, dev is one of each", () => {
    expect([prod.observability.prometheus.replicas, prod.observability.alertmanager.replicas, prod.observability.spreadAcrossZones]).toEqual([2, 3, true]);
    expect([dev.observability.prometheus.replicas, dev.observability.alertmanager.replicas, dev.observability.spreadAcrossZones]).toEqual([1, 1, false]);
  });

  test("logs are data: every environment ships them, prod keeps node logs a year", () => {
    expect([dev, staging, prod].map((e) => [e.observability.logs.enabled, e.observability.logs.retentionDays, e.observability.logs.hostRetentionDays])).toEqual([
      [true, 14, undefined],
      [true, 30, undefined],
      [true, 90, 365],
    ]);
  });

  test("tracing is data: every trace in dev for days, a share plus errors and slow traces in staging and prod for weeks; absent, off", () => {
    expect([dev, staging, prod].map((e) => [e.observability.tracing?.sampling.percentage, e.observability.tracing?.sampling.keepErrors, e.observability.tracing?.retentionDays])).toEqual([
      [100, false, 3],
      [25, true, 7],
      [10, true, 14],
    ]);
    const { tracing: _omitted, ...withoutTracing } = prod.observability;
    expect(validateEnvironment({ ...prod, observability: withoutTracing }).problems).toEqual([]);
  });

  test("capacity horizons are data: prod warns two weeks ahead, dev three days; without the section the defaults apply", () => {
    expect([dev, staging, prod].map((e) => e.observability.capacity?.volumesFullWithinDays)).toEqual([3, 7, 14]);
    const { capacity: _omitted, ...withoutCapacity } = prod.observability;
    expect(validateEnvironment({ ...prod, observability: withoutCapacity }).problems).toEqual([]);
  });

  // One row per rule: the environment to start from, how to break it, what the user reads.
  const rules: Array<[string, object, (c: Mutable) => void, RegExp]> = [
    ["Karpenter is chosen without node pools", dev, (c) => (c.platform.autoscaler = "karpenter"), /platform\.karpenter: got nothing; allowed: node pools \(platform\.karpenter\.nodePools\) when platform\.autoscaler is "karpenter"/],
    ["node pools are given without Karpenter", staging, (c) => (c.platform.autoscaler = "cluster-autoscaler"), /platform\.karpenter: got "\(node pools\)"; allowed: nothing when platform\.autoscaler is not "karpenter"/],
    ["the node pool list is empty", staging, (c) => (c.platform.karpenter.nodePools = []), /platform\.karpenter\.nodePools: got \[\]; allowed: at least 1 item\(s\) \(at least one node pool/],
    ["two node pools share a name", staging, (c) => c.platform.karpenter.nodePools.push(structuredClone(pool(c))), /platform\.karpenter\.nodePools\[1\]\.name: got "workloads"; allowed: a name no other node pool uses/],
    ["the AMI family is unknown", staging, (c) => (pool(c).amiFamily = "AL2"), /nodePools\[0\]\.amiFamily: got "AL2"; allowed: one of "AL2023", "Bottlerocket"/],
    ["the AMI version is latest (a fleet-wide rollout whenever AWS publishes)", staging, (c) => (pool(c).amiVersion = "latest"), /nodePools\[0\]\.amiVersion: got "latest"; allowed: a reviewed AL2023 release \(v20260714; lib\/eks\/ami-versions\.ts\): with latest Karpenter replaces every node/],
    ["a Bottlerocket pool takes latest", staging, (c) => Object.assign(pool(c), { amiFamily: "Bottlerocket", amiVersion: "latest" }), /nodePools\[0\]\.amiVersion: got "latest"; allowed: a pinned Bottlerocket release/],
    ["the AMI version is not a reviewed release", staging, (c) => (pool(c).amiVersion = "v20250101"), /nodePools\[0\]\.amiVersion: got "v20250101"; allowed: a reviewed AL2023 release \(v20260714; add a newer one/],
    ["an instance family is an instance type", staging, (c) => (pool(c).instanceFamilies = ["m7i.large"]), /nodePools\[0\]\.instanceFamilies\[0\]: got "m7i\.large"; allowed: an EC2 instance family/],
    ["a capacity type is unknown", staging, (c) => (pool(c).capacityTypes = ["spot", "reserved"]), /nodePools\[0\]\.capacityTypes\[1\]: got "reserved"; allowed: one of "spot", "on-demand"/],
    ["a protected environment's system node group is spot", prod, (c) => (c.cluster.nodeGroups[0].capacityType = "SPOT"), /cluster\.nodeGroups\[0\]\.capacityType: got "SPOT"; allowed: "ON_DEMAND": on-demand capacity for the system nodes \(sre-platform\.io\/node-role=system\) of an environment with protection\.preventDestroy/],
    ["a protected environment's Karpenter pool for system nodes may take spot", staging, (c) => (pool(c).labels = { "sre-platform.io/node-role": "system" }), /nodePools\[0\]\.capacityTypes: got \["spot","on-demand"\]; allowed: \["on-demand"\]: on-demand capacity for the system nodes/],
    ["a capacity type is listed twice", staging, (c) => (pool(c).capacityTypes = ["spot", "spot"]), /nodePools\[0\]\.capacityTypes: got \["spot","spot"\]; allowed: each capacity type once/],
    ["a limit is zero", staging, (c) => (pool(c).limits.cpu = 0), /nodePools\[0\]\.limits\.cpu: got 0; allowed: at least 1/],
    ["a disruption duration is not a duration", staging, (c) => (pool(c).disruption.expireAfter = "30d"), /nodePools\[0\]\.disruption\.expireAfter: got "30d"; allowed: a duration such as 30s, 10m or 720h, or Never/],
    ["a budget is not a count or percentage", staging, (c) => (pool(c).disruption.budgets = [{ nodes: "half" }]), /nodePools\[0\]\.disruption\.budgets\[0\]\.nodes: got "half"/],
    ["a budget has a schedule without a duration", staging, (c) => (pool(c).disruption.budgets = [{ nodes: "0", schedule: "@daily" }]), /budgets\[0\]\.schedule: got "@daily"; allowed: schedule and duration together/],
    ["a node label is in Karpenter's domain", staging, (c) => (pool(c).labels = { "karpenter.sh/nodepool": "x" }), /nodePools\[0\]\.labels\.karpenter\.sh\/nodepool: got "karpenter\.sh\/nodepool"; allowed: a label outside/],
    ["a node label value is invalid", staging, (c) => (pool(c).labels = { team: "a b" }), /nodePools\[0\]\.labels\.team: got "a b"/],
    ["a taint key is invalid", staging, (c) => (pool(c).taints = [{ key: "bad key", effect: "NoSchedule" }]), /nodePools\[0\]\.taints\[0\]\.key: got "bad key"/],
    ["the volume is too small", staging, (c) => (pool(c).volumeSizeGiB = 10), /nodePools\[0\]\.volumeSizeGiB: got 10; allowed: at least 20/],
    ["the secrets prefix has a wildcard", dev, (c) => (c.platform.externalSecrets.secretsManagerPrefix = "sre-platform/*"), /platform\.externalSecrets\.secretsManagerPrefix: got "sre-platform\/\*"; allowed: a Secrets Manager path/],
    ["a duration is not a Prometheus duration", dev, (c) => (c.observability.prometheus.retention = "a week"), /observability\.prometheus\.retention: got "a week"; allowed: a Prometheus duration/],
    ["a resource is not a quantity", dev, (c) => (c.observability.alertmanager.resources.requests.cpu = "lots"), /observability\.alertmanager\.resources\.requests\.cpu: got "lots"; allowed: a Kubernetes quantity/],
    ["Prometheus has no replica", dev, (c) => (c.observability.prometheus.replicas = 0), /observability\.prometheus\.replicas: got 0; allowed: at least 1/],
    ["Alertmanager forgets notifications before the weekly digest repeats", staging, (c) => (c.observability.alertmanager.retention = "120h"), /observability\.alertmanager\.retention: got "120h"; allowed: at least 168h, the longest repeat interval/],
    ["more Alertmanagers than two per zone are spread", prod, (c) => (c.observability.alertmanager.replicas = 7), /observability\.alertmanager\.replicas: got 7; allowed: at most 6 when spread across 3 zones/],
    ["a capacity horizon is zero", dev, (c) => (c.observability.capacity.volumesFullWithinDays = 0), /observability\.capacity\.volumesFullWithinDays: got 0; allowed: at least 1/],
    ["a capacity horizon is months away", prod, (c) => (c.observability.capacity.filesystemsFullWithinDays = 180), /observability\.capacity\.filesystemsFullWithinDays: got 180; allowed: at most 90/],
    ["a capacity horizon is fractional", staging, (c) => (c.observability.capacity.prometheusFullWithinDays = 2.5), /observability\.capacity\.prometheusFullWithinDays: got 2\.5; allowed: /],
    ["the trend window is under an hour", dev, (c) => (c.observability.capacity.trendWindow = "5m"), /observability\.capacity\.trendWindow: got "5m"; allowed: a Prometheus duration such as 30s, 1m, 15d or 1h30m, at least 1h/],
    ["the trend window is longer than Prometheus keeps samples", dev, (c) => (c.observability.capacity.trendWindow = "8d"), /observability\.capacity\.trendWindow: got "8d"; allowed: at most observability\.prometheus\.retention \(7d\)/],
    ["the pool requests threshold is over 100%", prod, (c) => (c.observability.capacity.poolRequestsPercent = 120), /observability\.capacity\.poolRequestsPercent: got 120; allowed: at most 100/],
    ["a capacity field is misspelt", prod, (c) => (c.observability.capacity.volumeFullWithinDays = 7), /observability\.capacity\.volumeFullWithinDays: got 7; allowed: no field "volumeFullWithinDays" here \(did you mean "volumesFullWithinDays"\?\); known fields: volumesFullWithinDays/],
    ["the container logs' retention is not a CloudWatch Logs period", dev, (c) => (c.observability.logs.retentionDays = 10), /observability\.logs\.retentionDays: got 10; allowed: one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30/],
    ["the host logs' retention is not a CloudWatch Logs period", prod, (c) => (c.observability.logs.hostRetentionDays = 366), /observability\.logs\.hostRetentionDays: got 366; allowed: one of the CloudWatch Logs retention periods/],
    ["the logs section has no switch", staging, (c) => delete c.observability.logs.enabled, /observability\.logs\.enabled: got nothing; allowed: /],
    ["an observability field is misspelt", dev, (c) => (c.observability.prometheus.retentionDays = 7), /observability\.prometheus\.retentionDays: got 7; allowed: no field "retentionDays" here \(did you mean "retention"\?\); known fields: replicas, resources, retention/],
    ["nothing is sampled", prod, (c) => (c.observability.tracing.sampling.percentage = 0), /observability\.tracing\.sampling\.percentage: got 0; allowed: a percentage above 0 and at most 100 \(no tracing at all is tracing\.enabled: false\)/],
    ["more than every trace is sampled", prod, (c) => (c.observability.tracing.sampling.percentage = 150), /observability\.tracing\.sampling\.percentage: got 150; allowed: .*100/],
    ["the latency threshold is not a duration", prod, (c) => (c.observability.tracing.sampling.slowerThan = "slow"), /observability\.tracing\.sampling\.slowerThan: got "slow"; allowed: a Prometheus duration such as 30s, 1m, 15d or 1h30m, above zero/],
    ["the trace retention is zero days", dev, (c) => (c.observability.tracing.retentionDays = 0), /observability\.tracing\.retentionDays: got 0; allowed: at least 1/],
    ["a tracing field is misspelt", staging, (c) => (c.observability.tracing.retention = "7d"), /observability\.tracing\.retention: got "7d"; allowed: no field "retention" here; known fields: enabled, sampling, retentionDays, tempo, collector/],
  ];
  test.each(rules)("fails when %s", (_name, base, mutate, expected) => {
    const lines = messages(base, mutate);
    expect(lines.join("\n")).toMatch(expected);
  });
});
