import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../private/workload-values";
import { deepMerge } from "../../common/deep-merge";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/** The namespace of the Argo Rollouts controller (Rollouts and AnalysisTemplates live in the teams' namespaces). */
export const ARGO_ROLLOUTS_NAMESPACE = "argo-rollouts";

/** The `argo-rollouts` chart version: the newest 2.41.x, which ships Argo Rollouts v1.9.0 and its CRDs. */
export const ARGO_ROLLOUTS_CHART_VERSION = "2.41.0";

/** The controller image tag: the chart's `appVersion`, pinned here rather than left to the chart. */
export const ARGO_ROLLOUTS_IMAGE_TAG = "v1.9.0";

/** Where the controller is pulled from: the project's own quay.io organisation (the chart's default). */
export const ARGO_ROLLOUTS_IMAGE_REGISTRY = "quay.io/argoproj";

/**
 * argoproj's `argo-rollouts` chart 2.41.0 (Argo Rollouts v1.9.0). Its CRDs are chart templates (`installCRDs`), so Helm
 * installs and upgrades them with the release and keeps them on uninstall (`keepCRDs`). `crds` lists the kinds the
 * platform creates or validates: AnalysisTemplates (made by the platform), and Rollout, ClusterAnalysisTemplate,
 * AnalysisRun and Experiment, whose schemas check what is generated for teams.
 * @see https://github.com/argoproj/argo-helm/tree/main/charts/argo-rollouts
 */
export const ARGO_ROLLOUTS_DEFAULTS: HelmChartDefaults = {
  chart: "argo-rollouts",
  repository: "https://argoproj.github.io/argo-helm",
  version: ARGO_ROLLOUTS_CHART_VERSION,
  namespace: ARGO_ROLLOUTS_NAMESPACE,
  releaseName: "argo-rollouts",
  crds: {
    "argoproj.io/v1alpha1/AnalysisTemplate": "argoproj.io/analysistemplate_v1alpha1.json",
    "argoproj.io/v1alpha1/ClusterAnalysisTemplate": "argoproj.io/clusteranalysistemplate_v1alpha1.json",
    "argoproj.io/v1alpha1/Rollout": "argoproj.io/rollout_v1alpha1.json",
    "argoproj.io/v1alpha1/AnalysisRun": "argoproj.io/analysisrun_v1alpha1.json",
    "argoproj.io/v1alpha1/Experiment": "argoproj.io/experiment_v1alpha1.json",
  },
};

/** The user and group the controller image is built for (`USER 999` in Argo Rollouts' Dockerfile). */
const ARGO_ROLLOUTS_IDS = { user: 999, group: 999 };

/** The controller's size when the caller gives none: one reconciler loop, no CPU limit. */
export const ARGO_ROLLOUTS_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } };

/** Labels of the controller's pods (the chart's selector). */
export const ARGO_ROLLOUTS_CONTROLLER_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "argo-rollouts", "app.kubernetes.io/component": "rollouts-controller" };

/** Props of {@link ArgoRollouts}. */
export interface ArgoRolloutsProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Controller replicas: one leads (leader election), the others take over; with two or more a PodDisruptionBudget
   * keeps one through drains.
   * @default 2
   */
  readonly replicas?: number;
  /** @default { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } */
  readonly resources?: ContainerResources;
  /** Keep the controller on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * The Argo Rollouts controller, cluster-wide (it reconciles Rollouts in every team namespace), hardened and placed by
 * the workload profile. Of the chart's traffic-router RBAC only Istio's is kept: the ClusterRole may then read and
 * patch VirtualServices and DestinationRules (to shift canary weights) and nothing of SMI, Ambassador, the AWS load
 * balancer controller, App Mesh, Traefik, APISIX, Contour, Gloo or the Gateway API. No dashboard, no notifications
 * controller. Needs no AWS permissions.
 */
export class ArgoRollouts extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly replicas: number;
  public readonly resources: ContainerResources;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    throwIfProblems(this.node.path, validateArgoRolloutsProps(props));
    this.replicas = props.replicas ?? 2;
    this.resources = props.resources ?? ARGO_ROLLOUTS_DEFAULT_RESOURCES;
    const profile = resolveWorkloadProfile({ ...rolloutsProfile(props), placement: resolvePlacement(props.systemNodePlacement) });
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: ARGO_ROLLOUTS_DEFAULTS,
      chartValues: deepMerge(
        workloadValues(profile, {
          replicas: ["controller", "replicas"],
          resources: ["controller", "resources"],
          podDisruptionBudget: { path: ["controller", "pdb"], render: ENABLED_FLAG_BUDGET },
          affinity: { path: ["controller", "affinity"] },
          tolerations: ["controller", "tolerations"],
          podSecurityContext: { path: ["podSecurityContext"] },
          containerSecurityContext: { path: ["containerSecurityContext"] },
        }),
        {
        controller: {
          image: { registry: "quay.io", repository: "argoproj/argo-rollouts", tag: ARGO_ROLLOUTS_IMAGE_TAG, pullPolicy: "IfNotPresent" },
          metrics: { enabled: false },
        },
        installCRDs: true,
        keepCRDs: true,
        // Rollouts run in the teams' namespaces: the controller watches all of them.
        clusterInstall: true,
        providerRBAC: {
          enabled: true,
          providers: {
            istio: true, smi: false, ambassador: false, awsLoadBalancerController: false, awsAppMesh: false, traefik: false, apisix: false, contour: false,
            glooPlatform: false, gatewayAPI: false,
          },
        },
        dashboard: { enabled: false },
        },
      ),
    });
  }

  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  /** The release's address: AnalysisTemplates (in a later stack) depend on it through their stack. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link ArgoRolloutsProps} without building anything (the release is checked by `HelmAddon`). */
export function validateArgoRolloutsProps(props: Omit<ArgoRolloutsProps, "cluster"> & Partial<Pick<ArgoRolloutsProps, "cluster">>): ValidationProblem[] {
  return [...validateWorkloadProfile("", rolloutsProfile(props), "the Argo Rollouts controller's pods"), ...validateSystemNodePlacement(props.systemNodePlacement)];
}

function rolloutsProfile(props: Omit<ArgoRolloutsProps, "cluster">): WorkloadProfile {
  return { replicas: props.replicas ?? 2, resources: props.resources ?? ARGO_ROLLOUTS_DEFAULT_RESOURCES, runAs: ARGO_ROLLOUTS_IDS };
}
