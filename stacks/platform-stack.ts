import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import type { MetricsServer } from "../constructs/addons/metrics-server/metrics-server";
import type { NodeAutoscaling } from "../constructs/addons/node-autoscaling/node-autoscaling";
import type { StorageClasses } from "../constructs/addons/storage-classes/storage-classes";
import type { ExternalSecrets } from "../constructs/addons/external-secrets/external-secrets";
import { externalSecretsAddon, metricsServerAddon, nodeAutoscalingAddon, storageClassesAddon } from "../constructs/addons/registry";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentAddons } from "./addon-layer";
import { BaselineSubnets, layerNamespaceBaseline } from "./namespace-specs";

export { systemNodePlacement } from "./addon-layer";

/** What the platform layer needs from the layers below, as cross-stack references. */
export interface PlatformStackInputs {
  readonly cluster: ICluster;
  /** The environment's add-ons (the registry's, with the lower layers' values they use). */
  readonly addons: EnvironmentAddons;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/**
 * `<env>-platform`: the registry's `platform` add-ons through Helm and the Kubernetes API — the controllers whose
 * charts install CRDs (Karpenter, external-secrets), metrics-server and the StorageClasses — on the baseline of their
 * namespaces. Their custom resources are in `<env>-platform-resources`. Its Kubernetes and Helm providers are
 * configured from the cluster stack's outputs (endpoint, CA, a token from `aws eks get-token` as the environment's CI
 * deploy role), so Terraform configures them only after the cluster exists.
 */
export class PlatformStack extends EnvironmentStack {
  /** Kubernetes and Helm providers for the cluster, handed to every add-on. */
  public readonly access: ClusterAccess;
  /** The baseline of the namespaces this layer's charts go into (external-secrets). */
  public readonly namespaces: NamespaceBaseline;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: PlatformStackInputs) {
    super(scope, config, "platform");
    // The cluster grants its creator nothing: deploy as the CI deploy role, which has an access entry.
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    this.namespaces = layerNamespaceBaseline(this, this.access, inputs.subnets);
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access, this.namespaces);
  }

  public get autoscaling(): NodeAutoscaling {
    return this.addons.find(nodeAutoscalingAddon)!;
  }

  /** Absent where `platform.metricsServer` is off. */
  public get metricsServer(): MetricsServer | undefined {
    return this.addons.find(metricsServerAddon);
  }

  public get storageClasses(): StorageClasses {
    return this.addons.find(storageClassesAddon)!;
  }

  public get externalSecrets(): ExternalSecrets {
    return this.addons.find(externalSecretsAddon)!;
  }
}
