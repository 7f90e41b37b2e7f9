import { parse } from "yaml";
import { renderValues } from "../../../../constructs/addons/helm-addon";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../../../../constructs/addons/private/workload-values";
import { resolveWorkloadProfile } from "../../../../lib/kubernetes/workload-profile";

const profile = resolveWorkloadProfile({
  replicas: 2, spreadAcrossZones: true, runAs: { user: 1000, group: 1000 },
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
});

test("writes each setting at the chart's keys, and nothing for a key left out", () => {
  const v = workloadValues(profile, {
    replicas: ["webhook", "replicaCount"],
    resources: ["webhook", "resources"],
    podDisruptionBudget: { path: ["webhook", "podDisruptionBudget"], render: ENABLED_FLAG_BUDGET },
    topologySpreadConstraints: { path: ["webhook", "topologySpreadConstraints"], matchLabels: { app: "webhook" } },
    affinity: { path: ["webhook", "affinity"], keep: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] },
    tolerations: ["webhook", "tolerations"],
    podSecurityContext: { path: ["webhook", "podSecurityContext"], extra: { enabled: true } },
  }) as any;
  expect(Object.keys(v)).toEqual(["webhook"]);
  expect(v.webhook.replicaCount).toBe(2);
  expect(v.webhook.resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } });
  expect(v.webhook.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  expect(v.webhook.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "webhook" } } });
  expect(v.webhook.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] },
  ]);
  expect(v.webhook.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  expect(v.webhook.podSecurityContext).toMatchObject({ enabled: true, runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
  expect(v.webhook.securityContext).toBeUndefined();
  expect(v.webhook.nodeSelector).toBeUndefined();
});

test("one replica: the budget renders disabled and no spread is written", () => {
  const single = resolveWorkloadProfile({ resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } }, spreadAcrossZones: true });
  const v = workloadValues(single, { podDisruptionBudget: { path: ["pdb"], render: ENABLED_FLAG_BUDGET }, topologySpreadConstraints: { path: ["tsc"], matchLabels: { app: "x" } } });
  expect(v).toEqual({ pdb: { enabled: false }, tsc: [] });
});

test("a chart's CPU limit is written as null next to the memory limit, and the YAML carries it", () => {
  const v = workloadValues(profile, { resources: ["resources"], chartCpuLimit: ["resources", "limits", "cpu"] });
  expect(v.resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi", cpu: null } });
  const yaml = renderValues(v);
  expect(yaml).toMatch(/^\s+cpu: null$/m);
  expect(parse(yaml).resources.limits).toEqual({ memory: "64Mi", cpu: null });
});
