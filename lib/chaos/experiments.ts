/**
 * The chaos experiments the platform offers, as data: Litmus 3 `ChaosExperiment` definitions of pod-delete,
 * pod-network-latency, pod-cpu-hog and node-drain, after litmuschaos/chaos-charts (`faults/kubernetes/<name>/fault.yaml`
 * at b2662c2307bfa34210efbfb451c1b82e45a4d4ad, 2026-04-16, the charts of litmus 3.28/3.29), with the go-runner image
 * pinned and pulled from Docker Hub directly. The permissions are upstream's, unchanged: the ChaosExperiment objects
 * and the chaos ServiceAccounts' Roles are both built from this one table, so a Role can never drift from what the
 * experiment declares. Framework-free: the constructs turn it into custom resources and RBAC objects.
 */

/** The experiments on offer, by their Litmus name. */
export const CHAOS_EXPERIMENTS = ["pod-delete", "pod-network-latency", "pod-cpu-hog", "node-drain"] as const;
/** One experiment's Litmus name. */
export type ChaosExperimentName = (typeof CHAOS_EXPERIMENTS)[number];

/** litmus-go's experiment image, the version of the operator (`LITMUS_IMAGE_TAG`). */
export const GO_RUNNER_IMAGE = "docker.io/litmuschaos/go-runner:3.29.0";

/** One RBAC rule as `spec.definition.permissions` lists it (and a Role takes it). */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** One experiment's definition and what the platform needs to know about it. */
export interface ExperimentDefinition {
  readonly name: ChaosExperimentName;
  readonly description: string;
  /** `Cluster` where the experiment acts on cluster-scoped objects (nodes). */
  readonly scope: "Namespaced" | "Cluster";
  readonly permissions: readonly PolicyRule[];
  /** The experiment's environment as upstream defines it, minus what only other chaos libraries use (pumba's images). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Whether the experiment starts a helper pod on the target's node that is privileged, shares the host's PID
   * namespace and mounts the container runtime's socket (to enter the target's network or cgroup): the chaos
   * namespace then needs Pod Security `privileged` and the admission exemptions for them.
   */
  readonly privilegedHelper: boolean;
}

const verbsCrud = ["create", "delete", "get", "list", "patch", "update", "deletecollection"];

/** The rules every pod-level experiment declares: its own pods, events, logs, exec, owners, jobs and Litmus objects. */
const POD_EXPERIMENT_PERMISSIONS: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["pods"], verbs: verbsCrud },
  { apiGroups: [""], resources: ["events"], verbs: ["create", "get", "list", "patch", "update"] },
  { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] },
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["get", "list", "create"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets", "daemonsets"], verbs: ["list", "get"] },
  { apiGroups: ["apps.openshift.io"], resources: ["deploymentconfigs"], verbs: ["list", "get"] },
  { apiGroups: [""], resources: ["replicationcontrollers"], verbs: ["get", "list"] },
  { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["list", "get"] },
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "list", "get", "delete", "deletecollection"] },
  { apiGroups: ["litmuschaos.io"], resources: ["chaosengines", "chaosexperiments", "chaosresults"], verbs: ["create", "list", "get", "patch", "update", "delete"] },
];

const COMMON_ENV = { RAMP_TIME: "", TARGET_PODS: "", PODS_AFFECTED_PERC: "", TARGET_CONTAINER: "", DEFAULT_HEALTH_CHECK: "false", NODE_LABEL: "", SEQUENCE: "parallel" };
/** Where EKS nodes' containerd listens; the helper pods mount it to find the target's process. */
const CONTAINERD = { CONTAINER_RUNTIME: "containerd", SOCKET_PATH: "/run/containerd/containerd.sock" };

/** The four experiments' definitions. */
export const EXPERIMENT_DEFINITIONS: Readonly<Record<ChaosExperimentName, ExperimentDefinition>> = {
  "pod-delete": {
    name: "pod-delete",
    description: "Deletes a pod belonging to a deployment/statefulset/daemonset",
    scope: "Namespaced",
    permissions: POD_EXPERIMENT_PERMISSIONS,
    env: { TOTAL_CHAOS_DURATION: "15", FORCE: "true", CHAOS_INTERVAL: "5", ...COMMON_ENV },
    privilegedHelper: false,
  },
  "pod-network-latency": {
    name: "pod-network-latency",
    description: "Injects network latency on pods belonging to an app deployment",
    scope: "Namespaced",
    permissions: POD_EXPERIMENT_PERMISSIONS,
    env: { NETWORK_INTERFACE: "eth0", LIB_IMAGE: GO_RUNNER_IMAGE, NETWORK_LATENCY: "2000", TOTAL_CHAOS_DURATION: "60", JITTER: "0", DESTINATION_IPS: "", DESTINATION_HOSTS: "", ...CONTAINERD, ...COMMON_ENV },
    privilegedHelper: true,
  },
  "pod-cpu-hog": {
    name: "pod-cpu-hog",
    description: "Injects CPU consumption on pods belonging to an app deployment",
    scope: "Namespaced",
    permissions: POD_EXPERIMENT_PERMISSIONS,
    env: { TOTAL_CHAOS_DURATION: "60", CPU_CORES: "1", CPU_LOAD: "100", LIB_IMAGE: GO_RUNNER_IMAGE, ...CONTAINERD, ...COMMON_ENV },
    privilegedHelper: true,
  },
  "node-drain": {
    name: "node-drain",
    description: "Drain the node where application pod is scheduled",
    scope: "Cluster",
    permissions: [
      { apiGroups: [""], resources: ["pods"], verbs: verbsCrud },
      { apiGroups: [""], resources: ["events"], verbs: ["create", "get", "list", "patch", "update"] },
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods/exec", "pods/eviction"], verbs: ["get", "list", "create"] },
      { apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["list", "get", "delete"] },
      { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "list", "get", "delete", "deletecollection"] },
      { apiGroups: ["litmuschaos.io"], resources: ["chaosengines", "chaosexperiments", "chaosresults"], verbs: ["create", "list", "get", "patch", "update", "delete"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"] },
    ],
    env: { TARGET_NODE: "", NODE_LABEL: "", TOTAL_CHAOS_DURATION: "60", RAMP_TIME: "", DEFAULT_HEALTH_CHECK: "false" },
    privilegedHelper: false,
  },
};

/** Resources that exist only cluster-wide: rules naming them can only be granted by a ClusterRole. */
const CLUSTER_SCOPED_RESOURCES = new Set(["nodes"]);

/**
 * The union of the experiments' rules, one rule per API group and resource with every verb any of them needs, sorted
 * so the Role is stable whatever the order of the experiments. Cluster-scoped resources are left out unless
 * `clusterScoped` (a namespaced Role cannot grant them).
 */
export function unionPermissions(experiments: Iterable<ChaosExperimentName>, options: { readonly clusterScoped?: boolean } = {}): PolicyRule[] {
  const verbs = new Map<string, Set<string>>();
  for (const name of experiments) {
    for (const rule of EXPERIMENT_DEFINITIONS[name].permissions) {
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          if (!options.clusterScoped && CLUSTER_SCOPED_RESOURCES.has(resource)) continue;
          const key = `${group}\u0000${resource}`;
          const set = verbs.get(key) ?? new Set<string>();
          for (const v of rule.verbs) set.add(v);
          verbs.set(key, set);
        }
      }
    }
  }
  // Rules with the same group and verbs are merged back into one, as upstream writes them.
  const merged = new Map<string, { apiGroup: string; resources: string[]; verbs: string[] }>();
  for (const [key, set] of [...verbs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [group, resource] = key.split("\u0000") as [string, string];
    const v = [...set].sort();
    const k = `${group}\u0000${v.join(",")}`;
    const m = merged.get(k) ?? { apiGroup: group, resources: [], verbs: v };
    m.resources.push(resource);
    merged.set(k, m);
  }
  return [...merged.values()].map((m) => ({ apiGroups: [m.apiGroup], resources: m.resources, verbs: m.verbs }));
}

/** The tunables of each experiment, as `chaos.litmus.targets[].experiments` takes them. */
export interface ExperimentTunables {
  readonly "pod-delete": { readonly durationSeconds?: number; readonly intervalSeconds?: number; readonly force?: boolean; readonly podsAffectedPercent?: number };
  readonly "pod-network-latency": { readonly durationSeconds?: number; readonly latencyMs?: number; readonly jitterMs?: number; readonly podsAffectedPercent?: number };
  readonly "pod-cpu-hog": { readonly durationSeconds?: number; readonly cpuCores?: number; readonly cpuLoad?: number; readonly podsAffectedPercent?: number };
  readonly "node-drain": { readonly durationSeconds?: number };
}

/**
 * The platform's defaults, gentler than upstream's where upstream would take a service down on its first run: half the
 * pods (upstream: every one), graceful deletes (upstream: forced), 300 ms of latency (upstream: 2 s).
 */
export const EXPERIMENT_TUNABLE_DEFAULTS: { readonly [K in ChaosExperimentName]: Required<ExperimentTunables[K]> } = {
  "pod-delete": { durationSeconds: 30, intervalSeconds: 10, force: false, podsAffectedPercent: 50 },
  "pod-network-latency": { durationSeconds: 60, latencyMs: 300, jitterMs: 0, podsAffectedPercent: 50 },
  "pod-cpu-hog": { durationSeconds: 60, cpuCores: 1, cpuLoad: 100, podsAffectedPercent: 50 },
  "node-drain": { durationSeconds: 120 },
};

/** The environment variables a ChaosEngine sets for one experiment: its tunables over the platform's defaults. */
export function experimentEnv<K extends ChaosExperimentName>(name: K, tunables: ExperimentTunables[K] = {}): Array<{ name: string; value: string }> {
  const t = { ...EXPERIMENT_TUNABLE_DEFAULTS[name], ...(tunables as object) } as Record<string, number | boolean>;
  const names: Record<string, string> = {
    durationSeconds: "TOTAL_CHAOS_DURATION",
    intervalSeconds: "CHAOS_INTERVAL",
    force: "FORCE",
    podsAffectedPercent: "PODS_AFFECTED_PERC",
    latencyMs: "NETWORK_LATENCY",
    jitterMs: "JITTER",
    cpuCores: "CPU_CORES",
    cpuLoad: "CPU_LOAD",
  };
  return Object.keys(EXPERIMENT_TUNABLE_DEFAULTS[name]).map((key) => ({ name: names[key]!, value: String(t[key]) }));
}
