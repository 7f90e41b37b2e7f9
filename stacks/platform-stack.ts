import { Construct } from "constructs";
import type { EnvironmentConfig, NodeGroupConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { NODE_ROLE_LABEL, NODE_ROLES } from "../lib/kubernetes/labels";
import { MetricsServer } from "../constructs/addons/metrics-server/metrics-server";
import { NodeAutoscaling } from "../constructs/addons/node-autoscaling/node-autoscaling";
import { StorageClasses } from "../constructs/addons/storage-classes/storage-classes";
import { ExternalSecrets } from "../constructs/addons/external-secrets/external-secrets";
import type { SystemNodePlacement, Toleration } from "../constructs/addons/addon-types";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { EXTERNAL_SECRETS_NAMESPACE } from "../lib/security/namespaces";
import { EnvironmentStack } from "./environment-stack";
import { BaselineSubnets, platformNamespaceSpec } from "./namespace-specs";

/** What the platform layer needs from the layers below, as cross-stack references. */
export interface PlatformStackInputs {
  readonly cluster: ICluster;
  /** Role of the nodes Karpenter launches (the managed node groups' role). */
  readonly nodeRoleArn: string;
  /** KMS key for EBS volumes of the default StorageClass. */
  readonly volumeKmsKeyArn: string;
  /** EFS file system for the `efs` StorageClass. @default - no `efs` StorageClass (the environment has no EFS) */
  readonly efsFileSystemId?: string;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/**
 * `<env>-platform`: Kubernetes add-ons through Helm and the Kubernetes API: the controllers whose charts install
 * CRDs (Karpenter, external-secrets), metrics-server and the StorageClasses. Their custom resources are in
 * `<env>-platform-resources`. Its Kubernetes and Helm
 * providers are configured from the cluster stack's outputs (endpoint, CA, a token from
 * `aws eks get-token` as the environment's CI deploy role), so Terraform configures them only after
 * the cluster exists.
 */
export class PlatformStack extends EnvironmentStack {
  /** Kubernetes and Helm providers for the cluster, handed to every add-on. */
  public readonly access: ClusterAccess;
  public readonly autoscaling: NodeAutoscaling;
  public readonly metricsServer?: MetricsServer;
  public readonly storageClasses: StorageClasses;
  public readonly externalSecrets: ExternalSecrets;
  /** The baseline of the namespaces this layer's charts go into (external-secrets). */
  public readonly namespaces: NamespaceBaseline;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: PlatformStackInputs) {
    super(scope, config, "platform");
    const { cluster } = inputs;
    // The cluster grants its creator nothing: deploy as the CI deploy role, which has an access entry.
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const access = this.access;

    const placement = systemNodePlacement(config.cluster.nodeGroups);
    this.autoscaling = new NodeAutoscaling(this, "NodeAutoscaling", {
      cluster,
      autoscaler: config.platform.autoscaler,
      // The managed node groups already gave this role an EC2_LINUX access entry; a second one would fail.
      karpenter:
        config.platform.autoscaler === "karpenter"
          ? { nodeRoleArn: inputs.nodeRoleArn, createNodeAccessEntry: false, systemNodePlacement: placement, volumeKmsKeyArn: inputs.volumeKmsKeyArn }
          : undefined,
      clusterAutoscaler: config.platform.autoscaler === "cluster-autoscaler" ? { systemNodePlacement: placement } : undefined,
      access,
    });
    if (config.platform.metricsServer) {
      this.metricsServer = new MetricsServer(this, "MetricsServer", {
        cluster,
        tolerations: placement.tolerations,
        access,
      });
    }
    this.storageClasses = new StorageClasses(this, "StorageClasses", {
      gp3: { kmsKeyId: inputs.volumeKmsKeyArn, reclaimPolicy: config.storage.reclaimPolicy },
      efs: inputs.efsFileSystemId ? { fileSystemId: inputs.efsFileSystemId, reclaimPolicy: config.storage.reclaimPolicy } : undefined,
      access,
    });
    this.namespaces = new NamespaceBaseline(this, "NamespaceBaseline", {
      access,
      kubernetesVersion: config.cluster.kubernetesVersion,
      namespaces: [platformNamespaceSpec(config, EXTERNAL_SECRETS_NAMESPACE, inputs.subnets)],
    });
    this.externalSecrets = new ExternalSecrets(this, "ExternalSecrets", {
      cluster,
      // The baseline made the namespace (Pod Security labels, policies, quota) before the release lands in it.
      createNamespace: false,
      dependsOn: [this.namespaces.namespaces[EXTERNAL_SECRETS_NAMESPACE]!.namespace],
      secretsManagerPrefix: config.platform.externalSecrets.secretsManagerPrefix,
      systemNodePlacement: placement,
      access,
    });
  }
}

/**
 * Where controllers run: on node groups labelled `sre-platform.io/node-role=system`, tolerating their
 * taints. Derived from the node groups, so no environment names its system group twice.
 */
export function systemNodePlacement(nodeGroups: readonly NodeGroupConfig[]): SystemNodePlacement {
  const system = nodeGroups.filter((g) => g.labels[NODE_ROLE_LABEL] === NODE_ROLES.system);
  const effects = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;
  const tolerations: Toleration[] = [];
  for (const t of system.flatMap((g) => g.taints)) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === effects[t.effect])) {
      tolerations.push({ key: t.key, operator: "Equal", value: t.value, effect: effects[t.effect] });
    }
  }
  return { nodeLabels: system.length > 0 ? { [NODE_ROLE_LABEL]: NODE_ROLES.system } : {}, tolerations };
}
