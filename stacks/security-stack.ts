import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { AdmissionPolicies, AdmissionPoliciesProps } from "../constructs/security/admission-policies";
import type { AdmissionConfig } from "../lib/config/security/admission";
import { ADMISSION_POLICY_KEYS } from "../lib/security/admission/policies";
import { IstioMesh } from "../constructs/addons/istio/istio-mesh";
import { Falco } from "../constructs/addons/falco/falco";
import { CertManager } from "../constructs/addons/cert-manager/cert-manager";
import { AwsPrivateCaIssuer } from "../constructs/addons/cert-manager/aws-privateca-issuer";
import { CERT_MANAGER_NAMESPACE, FALCO_NAMESPACE, ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE, meshNamespaceLabels } from "../lib/security/namespaces";
import { EnvironmentStack } from "./environment-stack";
import type { PlatformResourcesStack } from "./platform-resources-stack";
import { systemNodePlacement } from "./platform-stack";

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
  public readonly mesh: IstioMesh;
  /** Runtime detection; absent where `security.falco.optOut.runtimeDetection` turns it off. */
  public readonly falco?: Falco;
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
    const m = config.security.mesh;
    // Until the namespace baseline creates every namespace, the mesh's own. The CNI node agent (a DaemonSet in
    // istio-system) needs more than `restricted`, at the level and for the reason its config names; istiod meets
    // `restricted` but shares that namespace.
    const istioSystem = new NamespaceV1(this, "IstioSystemNamespace", {
      provider: this.access.kubernetesProvider,
      metadata: {
        name: ISTIO_SYSTEM_NAMESPACE,
        labels: { ...meshNamespaceLabels("none"), ...podSecurityLabels(m.cni.podSecurity.level) },
        annotations: { "sre-platform.io/pod-security-reason": m.cni.podSecurity.reason },
      },
    });
    // The gateway is an injected pod (template `gateway`): its namespace is in the mesh, and it meets `restricted`.
    const istioIngress = new NamespaceV1(this, "IstioIngressNamespace", {
      provider: this.access.kubernetesProvider,
      metadata: { name: ISTIO_INGRESS_NAMESPACE, labels: { ...meshNamespaceLabels("sidecar"), ...podSecurityLabels("restricted") } },
    });
    this.mesh = new IstioMesh(this, "IstioMesh", {
      cluster: inputs.cluster,
      access: this.access,
      createNamespaces: false,
      dependsOn: [istioSystem, istioIngress],
      istiod: m.istiod,
      gateway: m.gateway,
      cni: { resources: m.cni.resources },
      spreadAcrossZones: m.spreadAcrossZones,
      internetFacingIngress: m.optOut.privateIngress !== undefined,
      systemNodePlacement: systemNodePlacement(config.cluster.nodeGroups),
    });
    const falco = config.security.falco;
    if (falco.optOut.runtimeDetection === undefined) {
      // Until the namespace baseline creates every namespace, Falco's own, with the Pod Security level its config names.
      const namespace = new NamespaceV1(this, "FalcoNamespace", {
        provider: this.access.kubernetesProvider,
        metadata: {
          name: FALCO_NAMESPACE,
          labels: { ...meshNamespaceLabels("none"), ...podSecurityLabels(falco.podSecurity.level) },
          annotations: { "sre-platform.io/pod-security-reason": falco.podSecurity.reason },
        },
      });
      this.falco = new Falco(this, "Falco", {
        cluster: inputs.cluster,
        access: this.access,
        createNamespace: false,
        dependsOn: [namespace],
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
    // Until the namespace baseline owns every namespace, cert-manager's is made here, before its release: restricted
    // (every pod of the chart runs under it), and out of the mesh, because the API server calls the webhook directly.
    this.certManagerNamespace = new NamespaceV1(this, "CertManagerNamespace", {
      provider: this.access.kubernetesProvider,
      metadata: { name: CERT_MANAGER_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "sre-platform", ...meshNamespaceLabels("none"), ...podSecurityLabels("restricted") } },
    });
    this.certManager = new CertManager(this, "CertManager", {
      cluster: inputs.cluster,
      access: this.access,
      createNamespace: false,
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

/** Pod Security admission labels enforcing, auditing and warning at one level. */
function podSecurityLabels(level: string): Record<string, string> {
  return Object.fromEntries(["enforce", "audit", "warn"].map((mode) => [`pod-security.kubernetes.io/${mode}`, level]));
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
