import { Construct } from "constructs";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { KarpenterNodePool } from "../constructs/addons/karpenter/karpenter-node-pool";
import { SecretsManagerStore, SyncedSecret } from "../constructs/addons/external-secrets/secrets-manager-secrets";
import { MONITORING_NAMESPACE } from "../lib/observability/monitoring-selection";
import { OBSERVABILITY_SECRETS } from "../lib/observability/secrets";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { EnvironmentStack } from "./environment-stack";
import { BaselineSubnets, platformNamespaceSpec } from "./namespace-specs";
import type { PlatformStack } from "./platform-stack";

/** What the platform-resources layer needs from the layers below. */
export interface PlatformResourcesStackInputs {
  readonly cluster: ICluster;
  /** The stack whose releases install the CRDs used here; this stack deploys after it. */
  readonly platform: PlatformStack;
  /** Name of the node role Karpenter's EC2NodeClasses use. */
  readonly nodeRoleName: string;
  /** KMS key of node volumes. */
  readonly volumeKmsKeyArn: string;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/**
 * `<env>-platform-resources`: the custom resources of the controllers in `<env>-platform` (Karpenter NodePools and
 * EC2NodeClasses, the Secrets Manager store and the ExternalSecrets of the monitoring stack), in a state of their
 * own because `kubernetes_manifest` needs the CRDs installed before it can even plan.
 */
export class PlatformResourcesStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly nodePools: Readonly<Record<string, KarpenterNodePool>>;
  /** The baseline of the monitoring namespace. */
  public readonly namespaces: NamespaceBaseline;
  public readonly monitoringNamespace: NamespaceV1;
  public readonly secretStore: SecretsManagerStore;
  public readonly alertmanagerReceivers: SyncedSecret;
  public readonly grafanaAdmin: SyncedSecret;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: PlatformResourcesStackInputs) {
    super(scope, config, "platform-resources");
    const { cluster, platform } = inputs;
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const access = this.access;

    const nodePools: Record<string, KarpenterNodePool> = {};
    const karpenter = platform.autoscaling.karpenter;
    for (const pool of config.platform.karpenter?.nodePools ?? []) {
      // validatePlatform refuses node pools without Karpenter, so `karpenter` is there whenever a pool is.
      nodePools[pool.name] = new KarpenterNodePool(this, pool.name, {
        karpenter: karpenter!,
        name: pool.name,
        clusterName: cluster.clusterName,
        nodeRoleName: inputs.nodeRoleName,
        volumeKmsKeyArn: inputs.volumeKmsKeyArn,
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
        access,
      });
    }
    this.nodePools = nodePools;

    // Core kinds: no CRD wait. Made here so the ExternalSecrets have somewhere to write their Secrets before the
    // monitoring stack, which reads them, is installed.
    this.namespaces = new NamespaceBaseline(this, "NamespaceBaseline", {
      access,
      kubernetesVersion: config.cluster.kubernetesVersion,
      namespaces: [platformNamespaceSpec(config, MONITORING_NAMESPACE, inputs.subnets)],
    });
    this.monitoringNamespace = this.namespaces.namespaces[MONITORING_NAMESPACE]!.namespace;
    // The namespace was a plain NamespaceV1 here before: a `moved` block keeps its state (and the live namespace).
    this.monitoringNamespace.moveFromId("kubernetes_namespace_v1.MonitoringNamespace");
    this.secretStore = new SecretsManagerStore(this, "SecretStore", {
      externalSecrets: platform.externalSecrets,
      namespaces: [MONITORING_NAMESPACE],
      region: config.region,
      access,
    });
    const prefix = config.platform.externalSecrets.secretsManagerPrefix;
    const synced = (id: string, secret: { readonly secretName: string; readonly remotePath: string }) =>
      new SyncedSecret(this, id, { store: this.secretStore, namespace: MONITORING_NAMESPACE, secretName: secret.secretName, remoteKey: `${prefix}/${secret.remotePath}`, dependsOn: [this.monitoringNamespace] });
    this.alertmanagerReceivers = synced("AlertmanagerReceivers", OBSERVABILITY_SECRETS.alertmanagerReceivers);
    this.grafanaAdmin = synced("GrafanaAdmin", OBSERVABILITY_SECRETS.grafanaAdmin);
  }
}
