import type { EnvironmentConfig } from "../lib/config/environment-schema";

type FalcoConfig = EnvironmentConfig["security"]["falco"];

/**
 * Runtime detection every environment shares unless it says otherwise: the files whose read is an intrusion signal,
 * the namespaces watched for traffic to public addresses, and why Falco's namespace is `privileged`.
 */
export const falcoShared = {
  rules: {
    // Credentials a workload never needs to read. Not the service-account or IRSA token files: every SDK reads those.
    sensitiveFiles: ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/root/.ssh/authorized_keys", "/root/.aws/credentials"],
    // The application namespaces reach only their payment provider (documentation ranges: replace with the provider's
    // published ranges); the cluster and VPC ranges are private and never flagged. Each is a team namespace.
    outbound: {
      payments: [{ cidr: "203.0.113.0/24", ports: [443] }],
    },
  },
  podSecurity: {
    level: "privileged",
    reason: "Falco reads every node through hostPath volumes (/proc, /etc, /sys/kernel, the CRI socket) and needs BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE to load its eBPF probe; baseline and restricted refuse both",
  },
} as const satisfies Pick<FalcoConfig, "podSecurity"> & { rules: { sensitiveFiles: readonly string[]; outbound: Record<string, ReadonlyArray<{ cidr: string; ports?: readonly number[] }>> } };

/** A deep copy as the mutable config type (the shared object is `as const`). */
export function falcoRules(): FalcoConfig["rules"] {
  return {
    sensitiveFiles: [...falcoShared.rules.sensitiveFiles],
    outbound: Object.fromEntries(Object.entries(falcoShared.rules.outbound).map(([ns, ds]) => [ns, ds.map((d) => ({ cidr: d.cidr, ports: [...d.ports] }))])),
  };
}
