import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { ContainerResources, DEFAULT_SYSTEM_TOLERATIONS, Toleration } from "../addon-types";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../private/workload-values";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/**
 * The kubernetes-sigs chart (3.13.1 ships metrics-server 0.8.1).
 * @see https://github.com/kubernetes-sigs/metrics-server/tree/master/charts/metrics-server
 */
export const METRICS_SERVER_DEFAULTS: HelmChartDefaults = {
  chart: "metrics-server",
  repository: "https://kubernetes-sigs.github.io/metrics-server",
  version: "3.13.1",
  namespace: "kube-system",
  releaseName: "metrics-server",
};

/** The user and group the metrics-server image is built for (the chart's default `runAsUser`). */
const METRICS_SERVER_IDS = { user: 1000, group: 1000 };

/** metrics-server's size when the caller gives none (its guide's sizing for up to 100 nodes, no CPU limit). */
export const METRICS_SERVER_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } };

/** Props of {@link MetricsServer}. */
export interface MetricsServerProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Replicas. With two or more a PodDisruptionBudget (`minAvailable: 1`) keeps the metrics API, and so
   * every HorizontalPodAutoscaler, working through node drains; with one it would block drains, so none is made.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Container resources. No CPU limit: throttling the metrics API slows every HPA decision.
   * @default { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } }
   * @see https://github.com/kubernetes-sigs/metrics-server#scaling
   */
  readonly resources?: ContainerResources;
  /**
   * Tolerations, so the pods may also run on the tainted system node group.
   * @default [{ key: "CriticalAddonsOnly", operator: "Exists" }]
   */
  readonly tolerations?: readonly Toleration[];
}

/**
 * metrics-server, the source of the `metrics.k8s.io` API behind `kubectl top` and CPU/memory HPAs:
 * two replicas on different nodes, a PodDisruptionBudget, a hardened, read-only, non-root container, and
 * an APIService the API server reaches with certificate verification.
 */
export class MetricsServer extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly replicas: number;
  public readonly resources: ContainerResources;
  public readonly podDisruptionBudget: boolean;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    this.replicas = props.replicas ?? 2;
    this.resources = props.resources ?? METRICS_SERVER_DEFAULT_RESOURCES;
    throwIfProblems(this.node.path, validateMetricsServerProps(props));
    // Placement is only the tolerations: metrics-server may run on any node, the system nodes included.
    const profile = resolveWorkloadProfile({ ...metricsServerProfile(props), placement: { tolerations: props.tolerations ?? DEFAULT_SYSTEM_TOLERATIONS } });
    this.podDisruptionBudget = profile.disruptionBudget !== undefined;

    const selector = { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": METRICS_SERVER_DEFAULTS.releaseName };
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: METRICS_SERVER_DEFAULTS,
      chartValues: {
        // The shared hardened contexts (lib/kubernetes/security-context.ts); the image runs as 1000, as the chart's default.
        ...workloadValues(profile, {
          replicas: ["replicas"],
          podDisruptionBudget: { path: ["podDisruptionBudget"], render: ENABLED_FLAG_BUDGET },
          resources: ["resources"],
          podSecurityContext: { path: ["podSecurityContext"] },
          containerSecurityContext: { path: ["securityContext"] },
          tolerations: ["tolerations"],
        }),
        // Replicas on different nodes, so losing one node never takes the metrics API down. Preferred, not
        // required: a one-node dev cluster must still install (atomic would otherwise roll the release back).
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } },
            ],
          },
        },
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
        ],
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        // The API server verifies metrics-server's serving certificate instead of skipping TLS checks: the
        // chart generates a certificate for the service's DNS names and puts its CA into the APIService.
        apiService: { insecureSkipTLSVerify: false },
        tls: { type: "helm" },
      },
    });
  }

  /** The release's address, so other add-ons can depend on this one. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link MetricsServerProps} without building anything (the release is checked by {@link HelmAddon}). */
export function validateMetricsServerProps(props: MetricsServerProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  problems.push(...validateWorkloadProfile("", metricsServerProfile(props), "metrics-server's pods"));
  return problems;
}

function metricsServerProfile(props: MetricsServerProps): WorkloadProfile {
  return { replicas: props.replicas ?? 2, resources: props.resources ?? METRICS_SERVER_DEFAULT_RESOURCES, runAs: METRICS_SERVER_IDS };
}
