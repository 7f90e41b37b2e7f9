import type { KubernetesVersion } from "./versions";

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
