import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { KubePrometheusStack } from "../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { OBSERVABILITY_SECRETS } from "../lib/observability/secrets";
import { NODE_EXPORTER_NAMESPACE } from "../lib/observability/monitoring-selection";
import { EnvironmentStack } from "./environment-stack";
import type { PlatformResourcesStack } from "./platform-resources-stack";
import type { SecurityResourcesStack } from "./security-resources-stack";

/** What the observability layer needs from the layers below, and what the synth generated for it. */
export interface ObservabilityStackInputs {
  readonly cluster: ICluster;
  /** Where the monitoring namespace and its Secrets come from; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
  /** The zero-trust layer (namespace baseline, mesh, admission policy) the monitoring stack lands on; deploys after it. */
  readonly securityResources: SecurityResourcesStack;
  /** The encrypted gp3 StorageClass (`StorageClasses.gp3Name`). */
  readonly storageClassName: string;
  /**
   * The environment's Alertmanager configuration; credentials only as `*_file` paths into the receivers Secret.
   * @default - alerts go to a receiver that notifies no one
   */
  readonly alertmanagerConfig?: Readonly<Record<string, unknown>>;
  /** Grafana dashboards by name → JSON. @default {} */
  readonly dashboards?: Readonly<Record<string, string>>;
}

/**
 * `<env>-observability`: kube-prometheus-stack sized from the environment. After `<env>-platform-resources`, because
 * Grafana and Alertmanager start only once the Secrets its ExternalSecrets fill exist (Helm waits for Grafana, and a
 * rollback would follow). Its chart installs the monitoring CRDs, so PrometheusRules and monitors come one layer later.
 */
export class ObservabilityStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly monitoring: KubePrometheusStack;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: ObservabilityStackInputs) {
    super(scope, config, "observability");
    this.addDependency(inputs.platformResources);
    this.addDependency(inputs.securityResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const o = config.observability;
    this.monitoring = new KubePrometheusStack(this, "KubePrometheusStack", {
      cluster: inputs.cluster,
      access: this.access,
      // The namespace belongs to the platform-resources layer (its Secrets are there before this release).
      createNamespace: false,
      storageClassName: inputs.storageClassName,
      spreadAcrossZones: o.spreadAcrossZones,
      // Its own privileged namespace (made by the security layer's baseline), so `monitoring` stays restricted.
      nodeExporterNamespace: NODE_EXPORTER_NAMESPACE,
      prometheus: o.prometheus,
      alertmanager: {
        ...o.alertmanager,
        config: inputs.alertmanagerConfig,
        secretNames: [OBSERVABILITY_SECRETS.alertmanagerReceivers.secretName],
      },
      grafana: { ...o.grafana, adminSecretName: OBSERVABILITY_SECRETS.grafanaAdmin.secretName, dashboards: inputs.dashboards },
    });
  }
}
