import type { ContainerResources } from "../addon-types";
import { unprivilegedRootContainerSecurityContext } from "../../../lib/kubernetes/security-context";
import { resolveWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { workloadValues } from "../private/workload-values";
import { FALCO_RULES_VERSION } from "../../../lib/security/falco/default-ruleset";
import { FALCO_NAMESPACE_FIELD, falcosidekickSeverityMap, type FalcoPriority } from "../../../lib/security/falco/priorities";

/** The file name of the platform's rules in the chart's rules ConfigMap (mounted at /etc/falco/rules.d/). */
export const PLATFORM_RULES_FILE = "sre-platform-rules.yaml";

/** Capabilities the chart gives Falco in least-privileged modern eBPF mode instead of `privileged: true`. */
export const FALCO_LEAST_PRIVILEGED_CAPABILITIES = ["BPF", "SYS_RESOURCE", "PERFMON", "SYS_PTRACE"] as const;

/**
 * The container runtime socket the container plugin reads pod metadata from: containerd's CRI socket, where EKS
 * AL2023 and Bottlerocket nodes both have it. Only this one is mounted: the chart's defaults also mount the Docker,
 * Podman and Bottlerocket host-containerd sockets, and each is root on the node to whoever holds it.
 */
export const CRI_SOCKET = "/run/containerd/containerd.sock";

/**
 * The falcoctl installer's context: it runs as root (it writes the rules into a volume the root Falco container reads),
 * so it takes the rest of the hardened context (drop ALL, no escalation, RuntimeDefault seccomp).
 */
export const RESTRICTED_CONTAINER = unprivilegedRootContainerSecurityContext();

/** The user and group falcosidekick's image is built for. */
const SIDEKICK_IDS = { user: 1234, group: 1234 } as const;

/** The falcoctl init container that installs the pinned rules once at start: small and short-lived. */
export const FALCOCTL_INSTALL_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } };

/** Resolved settings the values are built from (see `Falco` for defaults and meaning). */
export interface FalcoSettings {
  readonly resources: ContainerResources;
  readonly rulesYaml: string;
  /** falcosidekick's settings. @default - no falcosidekick: detections stay in Falco's logs */
  readonly forwarding?: {
    readonly alertmanagerUrl: string;
    readonly minimumPriority: FalcoPriority;
    readonly replicas: number;
    readonly resources: ContainerResources;
  };
}

/**
 * The chart values: the modern eBPF probe built into Falco (no driver loader, no kernel headers) in the chart's
 * least-privileged mode, on every node whatever its taints, the container plugin on the CRI socket only, the
 * default ruleset pinned (installed once at start, never followed), the platform's rules, and falcosidekick posting
 * to Alertmanager's v2 API with the tier of each priority.
 */
export function falcoValues(s: FalcoSettings): Record<string, unknown> {
  const rulesRef = `falco-rules:${FALCO_RULES_VERSION}`;
  const disabled = { enabled: false };
  const values: Record<string, unknown> = {
    driver: { enabled: true, kind: "modern_ebpf", modernEbpf: { leastPrivileged: true }, loader: { enabled: false } },
    // A DaemonSet that skips a tainted node leaves that node unwatched: tolerate every taint and effect.
    tolerations: [{ operator: "Exists" }],
    // Evicted last under node pressure: detection must not be the first thing a busy (or attacked) node drops.
    podPriorityClassName: "system-node-critical",
    // The chart's default limits Falco to 1000m CPU; Helm would keep it next to the memory limit. A DaemonSet on every
    // node: no placement, replicas or disruption budget.
    ...workloadValues(resolveWorkloadProfile({ resources: s.resources }), { resources: ["resources"], chartCpuLimit: ["resources", "limits", "cpu"] }),
    collectors: {
      containerEngine: {
        engines: {
          docker: disabled, podman: disabled, containerd: disabled, lxc: disabled, libvirt_lxc: disabled, bpm: disabled,
          cri: { enabled: true, sockets: [CRI_SOCKET] },
        },
      },
      kubernetes: { enabled: false },
    },
    falcoctl: {
      artifact: {
        // Rules change through a reviewed version bump, not a weekly pull of a moving tag.
        // Sized like every platform container: the admission policy refuses an init container without a memory limit.
        install: { enabled: true, securityContext: RESTRICTED_CONTAINER, resources: FALCOCTL_INSTALL_RESOURCES },
        follow: { enabled: false },
      },
      config: { artifact: { install: { refs: [rulesRef] }, follow: { refs: [rulesRef] } } },
    },
    customRules: { [PLATFORM_RULES_FILE]: s.rulesYaml },
    // Falco's own Prometheus metrics on its web server's port (8765, `/metrics`), scraped by the platform's PodMonitor
    // (`FalcoMonitoring`): no Service for them.
    metrics: { enabled: true, service: { create: false } },
    falco: {
      webserver: { prometheus_metrics_enabled: true },
      // Every syscall event names its pod's namespace (null, so no label, on the host): falcosidekick turns it into the
      // `k8s_ns_name` label Alertmanager routes a team's detections by, whether or not the rule's output names it. The
      // chart's default (the plugins' suggested fields) is kept.
      append_output: [{ suggested_output: true }, { match: { source: "syscall" }, extra_fields: [FALCO_NAMESPACE_FIELD] }],
    },
    falcosidekick: s.forwarding ? sidekickValues(s.forwarding) : { enabled: false },
  };
  return values;
}

function sidekickValues(f: NonNullable<FalcoSettings["forwarding"]>): Record<string, unknown> {
  // The sub-chart has no disruption budget value: `Falco` creates one from the same profile. Placement stays the
  // chart's (anywhere): falcosidekick is not a cluster-critical controller.
  const profile = resolveWorkloadProfile({ replicas: f.replicas, resources: f.resources, runAs: SIDEKICK_IDS });
  return {
    enabled: true,
    // falcosidekick's image runs as 1234; the platform's one hardened context otherwise.
    ...workloadValues(profile, {
      replicas: ["replicaCount"],
      resources: ["resources"],
      podSecurityContext: { path: ["podSecurityContext"] },
      containerSecurityContext: { path: ["securityContext"] },
    }),
    webui: { enabled: false },
    config: {
      alertmanager: {
        hostport: f.alertmanagerUrl,
        // Alertmanager 0.27 removed the v1 API, which is falcosidekick's default.
        endpoint: "/api/v2/alerts",
        minimumpriority: f.minimumPriority.toLowerCase(),
        customseveritymap: falcosidekickSeverityMap(),
        // Falco reports dropped syscalls as events; falcosidekick raises their priority by how many were dropped, to
        // CRITICAL (a P0 night page) by default. A drop is a blind spot to look at today (ERROR, P1) when large, a
        // chat message (WARNING, P2) when small.
        dropeventdefaultpriority: "error",
        dropeventthresholds: "1000:error, 1:warning",
        checkcert: true,
      },
    },
  };
}
