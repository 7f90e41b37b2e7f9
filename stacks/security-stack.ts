import { Construct } from "constructs";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import { ClusterAccess } from "../constructs/cluster/cluster-access";
import { AdmissionPolicies, AdmissionPoliciesProps } from "../constructs/security/admission-policies";
import { ADMISSION_POLICY_KEYS } from "../lib/security/admission/policies";
import { eksManagedAddonExemptions } from "../lib/eks/addon-versions";
import { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { WorkloadDeployerRole } from "../constructs/kubernetes/namespace-baseline/workload-deployer-role";
import type { IstioMesh } from "../constructs/addons/istio/istio-mesh";
import type { Falco } from "../constructs/addons/falco/falco";
import type { CertManager } from "../constructs/addons/cert-manager/cert-manager";
import type { AwsPrivateCaIssuer } from "../constructs/addons/cert-manager/aws-privateca-issuer";
import { addonAdmission, addonNamespaces, addonRegistries, addonRepositories, enabledAddons, awsPrivateCaIssuerAddon, certManagerAddon, falcoAddon, istioAddon } from "../constructs/addons/registry";
import { CERT_MANAGER_NAMESPACE } from "../lib/security/namespaces";
import { SYSTEM_NAMESPACES } from "../lib/security/namespace-baseline";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentAddons } from "./addon-layer";
import { BaselineSubnets, layerNamespaceBaseline, teamNamespaceSpecs } from "./namespace-specs";
import type { PlatformResourcesStack } from "./platform-resources-stack";

/** What the security layer needs from the layers below. */
export interface SecurityStackInputs {
  readonly cluster: ICluster;
  /** The layer before this one; this stack deploys after it. */
  readonly platformResources: PlatformResourcesStack;
  readonly addons: EnvironmentAddons;
  /** Where the namespace baseline's `kubernetesApi` and `nodes` allows point. */
  readonly subnets: BaselineSubnets;
}

/**
 * `<env>-security`: the zero-trust controllers and core policy objects — the registry's `security` add-ons (the mesh,
 * runtime detection, cert-manager), the namespace baseline and the admission policy. Their charts install the CRDs of
 * the mesh and certificate resources, which therefore live one layer later, in `<env>-security-resources`. Before
 * observability, so the monitoring stack lands on namespaces and policies that already hold.
 */
export class SecurityStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  public readonly admission: AdmissionPolicies;
  /** The namespaces of this layer's add-ons (and node-exporter's) and every team namespace, by name. */
  public readonly namespaces: NamespaceBaseline;
  /** The ClusterRole team RoleBindings refer to. */
  public readonly workloadDeployer: WorkloadDeployerRole;
  private readonly addons: EnvironmentAddons;

  constructor(scope: Construct, config: EnvironmentConfig, inputs: SecurityStackInputs) {
    super(scope, config, "security");
    this.addDependency(inputs.platformResources);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: inputs.cluster, region: config.region, roleArn: config.iam.deployRoleArn });
    // Core kinds (admissionregistration.k8s.io/v1): no CRD to wait for.
    this.admission = new AdmissionPolicies(this, "AdmissionPolicies", { ...admissionPoliciesProps(config), access: this.access });
    this.workloadDeployer = new WorkloadDeployerRole(this, "WorkloadDeployer", { access: this.access });
    this.namespaces = layerNamespaceBaseline(this, this.access, inputs.subnets, teamNamespaceSpecs(config));
    // A RoleBinding to a missing ClusterRole grants nothing until it exists; create the role first all the same.
    for (const baselined of Object.values(this.namespaces.namespaces)) for (const b of baselined.deployBindings) b.node.addDependency(this.workloadDeployer.clusterRole);
    this.addons = inputs.addons;
    this.addons.buildLayer(this, inputs.cluster, this.access, this.namespaces);
  }

  public get mesh(): IstioMesh {
    return this.addons.find(istioAddon)!;
  }

  /** Runtime detection; absent where `security.falco.optOut.runtimeDetection` turns it off. */
  public get falco(): Falco | undefined {
    return this.addons.find(falcoAddon);
  }

  public get certManager(): CertManager {
    return this.addons.find(certManagerAddon)!;
  }

  /** cert-manager's namespace, made by the baseline. */
  public get certManagerNamespace(): NamespaceV1 {
    return this.namespaces.namespaces[CERT_MANAGER_NAMESPACE]!.namespace;
  }

  /** The AWS Private CA issuer, when the environment's certificates come from AWS Private CA. */
  public get awsPrivateCaIssuer(): AwsPrivateCaIssuer | undefined {
    return this.addons.find(awsPrivateCaIssuerAddon);
  }
}

/**
 * The admission policies an environment asks for: `security.admission` (mode, the teams' registries, its own
 * exemptions; an opt-out removes exactly its own policy) with the registries and named exemptions of the add-ons the
 * environment runs, from the registry, and those of the EKS managed add-ons its cluster runs, from
 * `lib/eks/addon-versions.ts`.
 */
export function admissionPoliciesProps(config: EnvironmentConfig): Required<Omit<AdmissionPoliciesProps, "access">> {
  const admission = config.security.admission;
  const fromAddons = addonAdmission(config);
  return {
    mode: admission.mode,
    policies: ADMISSION_POLICY_KEYS.filter((k) => admission.optOut?.[k] === undefined),
    allowedRegistries: [...new Set([...addonRegistries(config), ...admission.allowedRegistries])],
    allowedRepositories: [...new Set([...addonRepositories(config), ...(admission.allowedRepositories ?? [])])],
    exemptNamespaces: once([...admission.exemptNamespaces, ...fromAddons.exemptNamespaces]),
    // kube-system is no exempt namespace: the EKS managed add-ons' workloads are exempt by name from what their specs
    // need; any other pod there gets every policy.
    exemptWorkloads: once([...eksManagedAddonExemptions({ efs: config.storage.efs }), ...fromAddons.exemptWorkloads, ...admission.exemptWorkloads]),
    probeExemptContainers: once([...fromAddons.probeExemptContainers, ...admission.probeExemptContainers]),
    // The namespaces of the add-ons the environment runs: validation keeps team namespaces off these names.
    platformNamespaces: [...new Set([KUBE_SYSTEM_NAMESPACE, ...addonNamespaces(enabledAddons(config)).map(({ namespace }) => namespace.name)])],
  };
}

/** Where EKS and the node autoscaler run their own controllers and node agents. */
const KUBE_SYSTEM_NAMESPACE: (typeof SYSTEM_NAMESPACES)[number] = "kube-system";

/** Each entry once: an environment that still lists an add-on's own exemption gets it once, not twice. */
function once<T>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = JSON.stringify(e);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
