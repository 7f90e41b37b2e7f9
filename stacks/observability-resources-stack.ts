import { Construct } from "constructs";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { PrometheusRuleObject } from "../lib/slo/emit";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { CustomResource } from "../constructs/kubernetes/custom-resource";
import type { MeshMonitors } from "../constructs/addons/istio/mesh-monitors";
import type { CertManagerMonitoring } from "../constructs/addons/cert-manager/cert-manager-monitoring";
import { certManagerAddon, istioAddon } from "../constructs/addons/registry";
import type { EnvironmentAddons } from "./addon-layer";
import { throwIfProblems } from "../constructs/common/validation";
import { MONITORING_SELECTOR_LABELS } from "../lib/observability/monitoring-selection";
import { EnvironmentStack } from "./environment-stack";
import type { ObservabilityStack } from "./observability-stack";

/** What the observability-resources layer needs. */
export interface ObservabilityResourcesStackInputs {
  readonly cluster: ICluster;
  /** The stack of kube-prometheus-stack, which installs the monitoring CRDs; this stack deploys after it. */
  readonly observability: ObservabilityStack;
  /**
   * PrometheusRules to load, e.g. the environment's compiled SLOs. Each must carry the labels the Prometheus selects.
   * @default []
   */
  readonly prometheusRules?: ReadonlyArray<IPrometheusRule | PrometheusRuleObject>;
  /** The environment's add-ons, whose monitors and rules this layer holds. */
  readonly addons: EnvironmentAddons;
}

/**
 * `<env>-observability-resources`: monitoring custom resources (the environment's SLO PrometheusRules, and the
 * ServiceMonitors, PodMonitors and rules the registry's add-ons contribute), after the stack whose chart installs
 * their CRDs.
 */
export class ObservabilityResourcesStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly prometheusRules: Readonly<Record<string, CustomResource<IPrometheusRule | PrometheusRuleObject>>>;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: ObservabilityResourcesStackInputs) {
    super(scope, config, "observability-resources");
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    const rules: Record<string, CustomResource<IPrometheusRule | PrometheusRuleObject>> = {};
    for (const rule of inputs.prometheusRules ?? []) {
      const name = rule.metadata?.name ?? "";
      const labels = rule.metadata?.labels ?? {};
      const missing = Object.entries(MONITORING_SELECTOR_LABELS).filter(([k, v]) => labels[k] !== v);
      if (missing.length > 0) {
        throwIfProblems(this.node.path, [
          { path: `prometheusRules["${name}"].metadata.labels`, value: labels, allowed: `labels including ${JSON.stringify(MONITORING_SELECTOR_LABELS)} (the Prometheus loads nothing else)` },
        ]);
      }
      // Keyed by the rule's name: a Terraform address that stays put when rules are added or reordered.
      rules[name] = new CustomResource<IPrometheusRule | PrometheusRuleObject>(this, `PrometheusRule-${name}`, {
        manifest: rule,
        installedBy: inputs.observability.monitoring,
        access: this.access,
      });
    }
    this.prometheusRules = rules;
    // The monitors and rules the registry's add-ons contribute (the mesh's scrapes, cert-manager's).
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access);
  }

  /** The mesh's sidecar and istiod metrics, scraped by the platform's Prometheus. */
  public get meshMonitors(): MeshMonitors {
    return this.addons.contribution<MeshMonitors>(istioAddon, this.layer)!;
  }

  public get certManagerMonitoring(): CertManagerMonitoring | undefined {
    return this.addons.contribution<CertManagerMonitoring>(certManagerAddon, this.layer);
  }
}
