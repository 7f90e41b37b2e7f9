import { Construct } from "constructs";
import { TerraformIterator, Token, Tokenization } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem, EfsFileSystemLifecyclePolicy } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ICluster } from "../cluster/cluster-types";
import { KmsKey } from "../common/kms-key";
import { isUnresolved, throwIfProblems, ValidationProblem } from "../common/validation";
import { INetwork } from "../network/network-types";
import { IEncryptionKey } from "./secure-bucket";
import { accessPointManagementStatements } from "./private/efs-access-points";

/** Throughput modes of EFS; `elastic` scales with the workload and bills per use. */
export type EfsThroughputMode = "elastic" | "bursting" | "provisioned";

/** Ages after which EFS moves files to Infrequent Access (the values the EFS API accepts). */
export const EFS_TRANSITION_AGES = [
  "AFTER_1_DAY",
  "AFTER_7_DAYS",
  "AFTER_14_DAYS",
  "AFTER_30_DAYS",
  "AFTER_60_DAYS",
  "AFTER_90_DAYS",
  "AFTER_180_DAYS",
  "AFTER_270_DAYS",
  "AFTER_365_DAYS",
] as const;
/** One of {@link EFS_TRANSITION_AGES}. */
export type EfsTransitionAge = (typeof EFS_TRANSITION_AGES)[number];

/** What {@link EfsStorage} accepts besides its network, cluster, key and lifecycle protection. */
export interface EfsStorageOptions {
  /**
   * Throughput mode.
   * @default "elastic"
   * @see https://docs.aws.amazon.com/efs/latest/ug/performance.html#throughput-modes
   */
  readonly throughputMode?: EfsThroughputMode;
  /**
   * Provisioned throughput in MiB/s; required with `throughputMode: "provisioned"`, refused otherwise.
   * @default - none
   */
  readonly provisionedThroughputInMibps?: number;
  /**
   * Age after which files move to Infrequent Access; they move back on their first access.
   * @default "AFTER_30_DAYS"
   */
  readonly transitionToIa?: EfsTransitionAge;
  /**
   * Age after which files move to Archive (needs elastic throughput; later than `transitionToIa`).
   * @default - files are never archived
   */
  readonly transitionToArchive?: EfsTransitionAge;
  /**
   * Daily AWS Backup of the file system through the EFS automatic backup policy (CKV2_AWS_18).
   * @default true
   */
  readonly automaticBackups?: boolean;
  /**
   * POSIX user id every client of the access point acts as; 0 (root) is refused.
   * @default 1000
   */
  readonly posixUid?: number;
  /**
   * POSIX group id every client of the access point acts as; 0 (root) is refused.
   * @default 1000
   */
  readonly posixGid?: number;
  /**
   * Directory the access point exposes as `/`; created on first use, owned by `posixUid`:`posixGid`.
   * @default "/platform"
   */
  readonly rootDirectoryPath?: string;
  /**
   * Octal permissions of the root directory when EFS creates it.
   * @default "0750"
   */
  readonly rootDirectoryPermissions?: string;
  /**
   * Further security groups allowed to reach NFS (e.g. Karpenter nodes without the cluster group), keyed by
   * a stable PascalCase name that becomes part of the rule's construct id (`NfsFrom<Name>`), so adding or
   * removing one never moves another's Terraform address.
   * @default - only the cluster security group
   */
  readonly additionalClientSecurityGroups?: Readonly<Record<string, string>>;
  /**
   * Let NFS clients that do not authenticate with IAM (no `iam` mount option) mount and write through a
   * mount target. Off, every client must mount with `-o tls,iam` and an IAM identity allowed
   * {@link EfsStorage.clientPolicyStatement}.
   * @default false
   * @see https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
   */
  readonly allowAnonymousAccess?: boolean;
}

/** Props of {@link EfsStorage}. */
export interface EfsStorageProps extends EfsStorageOptions {
  /** Mount targets go into its private subnets, the security group into its VPC. */
  readonly network: INetwork;
  /** Its cluster security group is the one NFS client allowed by default. */
  readonly cluster: ICluster;
  /**
   * Customer-managed key encrypting the file system.
   * @default - a dedicated {@link KmsKey} (id `Key`) with yearly rotation
   */
  readonly encryptionKey?: IEncryptionKey;
  /**
   * Terraform `prevent_destroy` on the file system (and on the key this construct creates).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

const NFS_PORT = 2049;

/**
 * An EFS file system for the cluster: encrypted with a customer key, reachable over NFS only from the
 * cluster security group through one mount target per private subnet, TLS-only and mount-target-only by
 * file system policy, backed up daily, tiered to Infrequent Access, with a non-root access point.
 *
 * Anonymous clients are refused by default: mount with the `iam` option (for the EFS CSI driver,
 * `mountOptions: [tls, iam]` on the StorageClass or PersistentVolume) from an IAM identity, such as the
 * driver's IRSA role, that has {@link EfsStorage.clientPolicyStatement}.
 * @see https://docs.aws.amazon.com/efs/latest/ug/security-considerations.html
 */
export class EfsStorage extends Construct {
  public readonly fileSystem: EfsFileSystem;
  public readonly fileSystemId: string;
  public readonly fileSystemArn: string;
  public readonly accessPoint: EfsAccessPoint;
  public readonly accessPointId: string;
  public readonly accessPointArn: string;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  /**
   * What an IAM identity needs to mount and write this file system through a mount target and one of its
   * access points; attach it to the EFS CSI driver's node role.
   */
  public readonly clientPolicyStatement: DataAwsIamPolicyDocumentStatement;
  /**
   * What the EFS CSI controller needs for dynamic provisioning, scoped to this file system: create access
   * points on it (tagged by the driver), tag them at creation, delete only driver-made ones, and describe.
   * Replaces the AWS-managed `AmazonEFSCSIDriverPolicy`, which allows this on every file system.
   */
  public readonly accessPointManagementStatements: readonly DataAwsIamPolicyDocumentStatement[];
  /** ARN of the key encrypting the file system. */
  public readonly encryptionKeyArn: string;
  /** The key this construct created, if it created one. */
  public readonly createdKey?: KmsKey;
  public readonly throughputMode: EfsThroughputMode;
  public readonly transitionToIa: EfsTransitionAge;
  public readonly transitionToArchive?: EfsTransitionAge;
  public readonly automaticBackups: boolean;
  public readonly posixUid: number;
  public readonly posixGid: number;
  public readonly rootDirectoryPath: string;
  public readonly rootDirectoryPermissions: string;
  public readonly allowAnonymousAccess: boolean;
  public readonly preventDestroy: boolean;

  constructor(scope: Construct, id: string, props: EfsStorageProps) {
    super(scope, id);
    throwIfProblems(this.node.path, validateEfsStorageProps(props));
    this.throughputMode = props.throughputMode ?? "elastic";
    this.transitionToIa = props.transitionToIa ?? "AFTER_30_DAYS";
    this.transitionToArchive = props.transitionToArchive;
    this.automaticBackups = props.automaticBackups ?? true;
    this.posixUid = props.posixUid ?? 1000;
    this.posixGid = props.posixGid ?? 1000;
    this.rootDirectoryPath = props.rootDirectoryPath ?? "/platform";
    this.rootDirectoryPermissions = props.rootDirectoryPermissions ?? "0750";
    this.allowAnonymousAccess = props.allowAnonymousAccess ?? false;
    this.preventDestroy = props.preventDestroy ?? false;

    if (props.encryptionKey) {
      this.encryptionKeyArn = props.encryptionKey.keyArn;
    } else {
      this.createdKey = new KmsKey(this, "Key", {
        description: `Encryption of EFS file system ${this.node.path}`,
        preventDestroy: this.preventDestroy,
      });
      this.encryptionKeyArn = this.createdKey.keyArn;
    }

    // The provider wants each lifecycle_policy block to hold exactly one transition.
    const lifecyclePolicy: EfsFileSystemLifecyclePolicy[] = [{ transitionToIa: this.transitionToIa }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }];
    if (this.transitionToArchive) lifecyclePolicy.push({ transitionToArchive: this.transitionToArchive });
    this.fileSystem = new EfsFileSystem(this, "FileSystem", {
      encrypted: true,
      kmsKeyId: this.encryptionKeyArn,
      performanceMode: "generalPurpose",
      throughputMode: this.throughputMode,
      provisionedThroughputInMibps: props.provisionedThroughputInMibps,
      lifecyclePolicy,
      tags: { Name: this.node.path },
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.fileSystemId = this.fileSystem.id;
    this.fileSystemArn = this.fileSystem.arn;

    new EfsBackupPolicy(this, "BackupPolicy", {
      fileSystemId: this.fileSystem.id,
      backupPolicy: { status: this.automaticBackups ? "ENABLED" : "DISABLED" },
    });

    // No egress rules: mount targets only answer NFS connections, and a security group is stateful.
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      description: `EFS mount targets of ${this.node.path}: NFS from the cluster only`,
      vpcId: props.network.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: this.node.path },
    });
    this.securityGroupId = this.securityGroup.id;
    const clients: Array<[string, string, string]> = [
      ["Cluster", props.cluster.clusterSecurityGroupId, "NFS from the EKS cluster security group"],
      ...Object.entries(props.additionalClientSecurityGroups ?? {}).map(([name, id]): [string, string, string] => [name, id, `NFS from client security group ${name}`]),
    ];
    for (const [name, clientGroupId, description] of clients) {
      new VpcSecurityGroupIngressRule(this, `NfsFrom${name}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: clientGroupId,
        ipProtocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        description,
      });
    }

    this.addMountTargets(props.network.privateSubnetIds);

    this.accessPoint = new EfsAccessPoint(this, "AccessPoint", {
      fileSystemId: this.fileSystem.id,
      posixUser: { uid: this.posixUid, gid: this.posixGid },
      rootDirectory: {
        path: this.rootDirectoryPath,
        creationInfo: { ownerUid: this.posixUid, ownerGid: this.posixGid, permissions: this.rootDirectoryPermissions },
      },
      tags: { Name: this.node.path },
    });
    this.accessPointId = this.accessPoint.id;
    this.accessPointArn = this.accessPoint.arn;

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");
    // Access point ARNs do not name their file system; a mount of THIS file system through any access point
    // is necessarily through one of its own, and identities may only create access points on this one.
    const accessPointArns = `arn:${partition.partition}:elasticfilesystem:${region.region}:${account.accountId}:access-point/*`;
    const clientActions = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"];
    const throughMountTargetAndAccessPoint = [
      { test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] },
      { test: "ArnLike", variable: "elasticfilesystem:AccessPointArn", values: [accessPointArns] },
    ];
    this.clientPolicyStatement = {
      sid: "MountAndWriteThroughAccessPoints",
      effect: "Allow",
      actions: clientActions,
      resources: [this.fileSystemArn],
      condition: throughMountTargetAndAccessPoint,
    };
    this.accessPointManagementStatements = accessPointManagementStatements(this.fileSystemArn, accessPointArns);
    const policy = new DataAwsIamPolicyDocument(this, "PolicyDocument", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["*"],
          resources: [this.fileSystem.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          // Any file system policy replaces EFS's default "any client may do anything". Naming the account
          // (not "*") as principal refuses anonymous NFS clients and leaves the grant to IAM identity policies;
          // either way, only through a mount target. ClientRootAccess is never granted: root is squashed.
          sid: this.allowAnonymousAccess ? "AnyClientThroughAccessPoints" : "AccountPrincipalsThroughAccessPoints",
          effect: "Allow",
          principals: this.allowAnonymousAccess
            ? [{ type: "AWS", identifiers: ["*"] }]
            : [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }],
          actions: clientActions,
          resources: [this.fileSystem.arn],
          condition: throughMountTargetAndAccessPoint,
        },
        {
          // EFS grants a mount if the identity policy OR this policy allows it; only a Deny here stops an
          // identity policy from mounting `/` directly, where NFS would trust the client's uid.
          sid: "DenyMountsNotThroughAnAccessPoint",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: [...clientActions, "elasticfilesystem:ClientRootAccess"],
          resources: [this.fileSystem.arn],
          condition: [{ test: "Null", variable: "elasticfilesystem:AccessPointArn", values: ["true"] }],
        },
      ],
    });
    // Without its policy the file system falls back to EFS's default: any client, anonymous, without TLS.
    new EfsFileSystemPolicy(this, "FileSystemPolicy", {
      fileSystemId: this.fileSystem.id,
      policy: policy.json,
      lifecycle: this.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }

  /**
   * One mount target per private subnet. A literal list gives stable ids `MountTarget0…n`; a list known only
   * to Terraform (e.g. a remote-state output) becomes one `for_each` resource `MountTargets`.
   */
  private addMountTargets(subnetIds: string[]): void {
    const mountTarget = (id: string, subnetId: string, forEach?: TerraformIterator) =>
      new EfsMountTarget(this, id, { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [this.securityGroup.id], forEach });
    if (isListToken(subnetIds)) {
      const iterator = TerraformIterator.fromList(subnetIds);
      mountTarget("MountTargets", Token.asString(iterator.value), iterator);
      return;
    }
    subnetIds.forEach((subnetId, i) => mountTarget(`MountTarget${i}`, subnetId));
  }
}

/** True for an encoded list token (a whole list whose length only Terraform knows), not a list of tokens. */
function isListToken(list: string[]): boolean {
  return Tokenization.reverseList(list) !== undefined;
}

/** Checks {@link EfsStorageProps} without building anything. */
export function validateEfsStorageProps(props: EfsStorageOptions & Partial<Pick<EfsStorageProps, "network">>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const mode = props.throughputMode ?? "elastic";
  if (!["elastic", "bursting", "provisioned"].includes(mode)) {
    problems.push({ path: "throughputMode", value: mode, allowed: "'elastic', 'bursting' or 'provisioned'" });
  }
  const mibps = props.provisionedThroughputInMibps;
  if (mode === "provisioned" && mibps === undefined) {
    problems.push({ path: "provisionedThroughputInMibps", value: mibps, allowed: "a number of MiB/s with throughputMode 'provisioned'" });
  }
  if (mode !== "provisioned" && mibps !== undefined) {
    problems.push({ path: "provisionedThroughputInMibps", value: mibps, allowed: "nothing unless throughputMode is 'provisioned'" });
  }
  if (mibps !== undefined && !isUnresolved(mibps) && !(mibps >= 1)) {
    problems.push({ path: "provisionedThroughputInMibps", value: mibps, allowed: "at least 1 MiB/s" });
  }
  const ages: readonly string[] = EFS_TRANSITION_AGES;
  if (props.transitionToIa !== undefined && !ages.includes(props.transitionToIa)) {
    problems.push({ path: "transitionToIa", value: props.transitionToIa, allowed: ages.join(", ") });
  }
  if (props.transitionToArchive !== undefined) {
    if (!ages.includes(props.transitionToArchive)) {
      problems.push({ path: "transitionToArchive", value: props.transitionToArchive, allowed: ages.join(", ") });
    } else if (ages.indexOf(props.transitionToArchive) <= ages.indexOf(props.transitionToIa ?? "AFTER_30_DAYS")) {
      problems.push({ path: "transitionToArchive", value: props.transitionToArchive, allowed: "an age later than transitionToIa" });
    }
    if (mode !== "elastic") {
      problems.push({ path: "transitionToArchive", value: props.transitionToArchive, allowed: "nothing unless throughputMode is 'elastic'" });
    }
  }
  for (const [path, id] of [["posixUid", props.posixUid], ["posixGid", props.posixGid]] as const) {
    if (id !== undefined && !isUnresolved(id) && (!Number.isInteger(id) || id < 1 || id > 4294967295)) {
      problems.push({ path, value: id, allowed: "a whole number from 1 to 4294967295 (0 is root)" });
    }
  }
  const dir = props.rootDirectoryPath;
  if (dir !== undefined && !isUnresolved(dir)) {
    if (!dir.startsWith("/") || dir === "/" || /\/\/|\/\.\.?(\/|$)|\/$/.test(dir) || dir.length > 100) {
      problems.push({
        path: "rootDirectoryPath",
        value: dir,
        allowed: "an absolute path below '/' of at most 100 characters, without '.', '..', '//' or a trailing '/'",
      });
    }
  }
  const mode8 = props.rootDirectoryPermissions;
  if (mode8 !== undefined && !/^0?[0-7]{3}$/.test(mode8)) {
    problems.push({ path: "rootDirectoryPermissions", value: mode8, allowed: "octal permissions such as '0750' or '750'" });
  }
  for (const name of Object.keys(props.additionalClientSecurityGroups ?? {})) {
    if (!/^[A-Z][A-Za-z0-9]{0,63}$/.test(name) || name === "Cluster") {
      problems.push({ path: `additionalClientSecurityGroups.${name}`, value: name, allowed: "a PascalCase name other than Cluster (it keys the NFS rule's construct id)" });
    }
  }
  const subnets = props.network?.privateSubnetIds;
  if (subnets !== undefined && !isListToken(subnets) && subnets.length === 0) {
    problems.push({ path: "network.privateSubnetIds", value: subnets, allowed: "at least one private subnet for a mount target" });
  }
  return problems;
}
