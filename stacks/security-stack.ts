import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { AdmissionPolicies, AdmissionPoliciesProps } from "../constructs/security/admission-policies";
import type { AdmissionConfig } from "../lib/config/security/admission";
import { ADMISSION_POLICY_KEYS } from "../lib/security/admission/policies";
import { EnvironmentStack } from "./environment-stack";
import type { PlatformResourcesStack } from "./platform-resources-stack";

/** What the security layer needs from the layers below. */
export interface SecurityStackInputs {
  readonly cluster: ICluster;
  /** The layer before this one; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
}

/**
 * `<env>-security`: the zero-trust controllers and core policy objects — the mesh (Istio base, istiod, CNI, ingress
 * gateway), runtime detection (Falco), cert-manager, the namespace baseline and the admission policy. Their charts
 * install the CRDs of the mesh and certificate resources, which therefore live one layer later, in
 * `<env>-security-resources`. Before observability, so the monitoring stack lands on namespaces and policies
 * that already hold.
 */
export class SecurityStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly admission: AdmissionPolicies;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityStackInputs) {
    super(scope, config, "security");
    this.addDependency(inputs.platformResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    // Core kinds (admissionregistration.k8s.io/v1): no CRD to wait for.
    this.admission = new AdmissionPolicies(this, "AdmissionPolicies", { ...admissionPoliciesProps(config.security.admission), access: this.access });
  }
}

/** The admission policies an environment's `security.admission` asks for: an opt-out removes exactly its own policy. */
export function admissionPoliciesProps(admission: AdmissionConfig): AdmissionPoliciesProps {
  return {
    mode: admission.mode,
    policies: ADMISSION_POLICY_KEYS.filter((k) => admission.optOut?.[k] === undefined),
    allowedRegistries: admission.allowedRegistries,
    exemptNamespaces: admission.exemptNamespaces,
    exemptWorkloads: admission.exemptWorkloads,
  };
}
