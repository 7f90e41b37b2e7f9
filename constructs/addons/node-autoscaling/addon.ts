import type { AddonDescriptor } from "../registry/addon-descriptor";
import { KarpenterNodePool } from "../karpenter/karpenter-node-pool";
import { KARPENTER_DEFAULTS } from "../karpenter/karpenter";
import { NodeAutoscaling } from "./node-autoscaling";

/** The node pools Karpenter's CRDs describe, by name (none where the environment runs the Cluster Autoscaler). */
export type KarpenterNodePools = Readonly<Record<string, KarpenterNodePool>>;

/**
 * Node autoscaling, `platform.autoscaler`: Karpenter (its NodePools and EC2NodeClasses from `platform.karpenter`, in
 * `platform-resources` once its CRDs exist) or the Cluster Autoscaler. Both run in `kube-system` on the system nodes.
 */
export const nodeAutoscalingAddon: AddonDescriptor<NodeAutoscaling> = {
  name: "node-autoscaling",
  layer: "platform",
  summary: "Karpenter (NodePools, EC2NodeClasses) or the Cluster Autoscaler, as `platform.autoscaler` chooses",
  configPath: "platform",
  namespaces: [],
  crds: KARPENTER_DEFAULTS.crds,
  images: ["public.ecr.aws/karpenter/controller", "registry.k8s.io/autoscaling/cluster-autoscaler"],
  registries: ["public.ecr.aws/karpenter", "registry.k8s.io/autoscaling"],
  admission: {
    exemptWorkloads: [
      {
        namespace: "kube-system",
        kind: "Deployment",
        name: "cluster-autoscaler-aws-cluster-autoscaler",
        policies: ["probes"],
        reason: "the cluster-autoscaler chart's Deployment template has a liveness probe on /health-check and no readiness probe, and no value adds one; it serves no traffic a readiness probe would gate",
      },
    ],
  },
  workloads: [
    {
      kind: "Deployment", name: "karpenter", namespace: "kube-system", release: "Karpenter/Helm", podSecurityContext: ["podSecurityContext"],
      containers: [{ name: "controller", image: "public.ecr.aws/karpenter/controller:v1.0.0", securityContext: { setBy: "the karpenter chart's deployment template, fixed" }, resources: ["controller", "resources"] }],
    },
    {
      kind: "Deployment", name: "cluster-autoscaler-aws-cluster-autoscaler", namespace: "kube-system", release: "ClusterAutoscaler/Helm", podSecurityContext: ["securityContext"],
      containers: [{ name: "aws-cluster-autoscaler", image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.0.0", securityContext: ["containerSecurityContext"], resources: ["resources"] }],
    },
  ],
  enabled: () => true,
  build: (ctx) => {
    const autoscaler = ctx.config.platform.autoscaler;
    return new NodeAutoscaling(ctx.scope, "NodeAutoscaling", {
      cluster: ctx.cluster,
      autoscaler,
      // The managed node groups already gave this role an EC2_LINUX access entry; a second one would fail.
      karpenter:
        autoscaler === "karpenter"
          ? { nodeRoleArn: ctx.lower.nodeRoleArn, createNodeAccessEntry: false, systemNodePlacement: ctx.placement, volumeKmsKeyArn: ctx.lower.volumeKmsKeyArn }
          : undefined,
      clusterAutoscaler: autoscaler === "cluster-autoscaler" ? { systemNodePlacement: ctx.placement } : undefined,
      access: ctx.access,
    });
  },
  resources: [
    {
      layer: "platform-resources",
      build: (ctx, autoscaling): KarpenterNodePools => {
        const pools: Record<string, KarpenterNodePool> = {};
        for (const pool of ctx.config.platform.karpenter?.nodePools ?? []) {
          // Configuration validation refuses node pools without Karpenter, so it is there whenever a pool is.
          pools[pool.name] = new KarpenterNodePool(ctx.scope, pool.name, {
            karpenter: autoscaling.karpenter!,
            name: pool.name,
            clusterName: ctx.cluster.clusterName,
            nodeRoleName: ctx.lower.nodeRoleName,
            volumeKmsKeyArn: ctx.lower.volumeKmsKeyArn,
            amiFamily: pool.amiFamily,
            amiVersion: pool.amiVersion,
            instanceFamilies: pool.instanceFamilies,
            capacityTypes: pool.capacityTypes,
            architectures: pool.architectures,
            limits: pool.limits,
            disruption: pool.disruption,
            volumeSizeGiB: pool.volumeSizeGiB,
            labels: pool.labels,
            taints: pool.taints,
            // What Karpenter launches carries the environment's tags (cost allocation), as the Terraform resources do.
            tags: { ...ctx.config.tags },
            access: ctx.access,
          });
        }
        return pools;
      },
    },
  ],
};
