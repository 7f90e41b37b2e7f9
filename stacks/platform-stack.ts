import { Construct } from "constructs";
import { Fn } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { EnvironmentConfig, NodeGroupConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { MetricsServer } from "../constructs/addons/metrics-server";
import { NodeAutoscaling } from "../constructs/addons/node-autoscaling";
import { StorageClasses } from "../constructs/addons/storage-classes";
import type { SystemNodePlacement, Toleration } from "../constructs/addons/addon-types";
import { EnvironmentStack } from "./environment-stack";

/** Node label that marks the node groups cluster-critical controllers run on. */
export const SYSTEM_NODE_LABEL = "sre-platform.io/node-role";

/** What the platform layer needs from the layers below, as cross-stack references. */
export interface PlatformStackInputs {
  readonly cluster: ICluster;
  /** Role of the nodes Karpenter launches (the managed node groups' role). */
  readonly nodeRoleArn: string;
  /** KMS key for EBS volumes of the default StorageClass. */
  readonly volumeKmsKeyArn: string;
  /** EFS file system for the `efs` StorageClass. @default - no `efs` StorageClass (the environment has no EFS) */
  readonly efsFileSystemId?: string;
}

/**
 * `<env>-platform`: Kubernetes add-ons through Helm and the Kubernetes API. Its Kubernetes and Helm
 * providers are configured from the cluster stack's outputs (endpoint, CA, a token from
 * `aws eks get-token` as the environment's first admin role), so Terraform configures them only after
 * the cluster exists.
 */
export class PlatformStack extends EnvironmentStack {
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  public readonly autoscaling: NodeAutoscaling;
  public readonly metricsServer?: MetricsServer;
  public readonly storageClasses: StorageClasses;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: PlatformStackInputs) {
    super(scope, config, "platform");
    const { cluster } = inputs;
    const auth = {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthorityData),
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        // The cluster grants its creator nothing: deploy as the first admin role, which has an access entry.
        args: ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", config.region, "--role-arn", config.cluster.adminRoleArns[0]!, "--output", "json"],
      },
    };
    this.kubernetesProvider = new KubernetesProvider(this, "kubernetes", { ...auth, exec: [auth.exec] });
    this.helmProvider = new HelmProvider(this, "helm", { kubernetes: auth });

    const placement = systemNodePlacement(config.cluster.nodeGroups);
    this.autoscaling = new NodeAutoscaling(this, "NodeAutoscaling", {
      cluster,
      autoscaler: config.platform.autoscaler,
      // The managed node groups already gave this role an EC2_LINUX access entry; a second one would fail.
      karpenter: config.platform.autoscaler === "karpenter" ? { nodeRoleArn: inputs.nodeRoleArn, createNodeAccessEntry: false, systemNodePlacement: placement } : undefined,
      clusterAutoscaler: config.platform.autoscaler === "cluster-autoscaler" ? { systemNodePlacement: placement } : undefined,
      provider: this.helmProvider,
    });
    if (config.platform.metricsServer) {
      this.metricsServer = new MetricsServer(this, "MetricsServer", {
        cluster,
        tolerations: placement.tolerations,
        provider: this.helmProvider,
      });
    }
    this.storageClasses = new StorageClasses(this, "StorageClasses", {
      gp3: { kmsKeyId: inputs.volumeKmsKeyArn },
      efs: inputs.efsFileSystemId ? { fileSystemId: inputs.efsFileSystemId } : undefined,
      provider: this.kubernetesProvider,
    });
  }
}

/**
 * Where controllers run: on node groups labelled `sre-platform.io/node-role=system`, tolerating their
 * taints. Derived from the node groups, so no environment names its system group twice.
 */
export function systemNodePlacement(nodeGroups: readonly NodeGroupConfig[]): SystemNodePlacement {
  const system = nodeGroups.filter((g) => g.labels[SYSTEM_NODE_LABEL] === "system");
  const effects = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;
  const tolerations: Toleration[] = [];
  for (const t of system.flatMap((g) => g.taints)) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === effects[t.effect])) {
      tolerations.push({ key: t.key, operator: "Equal", value: t.value, effect: effects[t.effect] });
    }
  }
  return { nodeLabels: system.length > 0 ? { [SYSTEM_NODE_LABEL]: "system" } : {}, tolerations };
}
