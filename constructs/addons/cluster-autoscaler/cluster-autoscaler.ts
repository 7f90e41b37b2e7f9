import type { KubernetesVersion } from "../../../lib/eks/versions";
import { Construct } from "constructs";
import { IMAGE_DIGEST, tagWithDigest } from "../../../lib/kubernetes/image-digest";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { arnContext } from "../../common/cluster-arn";
import { clusterAutoscalerStatements } from "./cluster-autoscaler-policy";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/**
 * Cluster Autoscaler release per Kubernetes minor version: the autoscaler is built and tested against the
 * scheduler of its own minor, so a version skew mis-predicts where pods fit.
 * @see https://github.com/kubernetes/autoscaler/releases
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  // Not a platform version any more (Istio 1.30 needs 1.32), but a cluster imported into this construct may run it.
  "1.31": "v1.31.2",
  "1.32": "v1.32.5",
  "1.33": "v1.33.5",
  "1.34": "v1.34.4",
} satisfies Record<KubernetesVersion, string> & Record<string, string>;

/**
 * The kubernetes/autoscaler chart (9.59.0 ships Cluster Autoscaler 1.35.0); the image is chosen to match
 * the cluster's Kubernetes minor from {@link CLUSTER_AUTOSCALER_IMAGE_TAGS}.
 * @see https://github.com/kubernetes/autoscaler/tree/master/charts/cluster-autoscaler
 */
export const CLUSTER_AUTOSCALER_DEFAULTS: HelmChartDefaults = {
  chart: "cluster-autoscaler",
  repository: "https://kubernetes.github.io/autoscaler",
  version: "9.59.0",
  namespace: "kube-system",
  releaseName: "cluster-autoscaler",
};

/** The service account the add-on names in the chart values, which the IRSA role trusts. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** The autoscaler's size when the caller gives none. */
export const CLUSTER_AUTOSCALER_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } };

/** Props of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Image tag; pick the release whose minor matches the cluster's Kubernetes minor (e.g. `v1.33.2` for 1.33).
   * @default - the release matching the cluster's Kubernetes minor in {@link CLUSTER_AUTOSCALER_IMAGE_TAGS}; the chart's own (v1.35.0) for a version not listed
   * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases
   */
  readonly imageTag?: string;
  /**
   * Digest of the image (`sha256:…`), pinned after the tag (`<tag>@<digest>`) so a retagged image never runs.
   * @default - the tag alone (no digest of the release is known to this library)
   */
  readonly imageDigest?: string;
  /**
   * Replicas (leader-elected: one is active, the other takes over within seconds).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Where the autoscaler runs: on the system node group, so scaling down a workload group never evicts it.
   * @default - the `eks.amazonaws.com/capacityType: ON_DEMAND` label and the `CriticalAddonsOnly` toleration
   */
  readonly systemNodePlacement?: SystemNodePlacement;
  /**
   * Container resources.
   * @default { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } }
   */
  readonly resources?: ContainerResources;
  /**
   * Which node group to grow when several fit.
   * @default "least-waste"
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-expanders
   */
  readonly expander?: "least-waste" | "most-pods" | "random" | "price" | "priority";
}

/**
 * Cluster Autoscaler for EKS managed node groups, discovered by their tags, with an IRSA role that can scale
 * only this cluster's groups. The alternative to {@link Karpenter}; {@link NodeAutoscaling} picks one.
 */
export class ClusterAutoscaler extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly replicas: number;
  public readonly expander: string;
  /** Image tag in use; undefined means the chart's own. */
  public readonly imageTag?: string;
  public readonly nodeLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    this.replicas = props.replicas ?? 2;
    this.imageTag = props.imageTag ?? (isUnresolved(props.cluster.kubernetesVersion) ? undefined : CLUSTER_AUTOSCALER_IMAGE_TAGS[props.cluster.kubernetesVersion]);
    this.expander = props.expander ?? "least-waste";
    const placement = resolvePlacement(props.systemNodePlacement);
    this.nodeLabels = placement.nodeLabels;
    throwIfProblems(this.node.path, validateClusterAutoscalerProps(props));
    const { cluster } = props;
    const arn = arnContext(cluster.clusterArn);
    const profile = resolveWorkloadProfile({ ...clusterAutoscalerProfile(props), placement });

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: CLUSTER_AUTOSCALER_DEFAULTS,
      irsa: {
        serviceAccountName: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
        namePath: ["rbac", "serviceAccount", "name"],
        annotationsPath: ["rbac", "serviceAccount", "annotations"],
        statements: clusterAutoscalerStatements(cluster.clusterName, arn),
      },
      chartValues: {
        cloudProvider: "aws",
        awsRegion: arn.region,
        autoDiscovery: { clusterName: cluster.clusterName },
        ...(this.imageTag ? { image: { tag: tagWithDigest(this.imageTag, props.imageDigest) } } : {}),
        extraArgs: {
          expander: this.expander,
          "balance-similar-node-groups": true,
          // Managed node groups run DaemonSets and kube-system pods everywhere; without this no node ever scales in.
          "skip-nodes-with-system-pods": false,
        },
        ...workloadValues(profile, {
          replicas: ["replicaCount"],
          resources: ["resources"],
          // The chart's `securityContext` is the pod's, `containerSecurityContext` the container's.
          podSecurityContext: { path: ["securityContext"] },
          containerSecurityContext: { path: ["containerSecurityContext"] },
          affinity: { path: ["affinity"] },
          tolerations: ["tolerations"],
        }),
      },
    });
  }

  /** The release's address, so other add-ons can depend on this one. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link ClusterAutoscalerProps} without building anything (the release is checked by {@link HelmAddon}). */
export function validateClusterAutoscalerProps(props: ClusterAutoscalerProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.imageTag !== undefined && !isUnresolved(props.imageTag) && !/^v\d+\.\d+\.\d+$/.test(props.imageTag)) {
    problems.push({ path: "imageTag", value: props.imageTag, allowed: "an exact release tag such as v1.33.2" });
  }
  if (props.imageDigest !== undefined && !IMAGE_DIGEST.test(props.imageDigest)) {
    problems.push({ path: "imageDigest", value: props.imageDigest, allowed: "an image digest, sha256: and 64 lowercase hex digits" });
  } else if (props.imageDigest !== undefined && props.imageTag === undefined && CLUSTER_AUTOSCALER_IMAGE_TAGS[props.cluster.kubernetesVersion] === undefined) {
    problems.push({ path: "imageDigest", value: props.imageDigest, allowed: "a digest together with imageTag (this Kubernetes version has no listed release)" });
  }
  problems.push(...validateWorkloadProfile("", clusterAutoscalerProfile(props), "the autoscaler's pods"));
  const expanders = ["least-waste", "most-pods", "random", "price", "priority"];
  if (props.expander !== undefined && !expanders.includes(props.expander)) {
    problems.push({ path: "expander", value: props.expander, allowed: expanders.join(", ") });
  }
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}

/** The autoscaler's workload profile from the props (placement is resolved separately, from `systemNodePlacement`). */
function clusterAutoscalerProfile(props: ClusterAutoscalerProps): WorkloadProfile {
  return { replicas: props.replicas ?? 2, resources: props.resources ?? CLUSTER_AUTOSCALER_DEFAULT_RESOURCES };
}
