import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonIrsa, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { arnContext } from "../../common/cluster-arn";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { DNS_ZONE_NAME_RULE, isDnsZoneName, ROUTE53_HOSTED_ZONE_ID, ROUTE53_HOSTED_ZONE_ID_RULE } from "../../../lib/aws/route53";
import { CERT_MANAGER_NAMESPACE } from "../../../lib/security/namespaces";
import { CERT_MANAGER_RELEASE } from "../../../lib/security/certificates";
import { certManagerValues, CERT_MANAGER_COMPONENTS, CertManagerComponentName, CertManagerComponentSize } from "./cert-manager-values";
import { Route53HostedZone, route53SolverStatements } from "./route53-solver-policy";
import { validateWorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/**
 * The jetstack cert-manager chart v1.21.1 (cert-manager v1.21.1). It installs its CRDs (`crds.enabled`), so issuers and
 * certificates belong to a later stack.
 * @see https://cert-manager.io/docs/installation/helm/
 */
export const CERT_MANAGER_DEFAULTS: HelmChartDefaults = {
  chart: "cert-manager",
  repository: "https://charts.jetstack.io",
  version: "v1.21.1",
  namespace: CERT_MANAGER_NAMESPACE,
  releaseName: CERT_MANAGER_RELEASE,
  crds: {
    "cert-manager.io/v1/ClusterIssuer": "cert-manager.io/clusterissuer_v1.json",
    "cert-manager.io/v1/Certificate": "cert-manager.io/certificate_v1.json",
  },
};

/** The controller's service account (the chart's full name): the IRSA role trusts it, and only it. */
export const CERT_MANAGER_SERVICE_ACCOUNT = "cert-manager";

/** Replicas and size of one cert-manager component. */
export interface CertManagerComponentOptions {
  /** Replicas (leader-elected; the webhook serves from all); two or more get a PodDisruptionBudget. @default 1 */
  readonly replicas?: number;
  /** @default - see {@link CERT_MANAGER_DEFAULT_RESOURCES} */
  readonly resources?: ContainerResources;
}

/** Sizes used when a component's `resources` is not given: enough for the platform's own certificates, a memory limit always. */
export const CERT_MANAGER_DEFAULT_RESOURCES: Readonly<Record<CertManagerComponentName, ContainerResources>> = {
  controller: { requests: { cpu: "25m", memory: "96Mi" }, limits: { memory: "192Mi" } },
  webhook: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  cainjector: { requests: { cpu: "10m", memory: "96Mi" }, limits: { memory: "192Mi" } },
};

/** Props of {@link CertManager}. */
export interface CertManagerProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Route 53 zones the ACME DNS-01 solver answers challenges in. Given, the controller gets an IRSA role that may
   * write `_acme-challenge` TXT records in these zones only; not given, it gets no AWS role at all (an in-cluster CA
   * or AWS Private CA, whose own issuer holds the role, needs none).
   * @default - no IAM role
   */
  readonly route53HostedZones?: readonly Route53HostedZone[];
  /** @default - 1 replica, {@link CERT_MANAGER_DEFAULT_RESOURCES} */
  readonly controller?: CertManagerComponentOptions;
  /** @default - 1 replica, {@link CERT_MANAGER_DEFAULT_RESOURCES} */
  readonly webhook?: CertManagerComponentOptions;
  /** @default - 1 replica, {@link CERT_MANAGER_DEFAULT_RESOURCES} */
  readonly cainjector?: CertManagerComponentOptions;
  /** Spread each replicated component across zones (`DoNotSchedule`). @default false */
  readonly spreadAcrossZones?: boolean;
  /** Keep the components on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * cert-manager with its CRDs, hardened pods (restricted Pod Security: non-root, read-only root file system, no
 * capabilities, RuntimeDefault seccomp), sizes, disruption budgets and zone spread from the environment, leader election
 * in its own namespace, and an IRSA role only when a DNS-01 solver needs one.
 */
export class CertManager extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly namespace: string;
  public readonly components: Readonly<Record<CertManagerComponentName, CertManagerComponentSize>>;
  public readonly spreadAcrossZones: boolean;
  /** The zones the controller's role may answer challenges in (empty: no role). */
  public readonly route53HostedZones: readonly Route53HostedZone[];
  /** Region of the cluster, where the solver's STS calls go. */
  public readonly region: string;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    this.namespace = props.namespace ?? CERT_MANAGER_DEFAULTS.namespace;
    this.components = Object.fromEntries(
      CERT_MANAGER_COMPONENTS.map((c) => [c, { replicas: props[c]?.replicas ?? 1, resources: props[c]?.resources ?? CERT_MANAGER_DEFAULT_RESOURCES[c] }]),
    ) as Record<CertManagerComponentName, CertManagerComponentSize>;
    this.spreadAcrossZones = props.spreadAcrossZones ?? false;
    this.route53HostedZones = props.route53HostedZones ?? [];
    throwIfProblems(this.node.path, validateCertManagerProps(props));
    const ctx = arnContext(props.cluster.clusterArn);
    this.region = ctx.region;
    const placement = resolvePlacement(props.systemNodePlacement);

    const irsa: HelmAddonIrsa | undefined =
      this.route53HostedZones.length > 0
        ? {
            serviceAccountName: CERT_MANAGER_SERVICE_ACCOUNT,
            namePath: ["serviceAccount", "name"],
            annotationsPath: ["serviceAccount", "annotations"],
            statements: route53SolverStatements(ctx.partition, this.route53HostedZones),
          }
        : undefined;
    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: CERT_MANAGER_DEFAULTS,
      irsa,
      chartValues: certManagerValues({
        namespace: this.namespace,
        components: this.components,
        spreadAcrossZones: this.spreadAcrossZones,
        nodeLabels: placement.nodeLabels,
        tolerations: placement.tolerations,
      }),
    });
  }

  /** The release's address: issuers and certificates (in a later stack) depend on it through their stack. */
  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link CertManagerProps} without building anything (the release is checked by `HelmAddon`). */
export function validateCertManagerProps(props: Omit<CertManagerProps, "cluster"> & Partial<Pick<CertManagerProps, "cluster">>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const c of CERT_MANAGER_COMPONENTS) {
    const profile = { replicas: props[c]?.replicas ?? 1, resources: props[c]?.resources ?? CERT_MANAGER_DEFAULT_RESOURCES[c] };
    problems.push(...validateWorkloadProfile(c, profile, "cert-manager's pods"));
  }
  const ids = new Set<string>();
  const domains = new Set<string>();
  (props.route53HostedZones ?? []).forEach((z, i) => {
    if (!ROUTE53_HOSTED_ZONE_ID.test(z.zoneId)) problems.push({ path: `route53HostedZones[${i}].zoneId`, value: z.zoneId, allowed: ROUTE53_HOSTED_ZONE_ID_RULE });
    else if (ids.has(z.zoneId)) problems.push({ path: `route53HostedZones[${i}].zoneId`, value: z.zoneId, allowed: "each zone once" });
    if (!isDnsZoneName(z.domain)) problems.push({ path: `route53HostedZones[${i}].domain`, value: z.domain, allowed: DNS_ZONE_NAME_RULE });
    else if (domains.has(z.domain)) problems.push({ path: `route53HostedZones[${i}].domain`, value: z.domain, allowed: "each domain once" });
    ids.add(z.zoneId);
    domains.add(z.domain);
  });
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}
