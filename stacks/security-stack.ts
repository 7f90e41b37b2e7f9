import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { AdmissionPolicies, AdmissionPoliciesProps } from "../constructs/security/admission-policies";
import type { AdmissionConfig } from "../lib/config/security/admission";
import { ADMISSION_POLICY_KEYS } from "../lib/security/admission/policies";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { WorkloadDeployerRole } from "../constructs/kubernetes/namespace-baseline/workload-deployer-role";
import { IstioMesh } from "../constructs/addons/istio/istio-mesh";
import { Falco } from "../constructs/addons/falco/falco";
import { CertManager } from "../constructs/addons/cert-manager/cert-manager";
import { AwsPrivateCaIssuer } from "../constructs/addons/cert-manager/aws-privateca-issuer";
import { NODE_EXPORTER_NAMESPACE } from "../lib/observability/monitoring-selection";
import { CERT_MANAGER_NAMESPACE, FALCO_NAMESPACE, ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE } from "../lib/security/namespaces";
import { EnvironmentStack } from "./environment-stack";
import { BaselineSubnets, platformNamespaceSpec, teamNamespaceSpecs } from "./namespace-specs";
import type { PlatformResourcesStack } from "./platform-resources-stack";
import { systemNodePlacement } from "./platform-stack";

/** What the security layer needs from the layers below. */
export interface SecurityStackInputs {
  readonly cluster: ICluster;
  /** The layer before this one; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/** The platform namespaces whose baseline this layer makes (the others come with the layer of their first chart). */
export const SECURITY_LAYER_NAMESPACES = [NODE_EXPORTER_NAMESPACE, ISTIO_SYSTEM_NAMESPACE, ISTIO_INGRESS_NAMESPACE, FALCO_NAMESPACE, CERT_MANAGER_NAMESPACE] as const;

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
  /** node-exporter, Istio, Falco and cert-manager namespaces and every team namespace, by name. */
  public readonly namespaces: NamespaceBaseline;
  /** The ClusterRole team RoleBindings refer to. */
  public readonly workloadDeployer: WorkloadDeployerRole;
  public readonly mesh: IstioMesh;
  /** Runtime detection; absent where `security.falco.optOut.runtimeDetection` turns it off. */
  public readonly falco?: Falco;
  /** cert-manager's namespace, made by the baseline (`namespaces.namespaces["cert-manager"].namespace`). */
  public readonly certManagerNamespace: NamespaceV1;
  public readonly certManager: CertManager;
  /** The AWS Private CA issuer, when the environment's certificates come from AWS Private CA. */
  public readonly awsPrivateCaIssuer?: AwsPrivateCaIssuer;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityStackInputs) {
    super(scope, config, "security");
    this.addDependency(inputs.platformResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    // Core kinds (admissionregistration.k8s.io/v1): no CRD to wait for.
    this.admission = new AdmissionPolicies(this, "AdmissionPolicies", { ...admissionPoliciesProps(config.security.admission), access: this.access });
    this.workloadDeployer = new WorkloadDeployerRole(this, "WorkloadDeployer", { access: this.access });
    const falco = config.security.falco;
    const runsFalco = falco.optOut.runtimeDetection === undefined;
    // Without Falco there is nothing to put in its namespace.
    const platformNamespaces = SECURITY_LAYER_NAMESPACES.filter((name) => name !== FALCO_NAMESPACE || runsFalco);
    this.namespaces = new NamespaceBaseline(this, "NamespaceBaseline", {
      access: this.access,
      kubernetesVersion: config.cluster.kubernetesVersion,
      namespaces: [...platformNamespaces.map((name) => platformNamespaceSpec(config, name, inputs.subnets)), ...teamNamespaceSpecs(config, inputs.subnets)],
    });
    // A RoleBinding to a missing ClusterRole grants nothing until it exists; create the role first all the same.
    for (const baselined of Object.values(this.namespaces.namespaces)) for (const b of baselined.deployBindings) b.node.addDependency(this.workloadDeployer.clusterRole);

    const m = config.security.mesh;
    const ns = (name: string) => this.namespaces.namespaces[name]!.namespace;
    // The baseline made istio-system (privileged for the CNI node agent, with security.mesh.cni.podSecurity's reason)
    // and istio-ingress (restricted, in the mesh: the gateway is an injected pod).
    this.mesh = new IstioMesh(this, "IstioMesh", {
      cluster: inputs.cluster,
      access: this.access,
      createNamespaces: false,
      dependsOn: [ns(ISTIO_SYSTEM_NAMESPACE), ns(ISTIO_INGRESS_NAMESPACE)],
      istiod: m.istiod,
      gateway: m.gateway,
      cni: { resources: m.cni.resources },
      spreadAcrossZones: m.spreadAcrossZones,
      internetFacingIngress: m.optOut.privateIngress !== undefined,
      systemNodePlacement: systemNodePlacement(config.cluster.nodeGroups),
    });

    if (runsFalco) {
      this.falco = new Falco(this, "Falco", {
        cluster: inputs.cluster,
        access: this.access,
        // The baseline made the namespace: privileged with the reason from security.falco.podSecurity, default-deny.
        createNamespace: false,
        dependsOn: [ns(FALCO_NAMESPACE)],
        resources: falco.resources,
        rules: falco.rules,
        alertForwarding: {
          enabled: falco.optOut.alertForwarding === undefined,
          minimumPriority: falco.minimumForwardedPriority,
          replicas: falco.sidekick.replicas,
          resources: falco.sidekick.resources,
        },
      });
    }

    const certs = config.security.certManager;
    const placement = systemNodePlacement(config.cluster.nodeGroups);
    this.certManagerNamespace = ns(CERT_MANAGER_NAMESPACE);
    this.certManager = new CertManager(this, "CertManager", {
      cluster: inputs.cluster,
      access: this.access,
      createNamespace: false,
      // The baseline made the namespace: restricted (every pod of the chart runs under it), out of the mesh (the API
      // server calls the webhook directly), default-deny with the webhook's and issuers' allows.
      dependsOn: [this.certManagerNamespace],
      // Only an ACME issuer needs AWS from cert-manager itself; the other issuers get no role.
      route53HostedZones: certs.issuer.type === "acme" ? certs.issuer.hostedZones : undefined,
      controller: certs.controller,
      webhook: certs.webhook,
      cainjector: certs.cainjector,
      spreadAcrossZones: certs.spreadAcrossZones,
      systemNodePlacement: placement,
    });
    if (certs.issuer.type === "awsPrivateCA") {
      this.awsPrivateCaIssuer = new AwsPrivateCaIssuer(this, "AwsPrivateCaIssuer", {
        cluster: inputs.cluster,
        access: this.access,
        createNamespace: false,
        certManager: this.certManager,
        certificateAuthorityArn: certs.issuer.certificateAuthorityArn,
        // Signs what the controller approves: as available as the controller, and no more.
        replicas: certs.controller.replicas,
        spreadAcrossZones: certs.spreadAcrossZones,
        systemNodePlacement: placement,
      });
    }
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
    probeExemptContainers: admission.probeExemptContainers,
  };
}
