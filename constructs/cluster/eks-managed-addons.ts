import { Construct } from "constructs";
import { dependable, ITerraformDependable } from "cdktf";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IrsaRole, OidcIssuer } from "../common/irsa-role";
import { PodIdentityRole } from "../common/pod-identity-role";
import { KMS_ENVELOPE_ACTIONS } from "../common/kms-key";
import { ValidationProblem, isUnresolved, requireProps } from "../common/validation";
import { MANAGED_POLICIES } from "./cluster-constants";
import { EKS_ADDON_VERSION, EKS_ADDON_VERSION_RULE, EKS_MANAGED_ADDONS, runsManagedAddon, type EksManagedAddonKey } from "../../lib/eks/addon-versions";

/** The managed add-ons every cluster gets, by their key in {@link AddonVersions}. */
export type ManagedAddonKey = EksManagedAddonKey;

/**
 * Pinned add-on versions such as `v1.20.4-eksbuild.1`; an add-on left out follows
 * {@link EksManagedAddonsProps.versionPolicy}.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
 */
export type AddonVersions = Readonly<Partial<Record<ManagedAddonKey, string>>>;

/**
 * Add-on configuration (the add-on's `configuration_values` schema), merged key by key over ours.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/add-ons-configuration.html
 */
export type AddonConfiguration = Readonly<Partial<Record<ManagedAddonKey, Readonly<Record<string, unknown>>>>>;

/**
 * How versions of add-ons that are not pinned are chosen, per Kubernetes version:
 * `DEFAULT` is the version EKS marks as default (changes only with the Kubernetes version),
 * `LATEST` the newest compatible one (may change on any plan).
 */
export type AddonVersionPolicy = "DEFAULT" | "LATEST";

/**
 * An add-on whose service account calls AWS APIs with an IRSA role: an AWS managed policy, plus statements of
 * our own where the managed policy cannot name our resources.
 */
interface IrsaIdentity {
  readonly kind: "irsa";
  readonly serviceAccount: string;
  readonly managedPolicy: string;
  readonly statements?: (props: EksManagedAddonsProps) => DataAwsIamPolicyDocumentStatement[];
}

/**
 * Service accounts that each get a Pod Identity role of their own (construct id `<id><Name>Role`), with no
 * permissions here: whoever owns the resources they act on grants them (see `StorageStack`).
 */
interface PodIdentities {
  readonly kind: "podIdentity";
  readonly serviceAccounts: Readonly<Record<string, string>>;
}

/** What one managed add-on needs beyond being installed; everything that differs between add-ons is here. */
interface AddonDefinition {
  readonly key: ManagedAddonKey;
  /** Construct id. */
  readonly id: string;
  /** Needs running nodes to become healthy (a Deployment), so it waits for the node groups. */
  readonly needsNodes: boolean;
  /** @default - no AWS permissions */
  readonly identity?: IrsaIdentity | PodIdentities;
  /** Our configuration values, under the caller's. @default - none */
  readonly configuration?: Readonly<Record<string, unknown>>;
}

/**
 * The add-ons, in creation order. Their EKS names are {@link EKS_MANAGED_ADDONS}'s; whether one exists without EFS
 * is {@link runsManagedAddon}'s.
 */
const ADDONS: readonly AddonDefinition[] = [
  {
    key: "vpcCni",
    id: "VpcCni",
    needsNodes: false,
    identity: { kind: "irsa", serviceAccount: "aws-node", managedPolicy: MANAGED_POLICIES.cni },
    // The VPC CNI's network policy agent enforces Kubernetes NetworkPolicies (default-deny needs it).
    configuration: { enableNetworkPolicy: "true" },
  },
  { key: "kubeProxy", id: "KubeProxy", needsNodes: false },
  { key: "podIdentityAgent", id: "PodIdentityAgent", needsNodes: false },
  { key: "coreDns", id: "CoreDns", needsNodes: true },
  {
    key: "ebsCsiDriver",
    id: "EbsCsiDriver",
    needsNodes: true,
    identity: {
      kind: "irsa",
      serviceAccount: "ebs-csi-controller-sa",
      managedPolicy: MANAGED_POLICIES.ebsCsi,
      // The managed policy cannot name our customer-managed volume key.
      statements: (props) => volumeKeyStatements(props.volumeKmsKeyArn),
    },
  },
  {
    key: "efsCsiDriver",
    id: "EfsCsiDriver",
    needsNodes: true,
    // Controller and node get a role each: only the controller manages access points, only the nodes
    // mount. With IRSA, EKS would annotate both service accounts with one role (every node holding
    // CreateAccessPoint/DeleteAccessPoint); Pod Identity associations map each to its own.
    identity: { kind: "podIdentity", serviceAccounts: { Controller: "efs-csi-controller-sa", Node: "efs-csi-node-sa" } },
  },
];

/** Props of {@link EksManagedAddons}; {@link EksCluster} fills them in. */
export interface EksManagedAddonsProps {
  /** Pass the cluster resource's `name`, so add-ons wait for the cluster. */
  readonly clusterName: string;
  /** The cluster's ARN, which Pod Identity roles trust. */
  readonly clusterArn: string;
  /** Literal Kubernetes version, to look up add-on versions at plan time. */
  readonly kubernetesVersion: string;
  readonly oidc: OidcIssuer;
  /** AWS partition, for managed policy ARNs. */
  readonly partition: string;
  /** @default - none pinned */
  readonly versions?: AddonVersions;
  /** @default "DEFAULT" */
  readonly versionPolicy?: AddonVersionPolicy;
  /** @default true */
  readonly enableEfsCsiDriver?: boolean;
  /** @default - ours only (network policy enforcement in the VPC CNI) */
  readonly configuration?: AddonConfiguration;
  /** KMS key the EBS CSI driver may use to encrypt persistent volumes. */
  readonly volumeKmsKeyArn: string;
}

/**
 * The EKS managed add-ons: VPC CNI with network policy enforcement, kube-proxy, the Pod Identity agent,
 * CoreDNS and the EBS and EFS CSI drivers. Add-ons with AWS permissions get an IRSA role bound to their
 * service account; conflicts with self-managed copies are overwritten, so EKS owns their configuration.
 */
export class EksManagedAddons extends Construct {
  /** Add-ons that must exist before nodes join (networking), by key. */
  public readonly beforeNodes: EksAddon[] = [];
  /** Add-ons that need running nodes; see {@link EksManagedAddons.waitForNodes}. */
  public readonly afterNodes: EksAddon[] = [];
  public readonly addons: Partial<Record<ManagedAddonKey, EksAddon>> = {};
  /** IRSA roles of the add-ons that call AWS APIs. */
  public readonly roles: Partial<Record<ManagedAddonKey, IrsaRole>> = {};
  /** EFS CSI driver's Pod Identity roles, controller and node apart; undefined without the driver. */
  public readonly efsCsiRoles?: { readonly controller: PodIdentityRole; readonly node: PodIdentityRole };
  public readonly versionPolicy: AddonVersionPolicy;

  constructor(scope: Construct, id: string, props: EksManagedAddonsProps) {
    super(scope, id);
    requireProps(this, props, { clusterName: "the cluster's name", kubernetesVersion: "the cluster's Kubernetes version", oidc: "the cluster's OIDC issuer", partition: "the AWS partition, e.g. aws" });
    this.versionPolicy = props.versionPolicy ?? "DEFAULT";
    const efs = props.enableEfsCsiDriver !== false;
    const podRoles: Partial<Record<ManagedAddonKey, Readonly<Record<string, PodIdentityRole>>>> = {};
    for (const def of ADDONS.filter((a) => runsManagedAddon(a.key, { efs }))) {
      const irsa = def.identity?.kind === "irsa" ? this.irsaRole(def, def.identity, props) : undefined;
      const pods = def.identity?.kind === "podIdentity" ? this.podIdentityRoles(def, def.identity, props) : {};
      podRoles[def.key] = pods;
      const addon = new EksAddon(this, def.id, {
        clusterName: props.clusterName,
        addonName: EKS_MANAGED_ADDONS[def.key],
        addonVersion: props.versions?.[def.key] ?? this.lookUpVersion(def, props.kubernetesVersion),
        serviceAccountRoleArn: irsa?.roleArn,
        podIdentityAssociation: Object.keys(pods).length > 0 ? Object.values(pods).map((r) => ({ roleArn: r.roleArn, serviceAccount: r.serviceAccount })) : undefined,
        configurationValues: configurationValues(def, props.configuration?.[def.key]),
        // The add-on's pods start with the role's permissions in place: on a slow IAM propagation the VPC CNI
        // would otherwise fail its first calls and no node would become Ready.
        dependsOn: irsa && irsa.attachments.length > 0 ? irsa.attachments : undefined,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
      this.addons[def.key] = addon;
      (def.needsNodes ? this.afterNodes : this.beforeNodes).push(addon);
    }
    const efsRoles = podRoles.efsCsiDriver;
    this.efsCsiRoles = efsRoles === undefined ? undefined : { controller: efsRoles.Controller!, node: efsRoles.Node! };
  }

  /**
   * Makes the add-ons that need running nodes wait for the given node groups: without nodes, CoreDNS and
   * the CSI controllers never become healthy and the add-on creation times out.
   */
  public waitForNodes(nodeGroups: readonly ITerraformDependable[]): void {
    for (const addon of this.afterNodes) {
      addon.dependsOn = [...(addon.dependsOn ?? []), ...nodeGroups.map((g) => dependable(g))];
    }
  }

  private irsaRole(def: AddonDefinition, identity: IrsaIdentity, props: EksManagedAddonsProps): IrsaRole {
    const role = new IrsaRole(this, `${def.id}Role`, {
      cluster: props.oidc,
      namespace: "kube-system",
      serviceAccount: identity.serviceAccount,
      managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/${identity.managedPolicy}`],
      statements: identity.statements?.(props),
    });
    this.roles[def.key] = role;
    return role;
  }

  private podIdentityRoles(def: AddonDefinition, identity: PodIdentities, props: EksManagedAddonsProps): Record<string, PodIdentityRole> {
    return Object.fromEntries(
      Object.entries(identity.serviceAccounts).map(([name, serviceAccount]) => [
        name,
        new PodIdentityRole(this, `${def.id}${name}Role`, { clusterArn: props.clusterArn, namespace: "kube-system", serviceAccount }),
      ]),
    );
  }

  private lookUpVersion(def: AddonDefinition, kubernetesVersion: string): string {
    return new DataAwsEksAddonVersion(this, `${def.id}Version`, {
      addonName: EKS_MANAGED_ADDONS[def.key],
      kubernetesVersion,
      mostRecent: this.versionPolicy === "LATEST",
    }).version;
  }
}

/** The add-on's configuration values: its defaults with the caller's overrides on top, as EKS takes them (JSON). */
function configurationValues(def: AddonDefinition, overrides: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const merged = { ...(def.configuration ?? {}), ...(overrides ?? {}) };
  return Object.keys(merged).length > 0 ? JSON.stringify(merged) : undefined;
}

/** Lets the EBS CSI driver create and attach volumes encrypted with the node volume key. */
function volumeKeyStatements(keyArn: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "UseVolumeKey",
      effect: "Allow",
      actions: [...KMS_ENVELOPE_ACTIONS],
      resources: [keyArn],
    },
    {
      sid: "GrantVolumeKeyToEbs",
      effect: "Allow",
      actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: [keyArn],
      condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    },
  ];
}

/** Checks pinned versions, the version policy and configuration keys; paths are those of {@link EksClusterProps}. */
export function validateAddonSettings(
  versions: AddonVersions | undefined,
  policy: string | undefined,
  configuration?: AddonConfiguration,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const keys = ADDONS.map((a) => a.key as string);
  for (const [key, version] of Object.entries(versions ?? {})) {
    if (!keys.includes(key)) {
      problems.push({ path: `addonVersions.${key}`, value: key, allowed: keys.join(", ") });
    } else if (version !== undefined && !isUnresolved(version) && !EKS_ADDON_VERSION.test(version)) {
      problems.push({ path: `addonVersions.${key}`, value: version, allowed: EKS_ADDON_VERSION_RULE });
    }
  }
  if (policy !== undefined && policy !== "DEFAULT" && policy !== "LATEST") {
    problems.push({ path: "addonVersionPolicy", value: policy, allowed: "DEFAULT, LATEST" });
  }
  for (const key of Object.keys(configuration ?? {})) {
    if (!keys.includes(key)) problems.push({ path: `addonConfiguration.${key}`, value: key, allowed: keys.join(", ") });
  }
  return problems;
}
