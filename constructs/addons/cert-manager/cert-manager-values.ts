import { ContainerResources, Toleration } from "../addon-types";
import { requiredNodeAffinity } from "../private/placement";
import { CERT_MANAGER_RELEASE } from "../../../lib/security/certificates";

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

/** Pod-level hardening (the Pod Security Standards `restricted` profile), written out so a chart default change cannot weaken it. */
export const RESTRICTED_POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } as const;

/** Container-level hardening: no privilege escalation, no capabilities, nothing written outside mounted volumes. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
} as const;

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
  const component = (name: CertManagerComponentName) => {
    const size = input.components[name];
    return {
      replicaCount: size.replicas,
      // With one replica a PDB would block every node drain; with two or more, one always keeps running.
      podDisruptionBudget: size.replicas >= 2 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      resources: size.resources,
      securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
      containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
      affinity: { nodeAffinity: requiredNodeAffinity(input.nodeLabels) },
      tolerations: [...input.tolerations],
      topologySpreadConstraints:
        input.spreadAcrossZones && size.replicas > 1
          ? [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: componentSelector(name) } }]
          : [],
    };
  };
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
    startupapicheck: {
      enabled: true,
      securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
      containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
      resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
      affinity: { nodeAffinity: requiredNodeAffinity(input.nodeLabels) },
      tolerations: [...input.tolerations],
    },
  };
}
