import { Construct } from "constructs";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import type { KarpenterNodePools } from "../constructs/addons/node-autoscaling/addon";
import type { MonitoringSecrets } from "../constructs/addons/kube-prometheus-stack/addon";
import type { SecretsManagerStore, SyncedSecret } from "../constructs/addons/external-secrets/secrets-manager-secrets";
import { kubePrometheusStackAddon, nodeAutoscalingAddon } from "../constructs/addons/registry";
import { MONITORING_NAMESPACE } from "../lib/observability/monitoring-selection";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentAddons } from "./addon-layer";
import { BaselineSubnets, layerNamespaceBaseline } from "./namespace-specs";
import type { PlatformStack } from "./platform-stack";

/** What the platform-resources layer needs from the layers below. */
export interface PlatformResourcesStackInputs {
  readonly cluster: ICluster;
  /** The stack whose releases install the CRDs used here; this stack deploys after it. */
  readonly platform: PlatformStack;
  readonly addons: EnvironmentAddons;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/**
 * `<env>-platform-resources`: the custom resources the registry's add-ons contribute after `<env>-platform` installed
 * their CRDs (Karpenter NodePools and EC2NodeClasses, the Secrets Manager store and the ExternalSecrets of the
 * monitoring stack), in a state of their own because `kubernetes_manifest` needs the CRDs installed before it can
 * even plan; and the baseline of the namespaces that must exist this early (monitoring, for those Secrets).
 */
export class PlatformResourcesStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  /** The baseline of the monitoring namespace. */
  public readonly namespaces: NamespaceBaseline;
  public readonly monitoringNamespace: NamespaceV1;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: PlatformResourcesStackInputs) {
    super(scope, config, "platform-resources");
    this.addDependency(inputs.platform);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    // Core kinds: no CRD wait. Made here so the ExternalSecrets have somewhere to write their Secrets before the
    // monitoring stack, which reads them, is installed.
    this.namespaces = layerNamespaceBaseline(this, this.access, inputs.subnets);
    this.monitoringNamespace = this.namespaces.namespaces[MONITORING_NAMESPACE]!.namespace;
    // The namespace was a plain NamespaceV1 here before: a `moved` block keeps its state (and the live namespace).
    this.monitoringNamespace.moveFromId("kubernetes_namespace_v1.MonitoringNamespace");
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access, this.namespaces);
  }

  /** Karpenter's node pools by name; empty where the environment runs the Cluster Autoscaler. */
  public get nodePools(): KarpenterNodePools {
    return this.addons.contribution<KarpenterNodePools>(nodeAutoscalingAddon, this.layer) ?? {};
  }

  private get monitoringSecrets(): MonitoringSecrets {
    return this.addons.contribution<MonitoringSecrets>(kubePrometheusStackAddon, this.layer)!;
  }

  public get secretStore(): SecretsManagerStore {
    return this.monitoringSecrets.secretStore;
  }

  public get alertmanagerReceivers(): SyncedSecret {
    return this.monitoringSecrets.alertmanagerReceivers;
  }

  public get grafanaAdmin(): SyncedSecret {
    return this.monitoringSecrets.grafanaAdmin;
  }
}
