import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/** The namespace of the chaos operator (the experiments themselves run in the namespaces they target). */
export const LITMUS_NAMESPACE = "litmus";

/**
 * The `litmus-core` chart version, which is also the version of the CRDs it installs from its `crds/` folder: the
 * committed schemas under `schemas/crds/litmuschaos.io/` and the chart-defaults fixture name the same version, and a test
 * holds them to it (Helm never upgrades `crds/`, so a chart bump is also a CRD step, see the README).
 */
export const LITMUS_CHART_VERSION = "3.29.0";

/**
 * litmuschaos' `litmus-core` chart 3.29.0: the chaos operator (3.29.0) and the ChaosEngine, ChaosExperiment and
 * ChaosResult CRDs (`litmuschaos.io/v1alpha1`), without ChaosCenter. `crds` lists the kinds the platform will create
 * objects of; ChaosResult is written by the operator only.
 * @see https://github.com/litmuschaos/litmus-helm/tree/master/charts/litmus-core
 */
export const LITMUS_DEFAULTS: HelmChartDefaults = {
  chart: "litmus-core",
  repository: "https://litmuschaos.github.io/litmus-helm/",
  version: LITMUS_CHART_VERSION,
  namespace: LITMUS_NAMESPACE,
  releaseName: "litmus",
  crds: {
    "litmuschaos.io/v1alpha1/ChaosEngine": "litmuschaos.io/chaosengine_v1alpha1.json",
    "litmuschaos.io/v1alpha1/ChaosExperiment": "litmuschaos.io/chaosexperiment_v1alpha1.json",
  },
};

/**
 * Where the operator and the runner it starts for each ChaosEngine are pulled from: Docker Hub's `litmuschaos`
 * organisation directly. The chart's default, `litmuschaos.docker.scarf.sh`, is a third party's download-counting
 * gateway in front of the same images: one more party in the supply chain and one more registry to admit.
 */
export const LITMUS_IMAGE_REGISTRY = "docker.io/litmuschaos";

/** The operator and runner image tag: the chart's `appVersion`. */
export const LITMUS_IMAGE_TAG = "3.29.0";

/** The operator's size when the caller gives none: one reconciler of a few CRDs, no CPU limit. */
export const LITMUS_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };

/** Props of {@link Litmus}. */
export interface LitmusProps extends HelmAddonProps, HelmReleaseOptions {
  /** The operator's container. @default { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } */
  readonly resources?: ContainerResources;
  /** Keep the operator on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * The Litmus chaos operator: it watches ChaosEngines in every namespace and starts the runner and experiment pods they
 * ask for. Installed without usage analytics, with images pinned from Docker Hub, sized and placed on the system nodes
 * by the workload profile. The chart's Deployment template has no security context and no value for one, so the
 * operator's pod runs with the image's own user and the namespace is Pod Security `baseline` (see the README).
 * Needs no AWS permissions.
 */
export class Litmus extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly resources: ContainerResources;

  constructor(scope: Construct, id: string, props: LitmusProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    throwIfProblems(this.node.path, validateLitmusProps(props));
    this.resources = props.resources ?? LITMUS_DEFAULT_RESOURCES;
    const profile = resolveWorkloadProfile({ ...litmusProfile(props), placement: resolvePlacement(props.systemNodePlacement) });
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: LITMUS_DEFAULTS,
      chartValues: {
        // One leader-elected replica: no disruption budget (it would block every drain). The chart's default limits the
        // operator to 100m CPU; `null` removes it under Helm's merge.
        ...workloadValues(profile, {
          replicas: ["replicaCount"],
          resources: ["resources"],
          chartCpuLimit: ["resources", "limits", "cpu"],
          affinity: { path: ["affinity"] },
          tolerations: ["tolerations"],
        }),
        operator: { image: { repository: `${LITMUS_IMAGE_REGISTRY}/chaos-operator`, tag: LITMUS_IMAGE_TAG, pullPolicy: "IfNotPresent" } },
        runner: { image: { repository: `${LITMUS_IMAGE_REGISTRY}/chaos-runner`, tag: LITMUS_IMAGE_TAG } },
        // ChaosEngines live in the namespaces they target, so the operator watches them all.
        operatorMode: "standard",
        // The operator otherwise reports usage to Google Analytics (ANALYTICS=FALSE turns it off): no egress but the API server.
        policies: { monitoring: { disabled: true } },
        exporter: { enabled: false },
      },
    });
  }

  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  /** The release's address: ChaosEngines (in a later stack) depend on it through their stack. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link LitmusProps} without building anything (the release is checked by `HelmAddon`). */
export function validateLitmusProps(props: Omit<LitmusProps, "cluster"> & Partial<Pick<LitmusProps, "cluster">>): ValidationProblem[] {
  return [...validateWorkloadProfile("", litmusProfile(props), "the chaos operator's pods"), ...validateSystemNodePlacement(props.systemNodePlacement)];
}

function litmusProfile(props: Omit<LitmusProps, "cluster">): WorkloadProfile {
  return { replicas: 1, resources: props.resources ?? LITMUS_DEFAULT_RESOURCES };
}
