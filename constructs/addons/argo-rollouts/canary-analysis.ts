import { Construct } from "constructs";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, type ICrdInstaller } from "../../kubernetes/custom-resource";
import { requireProps } from "../../common/validation";
import { alertsPrometheusRule } from "../../../lib/observability/platform-alerts";
import type { AnalysisTemplateObject } from "../../../lib/slo/canary-analysis";
import type { DeliveryPlan } from "../../../lib/delivery/delivery-plan";

/** Props of {@link CanaryAnalysis}. */
export interface CanaryAnalysisProps {
  /** The compiled delivery plan (`compileDelivery`): templates and the error-budget policy's alerts. */
  readonly plan: DeliveryPlan;
  /** The Argo Rollouts release, which installs the AnalysisTemplate CRD (in an earlier stack). */
  readonly rollouts: ICrdInstaller;
  /** The monitoring release, which installs the PrometheusRule CRD (in an earlier stack). */
  readonly monitoring: ICrdInstaller;
  /** Where the policy's PrometheusRule is made (a namespace the platform's Prometheus loads rules from). */
  readonly ruleNamespace: string;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/**
 * The platform's side of canary delivery, after the CRDs exist: one AnalysisTemplate per canary (its SLO analysis) and
 * per gated SLO (its budget gate) in the service's namespace, each validated against the Argo Rollouts CRD schema at
 * synth, and the error-budget policy's P2 alerts as a PrometheusRule. Keyed by namespace and name, so adding a service
 * moves no other template.
 */
export class CanaryAnalysis extends Construct {
  public readonly templates: Readonly<Record<string, CustomResource<AnalysisTemplateObject>>>;
  public readonly policyRule?: CustomResource<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: CanaryAnalysisProps) {
    super(scope, id);
    requireProps(this, props, { plan: "the compiled delivery plan", rollouts: "the Argo Rollouts add-on", monitoring: "the kube-prometheus-stack add-on" });
    const templates: Record<string, CustomResource<AnalysisTemplateObject>> = {};
    for (const t of props.plan.analysisTemplates) {
      const key = `${t.metadata.namespace}/${t.metadata.name}`;
      templates[key] = new CustomResource<AnalysisTemplateObject>(this, `AnalysisTemplate-${t.metadata.namespace}-${t.metadata.name}`, {
        manifest: t,
        installedBy: props.rollouts,
        access: props.access,
      });
    }
    this.templates = templates;
    if (props.plan.alertGroups.length > 0) {
      this.policyRule = new CustomResource<IPrometheusRule>(this, "ErrorBudgetPolicyRule", {
        manifest: alertsPrometheusRule("error-budget-policy", props.ruleNamespace, props.plan.alertGroups),
        installedBy: props.monitoring,
        access: props.access,
      });
    }
  }
}
