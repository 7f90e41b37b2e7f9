import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import type { KubePrometheusStack } from "../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { kubePrometheusStackAddon } from "../constructs/addons/registry";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentAddons } from "./addon-layer";
import type { PlatformResourcesStack } from "./platform-resources-stack";
import type { SecurityResourcesStack } from "./security-resources-stack";

/** What the observability layer needs from the layers below, and what the synth generated for it. */
export interface ObservabilityStackInputs {
  readonly cluster: ICluster;
  /** Where the monitoring namespace and its Secrets come from; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
  /** The zero-trust layer (namespace baseline, mesh, admission policy) the monitoring stack lands on; deploys after it. */
  readonly securityResources: SecurityResourcesStack;
  /** The environment's add-ons, with the generated alert routing and dashboards. */
  readonly addons: EnvironmentAddons;
}

/**
 * `<env>-observability`: the registry's `observability` add-ons (kube-prometheus-stack sized from the environment).
 * After `<env>-platform-resources`, because Grafana and Alertmanager start only once the Secrets its ExternalSecrets
 * fill exist (Helm waits for Grafana, and a rollback would follow). Its chart installs the monitoring CRDs, so
 * PrometheusRules and monitors come one layer later. With `observability.managedPrometheus` on, the Amazon Managed
 * Prometheus workspace (its rule namespaces, alert manager, topics and IRSA roles) is built here too, beside the release
 * that writes to it: AWS resources, which need no CRD.
 */
export class ObservabilityStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: ObservabilityStackInputs) {
    super(scope, config, "observability");
    this.addDependency(inputs.platformResources);
    this.addDependency(inputs.securityResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access);
  }

  public get monitoring(): KubePrometheusStack {
    return this.addons.find(kubePrometheusStackAddon)!;
  }
}
