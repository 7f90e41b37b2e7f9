import type { MeshConfig } from "../lib/config/security/mesh";

/** What every environment's mesh shares: the Pod Security exception of the CNI node agent and why it needs it. */
export const meshShared = {
  cniPodSecurity: {
    level: "privileged",
    reason:
      "the Istio CNI node agent (istio-system) runs as root with hostPath mounts of the CNI directories and NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_PTRACE and DAC_OVERRIDE to set up each meshed pod's traffic redirection; baseline and restricted refuse it, and it is what lets every meshed pod stay restricted",
  },
} as const satisfies { cniPodSecurity: MeshConfig["cni"]["podSecurity"] };
