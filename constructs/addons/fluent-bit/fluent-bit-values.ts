import type { ContainerResources } from "../addon-types";
import { resolveWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { unprivilegedRootContainerSecurityContext } from "../../../lib/kubernetes/security-context";
import { renderClassicConfig } from "../../../lib/observability/logs/fluent-bit-config";
import { FLUENT_BIT_HOST_PATHS, FLUENT_BIT_METRICS_PORT, type LogPipeline } from "../../../lib/observability/logs/log-pipeline";
import { workloadValues } from "../private/workload-values";

/** Where Fluent Bit's image comes from: the Fluent project's own registry, the chart's default, at the chart's appVersion. */
export const FLUENT_BIT_IMAGE = { registry: "cr.fluentbit.io/fluent", repository: "cr.fluentbit.io/fluent/fluent-bit", tag: "5.1.1" } as const;

/** A hostPath volume of the pod and where it is mounted. */
export interface FluentBitHostVolume {
  readonly name: string;
  readonly path: string;
  readonly type: "Directory" | "DirectoryOrCreate";
  readonly readOnly: boolean;
}

/**
 * Every node path the pod mounts, and nothing else of the node: the three log directories read-only (the chart's
 * default mounts all of `/var/log` writable and Docker's `/var/lib/docker/containers`, which containerd nodes do not
 * have), and the state directory, the one place it writes. The journal may be absent on a node image that keeps it in
 * memory, so it is created empty rather than failing the pod.
 */
export const FLUENT_BIT_HOST_VOLUMES: readonly FluentBitHostVolume[] = [
  { name: "var-log-containers", path: FLUENT_BIT_HOST_PATHS.containers, type: "Directory", readOnly: true },
  { name: "var-log-pods", path: FLUENT_BIT_HOST_PATHS.pods, type: "Directory", readOnly: true },
  { name: "var-log-journal", path: FLUENT_BIT_HOST_PATHS.journal, type: "DirectoryOrCreate", readOnly: true },
  { name: "state", path: FLUENT_BIT_HOST_PATHS.state, type: "DirectoryOrCreate", readOnly: false },
];

/**
 * The container's context: root (uid and gid 0) and nothing more. The kubelet and containerd write the pod log files
 * `0640 root:root` and journald its files `0640 root:systemd-journal`: root reads them as their owner, so every
 * capability is dropped (no DAC_OVERRIDE or DAC_READ_SEARCH is needed), without escalation or privilege, on a
 * read-only root filesystem, under the runtime's seccomp profile.
 */
export const FLUENT_BIT_CONTAINER_SECURITY_CONTEXT = {
  ...unprivilegedRootContainerSecurityContext(),
  runAsUser: 0,
  runAsGroup: 0,
  runAsNonRoot: false,
  readOnlyRootFilesystem: true,
} as const;

/**
 * Environment variables the pipeline reads its deploy-time values from (`${NAME}` in the classic format): the log group
 * names hold the cluster's name, a reference to another stack, and the region may be a data source's. As variables
 * the configuration text stays literal, and each value is one plain string where the GitOps bridge can carry it.
 */
export const FLUENT_BIT_ENV = { containersLogGroup: "LOG_GROUP_CONTAINERS", hostLogGroup: "LOG_GROUP_HOST", region: "LOG_GROUPS_REGION" } as const;

/** `${NAME}`: how the classic format reads an environment variable. */
export function envReference(name: string): string {
  return `\${${name}}`;
}

/** Resolved settings the values are built from (see `FluentBit` for defaults and meaning). */
export interface FluentBitSettings {
  readonly resources: ContainerResources;
  readonly pipeline: LogPipeline;
  /** The values of {@link FLUENT_BIT_ENV}'s variables, by their names. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The chart values: a DaemonSet on every node whatever its taints, evicted last, the pipeline rendered in the classic
 * format at the chart's config keys, only the host paths above, no test pod, no Service monitor or rule of the chart's
 * (the platform's PodMonitor and alerts come in a later stack, after the monitoring CRDs).
 */
export function fluentBitValues(s: FluentBitSettings): Record<string, unknown> {
  const p = s.pipeline;
  return {
    kind: "DaemonSet",
    image: { repository: FLUENT_BIT_IMAGE.repository, tag: FLUENT_BIT_IMAGE.tag, pullPolicy: "IfNotPresent" },
    // The chart's connection test pod pulls busybox:latest.
    testFramework: { enabled: false },
    rbac: { create: true, nodeAccess: false, eventsAccess: false },
    // A node whose logs are not shipped is a blind spot: tolerate every taint and effect, as node agents do.
    tolerations: [{ operator: "Exists" }],
    priorityClassName: "system-node-critical",
    // The chart sets no CPU limit of its own; a DaemonSet on every node: no placement, replicas or disruption budget.
    ...workloadValues(resolveWorkloadProfile({ resources: s.resources }), { resources: ["resources"] }),
    securityContext: structuredClone(FLUENT_BIT_CONTAINER_SECURITY_CONTEXT),
    env: Object.entries(s.env).map(([name, value]) => ({ name, value })),
    metricsPort: FLUENT_BIT_METRICS_PORT,
    serviceMonitor: { enabled: false },
    prometheusRule: { enabled: false },
    dashboards: { enabled: false },
    hotReload: { enabled: false },
    daemonSetVolumes: FLUENT_BIT_HOST_VOLUMES.map((v) => ({ name: v.name, hostPath: { path: v.path, type: v.type } })),
    daemonSetVolumeMounts: FLUENT_BIT_HOST_VOLUMES.map((v) => ({ name: v.name, mountPath: v.path, readOnly: v.readOnly })),
    config: {
      service: renderClassicConfig([p.service]),
      inputs: renderClassicConfig(p.inputs),
      filters: renderClassicConfig(p.filters),
      outputs: renderClassicConfig(p.outputs),
      // The built-in parsers (parsers.conf in the image) and multiline parsers cover the pipeline: no custom ones.
      customParsers: "",
    },
  };
}
