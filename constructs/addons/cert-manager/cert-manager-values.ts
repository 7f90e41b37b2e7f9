import { ContainerResources, Toleration } from "../addon-types";
import { ENABLED_FLAG_BUDGET, ValuePath, workloadValues } from "../private/workload-values";
import { CERT_MANAGER_RELEASE } from "../../../lib/security/certificates";
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from "../../../lib/kubernetes/security-context";
import { resolveWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/** The three long-running components of the chart, by their `app.kubernetes.io/component` label. */
export const CERT_MANAGER_COMPONENTS = ["controller", "webhook", "cainjector"] as const;
export type CertManagerComponentName = (typeof CERT_MANAGER_COMPONENTS)[number];

/** Replicas and size of one component, as resolved by the add-on. */
export interface CertManagerComponentSize {
  readonly replicas: number;
  readonly resources: ContainerResources;
}

/** Everything the values depend on, resolved once by the add-on. */
export interface CertManagerValuesInput {
  readonly namespace: string;
  readonly components: Readonly<Record<CertManagerComponentName, CertManagerComponentSize>>;
  readonly spreadAcrossZones: boolean;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** The user and group cert-manager's images are built for (distroless `nonroot`). */
export const CERT_MANAGER_IDS = { user: 65532, group: 65532 } as const;

/**
 * The pod context of every cert-manager pod: the platform's one hardened context (`lib/kubernetes/security-context.ts`).
 * @deprecated use `hardenedPodSecurityContext(CERT_MANAGER_IDS)`; kept for callers of the earlier export.
 */
export const RESTRICTED_POD_SECURITY_CONTEXT = hardenedPodSecurityContext(CERT_MANAGER_IDS);

/**
 * The container context of every cert-manager container: the platform's one hardened context.
 * @deprecated use `hardenedContainerSecurityContext(CERT_MANAGER_IDS)`; kept for callers of the earlier export.
 */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = hardenedContainerSecurityContext(CERT_MANAGER_IDS);

/** Size of the startupapicheck Job, which only waits for the webhook to answer. */
export const CERT_MANAGER_STARTUPAPICHECK_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };

/** The labels the chart puts on a component's pods (its selector), which PDBs and spread constraints must match. */
export function componentSelector(component: CertManagerComponentName, releaseName: string = CERT_MANAGER_RELEASE): Record<string, string> {
  const name = component === "controller" ? "cert-manager" : component;
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": releaseName, "app.kubernetes.io/component": component };
}

/**
 * Chart values of cert-manager v1.21.1 (keys from that version's values.yaml only). The three components share one
 * shape under different roots: the controller at the top level, the others under `webhook` and `cainjector`.
 */
export function certManagerValues(input: CertManagerValuesInput): Record<string, unknown> {
  const placement = { nodeLabels: input.nodeLabels, tolerations: input.tolerations };
  const profile = (size: WorkloadProfile) => resolveWorkloadProfile({ ...size, spreadAcrossZones: input.spreadAcrossZones, placement, runAs: CERT_MANAGER_IDS });
  // Hardened contexts, placement and resources: the same keys for the Deployments and the startupapicheck Job.
  const pod = {
    resources: ["resources"] as ValuePath,
    podSecurityContext: { path: ["securityContext"] },
    containerSecurityContext: { path: ["containerSecurityContext"] },
    affinity: { path: ["affinity"] },
    tolerations: ["tolerations"] as ValuePath,
  };
  const component = (name: CertManagerComponentName) =>
    workloadValues(profile(input.components[name]), {
      ...pod,
      replicas: ["replicaCount"],
      // With one replica a PDB would block every node drain; with two or more, one always keeps running.
      podDisruptionBudget: { path: ["podDisruptionBudget"], render: ENABLED_FLAG_BUDGET },
      topologySpreadConstraints: { path: ["topologySpreadConstraints"], matchLabels: componentSelector(name) },
    });
  return {
    // The release installs and upgrades the CRDs with the controller that serves them; `keep` leaves them (and so
    // every Certificate and its Secret) in place if the release is ever uninstalled.
    crds: { enabled: true, keep: true },
    global: {
      // Leader-election leases in cert-manager's own namespace: no Role for it in kube-system.
      leaderElection: { namespace: input.namespace },
    },
    ...component("controller"),
    // Metrics Services for the ServiceMonitor the observability layer creates (its CRD does not exist yet here).
    prometheus: { enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } },
    webhook: component("webhook"),
    cainjector: { enabled: true, ...component("cainjector") },
    startupapicheck: { enabled: true, ...workloadValues(profile({ resources: CERT_MANAGER_STARTUPAPICHECK_RESOURCES }), pod) },
  };
}
