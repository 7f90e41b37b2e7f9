import type { KubernetesVersion } from "./versions";
import type { PodPolicyKey, WorkloadExemption } from "../security/admission/policies";

/**
 * The EKS managed add-ons every cluster of this platform runs, by the key configuration and props use
 * (`cluster.addonVersions.<key>`), with the EKS add-on name each stands for.
 */
export const EKS_MANAGED_ADDONS = {
  vpcCni: "vpc-cni",
  coreDns: "coredns",
  kubeProxy: "kube-proxy",
  podIdentityAgent: "eks-pod-identity-agent",
  ebsCsiDriver: "aws-ebs-csi-driver",
  efsCsiDriver: "aws-efs-csi-driver",
} as const;

export type EksManagedAddonKey = keyof typeof EKS_MANAGED_ADDONS;

export const EKS_MANAGED_ADDON_KEYS = Object.keys(EKS_MANAGED_ADDONS) as EksManagedAddonKey[];

/**
 * Managed add-ons a cluster runs only with EFS storage (`storage.efs`): without file systems there is nothing for
 * them to mount, so the cluster leaves them out and configuration need not pin them.
 */
export const EKS_MANAGED_ADDONS_ONLY_WITH_EFS: ReadonlySet<EksManagedAddonKey> = new Set<EksManagedAddonKey>(["efsCsiDriver"]);

/** Whether a cluster runs the managed add-on, given whether it has EFS storage. */
export function runsManagedAddon(key: EksManagedAddonKey, opts: { readonly efs: boolean }): boolean {
  return opts.efs || !EKS_MANAGED_ADDONS_ONLY_WITH_EFS.has(key);
}

/** An EKS add-on version as `aws eks describe-addon-versions` lists it: `v<major>.<minor>.<patch>-eksbuild.<n>`. */
export const EKS_ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** What {@link EKS_ADDON_VERSION} allows, for error messages. */
export const EKS_ADDON_VERSION_RULE = "an EKS add-on version such as v1.20.4-eksbuild.1 (`aws eks describe-addon-versions` lists them)";

/**
 * The add-on versions this platform has reviewed for each Kubernetes minor it supports: what a protected
 * environment pins. Each is a published version of the EKS add-on that EKS lists as compatible with that
 * minor. Raising one is a reviewed diff here (and in the environments that pin it); before adding a row or
 * a version, check it with
 * `aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <name>` and read the add-on's
 * release notes.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
 */
export const REVIEWED_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, Readonly<Record<EksManagedAddonKey, string>>>> = {
  "1.32": {
    vpcCni: "v1.20.4-eksbuild.1",
    coreDns: "v1.11.4-eksbuild.24",
    kubeProxy: "v1.32.9-eksbuild.2",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.46.0-eksbuild.1",
    efsCsiDriver: "v2.3.1-eksbuild.1",
  },
  "1.33": {
    vpcCni: "v1.20.4-eksbuild.1",
    coreDns: "v1.12.4-eksbuild.1",
    kubeProxy: "v1.33.5-eksbuild.2",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.46.0-eksbuild.1",
    efsCsiDriver: "v2.3.1-eksbuild.1",
  },
  "1.34": {
    vpcCni: "v1.20.4-eksbuild.1",
    coreDns: "v1.12.4-eksbuild.1",
    kubeProxy: "v1.34.1-eksbuild.2",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.51.1-eksbuild.1",
    efsCsiDriver: "v2.3.1-eksbuild.1",
  },
};

/**
 * Why a pinned add-on version is not acceptable for a Kubernetes minor, or undefined when it is: it must be
 * well-formed and be the reviewed version for that minor (when the minor has a row).
 */
export function addonVersionProblem(key: EksManagedAddonKey, version: string, kubernetesVersion: string): string | undefined {
  if (!EKS_ADDON_VERSION.test(version)) return EKS_ADDON_VERSION_RULE;
  const reviewed = (REVIEWED_ADDON_VERSIONS as Readonly<Record<string, Readonly<Record<EksManagedAddonKey, string>>>>)[kubernetesVersion]?.[key];
  if (reviewed !== undefined && version !== reviewed) {
    return `the version reviewed for Kubernetes ${kubernetesVersion}, ${reviewed} (lib/eks/addon-versions.ts; add a newer one there after checking it with \`aws eks describe-addon-versions\`)`;
  }
  return undefined;
}

/** One workload an EKS managed add-on installs, as its upstream manifests name it (always in `kube-system`). */
export interface EksManagedAddonWorkload {
  readonly kind: "Deployment" | "DaemonSet";
  readonly name: string;
  /**
   * The pod policies its spec, which AWS owns, does not meet, so it is exempt from them by name. Every workload comes
   * from AWS's per-region ECR registries (`allowedRegistries`); a node agent also runs privileged on the host network
   * with host paths; a spec with a sidecar or container without probes or a memory limit (the CSI sidecars, the
   * network policy agent) is exempt from `probes` or `resourceLimits`.
   */
  readonly exemptFrom: readonly PodPolicyKey[];
}

const NODE_AGENT: readonly PodPolicyKey[] = ["privilegedContainers", "hostNamespaces", "hostPathVolumes", "allowedRegistries", "resourceLimits", "probes"];

/**
 * The workloads each EKS managed add-on runs in `kube-system`, by the names of the upstream projects' manifests and
 * charts (amazon-vpc-cni-k8s, kube-proxy and CoreDNS as EKS ships them, the aws-ebs-csi-driver and
 * aws-efs-csi-driver charts, eks-pod-identity-agent), with what each is exempt from. The admission policies exempt
 * these by name, and nothing else in `kube-system`: any other pod there gets every policy. Where an add-on's spec
 * changes between versions, a reviewed version bump (`REVIEWED_ADDON_VERSIONS`) re-reads this table.
 */
export const EKS_MANAGED_ADDON_WORKLOADS: Readonly<Record<EksManagedAddonKey, readonly EksManagedAddonWorkload[]>> = {
  // A privileged init container, the host network, CNI host paths; the network policy agent has no probe or limit.
  vpcCni: [{ kind: "DaemonSet", name: "aws-node", exemptFrom: NODE_AGENT }],
  // Unprivileged, with a memory limit, liveness and readiness probes: only its registry is not the platform's.
  coreDns: [{ kind: "Deployment", name: "coredns", exemptFrom: ["allowedRegistries"] }],
  // Privileged on the host network (iptables), host paths for modules and the xtables lock; no probe or limit.
  kubeProxy: [{ kind: "DaemonSet", name: "kube-proxy", exemptFrom: NODE_AGENT }],
  // A privileged init container sets up its link-local address on the host network.
  podIdentityAgent: [{ kind: "DaemonSet", name: "eks-pod-identity-agent", exemptFrom: NODE_AGENT }],
  // The controller's CSI sidecars have no probes; the node plugin mounts volumes for the kubelet, privileged, from host paths.
  ebsCsiDriver: [
    { kind: "Deployment", name: "ebs-csi-controller", exemptFrom: ["allowedRegistries", "resourceLimits", "probes"] },
    { kind: "DaemonSet", name: "ebs-csi-node", exemptFrom: NODE_AGENT },
  ],
  efsCsiDriver: [
    { kind: "Deployment", name: "efs-csi-controller", exemptFrom: ["privilegedContainers", "hostNamespaces", "allowedRegistries", "resourceLimits", "probes"] },
    { kind: "DaemonSet", name: "efs-csi-node", exemptFrom: NODE_AGENT },
  ],
};

/** Why an EKS managed add-on's workload is exempt from a policy, for the record each exemption carries. */
const EXEMPTION_REASONS: Readonly<Partial<Record<PodPolicyKey, string>>> = {
  privilegedContainers: "runs a privileged container (node networking, iptables or volume mounts for the kubelet) in a spec AWS owns",
  hostNamespaces: "runs on the node's network namespace, which it configures or serves, in a spec AWS owns",
  hostPathVolumes: "mounts the node's CNI, kubelet, device or kernel-module paths it manages, in a spec AWS owns",
  allowedRegistries: "runs from AWS's per-region EKS ECR registry, whose account differs by region",
  resourceLimits: "has a container without a memory limit in the spec AWS ships",
  probes: "has a container without a readiness or liveness probe in the spec AWS ships",
};

/**
 * The named admission exemptions of the managed add-ons a cluster runs (given whether it has EFS storage): one per
 * workload and policy, each with its reason, all in `kube-system`. `kube-system` itself is exempt from nothing.
 */
export function eksManagedAddonExemptions(opts: { readonly efs: boolean }): Array<WorkloadExemption & { readonly reason: string }> {
  return EKS_MANAGED_ADDON_KEYS.filter((key) => runsManagedAddon(key, opts)).flatMap((key) =>
    EKS_MANAGED_ADDON_WORKLOADS[key].flatMap((w) =>
      w.exemptFrom.map((policy) => ({
        namespace: "kube-system",
        kind: w.kind,
        name: w.name,
        policies: [policy],
        reason: `EKS managed add-on ${EKS_MANAGED_ADDONS[key]} (${w.name}) ${EXEMPTION_REASONS[policy] ?? "needs it"}`,
      })),
    ),
  );
}
