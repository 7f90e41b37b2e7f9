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
import { EKS_ADDON_VERSION, EKS_ADDON_VERSION_RULE, type EksManagedAddonKey } from "../../lib/eks/addon-versions";

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

interface AddonDefinition {
  readonly key: ManagedAddonKey;
  /** Construct id. */
  readonly id: string;
  /** EKS add-on name. */
  readonly addonName: string;
  /** Needs running nodes to become healthy (a Deployment), so it waits for the node groups. */
  readonly needsNodes: boolean;
  readonly serviceAccount?: string;
  readonly managedPolicy?: string;
  /**
   * Service accounts that each get a Pod Identity role of their own (construct id `<id><Name>Role`), with
   * no permissions here: whoever owns the resources they act on grants them (see `StorageStack`).
   */
  readonly podIdentities?: Readonly<Record<string, string>>;
  readonly configuration?: Readonly<Record<string, unknown>>;
}

/** The add-ons, in creation order. */
const ADDONS: readonly AddonDefinition[] = [
  {
    key: "vpcCni",
    id: "VpcCni",
    addonName: "vpc-cni",
    needsNodes: false,
    serviceAccount: "aws-node",
    managedPolicy: MANAGED_POLICIES.cni,
    // The VPC CNI's network policy agent enforces Kubernetes NetworkPolicies (default-deny needs it).
    configuration: { enableNetworkPolicy: "true" },
  },
  { key: "kubeProxy", id: "KubeProxy", addonName: "kube-proxy", needsNodes: false },
  { key: "podIdentityAgent", id: "PodIdentityAgent", addonName: "eks-pod-identity-agent", needsNodes: false },
  { key: "coreDns", id: "CoreDns", addonName: "coredns", needsNodes: true },
  {
    key: "ebsCsiDriver",
    id: "EbsCsiDriver",
    addonName: "aws-ebs-csi-driver",
    needsNodes: true,
    serviceAccount: "ebs-csi-controller-sa",
    managedPolicy: MANAGED_POLICIES.ebsCsi,
  },
  {
    key: "efsCsiDriver",
    id: "EfsCsiDriver",
    addonName: "aws-efs-csi-driver",
    needsNodes: true,
    // Controller and node get a role each: only the controller manages access points, only the nodes
    // mount. With IRSA, EKS would annotate both service accounts with one role (every node holding
    // CreateAccessPoint/DeleteAccessPoint); Pod Identity associations map each to its own.
    podIdentities: { Controller: "efs-csi-controller-sa", Node: "efs-csi-node-sa" },
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
    const enabled = ADDONS.filter((a) => a.key !== "efsCsiDriver" || props.enableEfsCsiDriver !== false);
    for (const def of enabled) {
      let serviceAccountRoleArn: string | undefined;
      let grants: IrsaRole["attachments"] = [];
      if (def.serviceAccount && def.managedPolicy) {
        const role = new IrsaRole(this, `${def.id}Role`, {
          cluster: props.oidc,
          namespace: "kube-system",
          serviceAccount: def.serviceAccount,
          managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/${def.managedPolicy}`],
          statements: def.key === "ebsCsiDriver" ? volumeKeyStatements(props.volumeKmsKeyArn) : undefined,
        });
        this.roles[def.key] = role;
        serviceAccountRoleArn = role.roleArn;
        grants = role.attachments;
      }
      const podRoles = Object.entries(def.podIdentities ?? {}).map(
        ([name, serviceAccount]) => [name, new PodIdentityRole(this, `${def.id}${name}Role`, { clusterArn: props.clusterArn, namespace: "kube-system", serviceAccount })] as const,
      );
      if (def.key === "efsCsiDriver") {
        const byName = Object.fromEntries(podRoles);
        this.efsCsiRoles = { controller: byName.Controller!, node: byName.Node! };
      }
      const addon = new EksAddon(this, def.id, {
        clusterName: props.clusterName,
        addonName: def.addonName,
        addonVersion: props.versions?.[def.key] ?? this.lookUpVersion(def, props.kubernetesVersion),
        serviceAccountRoleArn,
        podIdentityAssociation: podRoles.length > 0 ? podRoles.map(([, r]) => ({ roleArn: r.roleArn, serviceAccount: r.serviceAccount })) : undefined,
        configurationValues: configurationValues(def, props.configuration?.[def.key]),
        // The add-on's pods start with the role's permissions in place: on a slow IAM propagation the VPC CNI
        // would otherwise fail its first calls and no node would become Ready.
        dependsOn: grants.length > 0 ? grants : undefined,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
      this.addons[def.key] = addon;
      (def.needsNodes ? this.afterNodes : this.beforeNodes).push(addon);
    }
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

  private lookUpVersion(def: AddonDefinition, kubernetesVersion: string): string {
    return new DataAwsEksAddonVersion(this, `${def.id}Version`, {
      addonName: def.addonName,
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
