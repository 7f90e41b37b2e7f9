import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { isUnresolved, throwIfProblems, ValidationProblem } from "../../common/validation";
import { isDnsSubdomain } from "../../../lib/kubernetes/names";
import type { IClusterAccess } from "../../cluster/cluster-access";

/** The annotation that makes a StorageClass the one used by claims that name none. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** What happens to a volume when its claim is deleted. */
export type ReclaimPolicy = "Delete" | "Retain";

/** Options of the EBS `gp3` class. */
export interface Gp3StorageClassOptions {
  /**
   * Name of the class.
   * @default "gp3"
   */
  readonly name?: string;
  /**
   * Customer-managed KMS key ARN for the volumes (e.g. `EksCluster.volumeKmsKeyArn`). The EBS CSI driver's
   * role needs `kms:CreateGrant` on it.
   * @default - the account's default EBS key (volumes are encrypted either way)
   */
  readonly kmsKeyId?: string;
  /**
   * `Retain` keeps the EBS volume after its claim is deleted (opt in for data that must survive a mistake).
   * @default "Delete"
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * Make this the cluster's default class.
   * @default true
   */
  readonly isDefault?: boolean;
  /**
   * Filesystem the driver formats volumes with.
   * @default "ext4"
   */
  readonly fsType?: "ext4" | "xfs";
  /**
   * Tags of every volume (and its snapshots) the driver creates for this class, e.g. the cost-allocation tags, which
   * the AWS provider's default tags never reach, or the tag an AWS Backup selection picks volumes by:
   * `tagSpecification_<n>: "<key>=<value>"` parameters, in key order.
   * @default - the driver's own tags only
   * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/tagging.md
   */
  readonly volumeTags?: Readonly<Record<string, string>>;
}

/** Options of the EFS class (dynamic provisioning through access points). */
export interface EfsStorageClassOptions {
  /** The EFS file system, `fs-…`. */
  readonly fileSystemId: string;
  /**
   * Name of the class.
   * @default "efs"
   */
  readonly name?: string;
  /**
   * Permissions of each volume's root directory; owner-only by default.
   * @default "700"
   */
  readonly directoryPerms?: string;
  /**
   * First POSIX GID handed to access points.
   * @default 50000
   */
  readonly gidRangeStart?: number;
  /**
   * Last POSIX GID handed to access points (the range bounds how many volumes can exist).
   * @default 51000
   */
  readonly gidRangeEnd?: number;
  /**
   * Directory under which volume directories are created.
   * @default "/dynamic_provisioning"
   */
  readonly basePath?: string;
  /**
   * `Retain` keeps the access point and data after the claim is deleted.
   * @default "Delete"
   */
  readonly reclaimPolicy?: ReclaimPolicy;
}

/** Props of {@link StorageClasses}. */
export interface StorageClassesProps {
  /**
   * The EBS `gp3` class.
   * @default - `gp3`, encrypted, default class, WaitForFirstConsumer, expandable, reclaim Delete
   */
  readonly gp3?: Gp3StorageClassOptions;
  /**
   * The EFS class, for ReadWriteMany volumes.
   * @default - no EFS class
   */
  readonly efs?: EfsStorageClassOptions;
  /**
   * Mark the `gp2` class that EKS creates as not default, so exactly one default class exists (with two, the
   * API server picks the newest, and older clusters' gp2 is unencrypted). Uses `kubernetes_annotations` with
   * `force`, because EKS, not Terraform, owns that object; the class itself is left in place for volumes that
   * use it. Turn off only for clusters without a `gp2` class (the annotation then fails to apply).
   * @default - true when the gp3 class is the default
   */
  readonly demoteGp2?: boolean;
  /**
   * What the classes wait for, e.g. the EBS and EFS CSI driver add-ons.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * How Terraform reaches the cluster: its Kubernetes provider creates the classes (see `ClusterAccess`).
   * @default - the stack's default Kubernetes provider
   */
  readonly access?: IClusterAccess;
}

/** The name of the encrypted gp3 StorageClass when the caller gives none. */
export const DEFAULT_GP3_STORAGE_CLASS = "gp3";

/**
 * The cluster's storage classes: an encrypted, expandable, topology-aware EBS `gp3` default, an optional
 * EFS class, and the EKS `gp2` class demoted so there is one default.
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver#storage-class-parameters-for-dynamic-provisioning
 */
export class StorageClasses extends Construct {
  public readonly gp3: StorageClassV1;
  public readonly efs?: StorageClassV1;
  public readonly gp3Name: string;
  public readonly gp3IsDefault: boolean;
  public readonly gp3ReclaimPolicy: ReclaimPolicy;
  public readonly demoteGp2: boolean;
  /** The parameters given to each driver, as rendered. */
  public readonly gp3Parameters: Readonly<Record<string, string>>;
  public readonly efsParameters?: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StorageClassesProps = {}) {
    super(scope, id);
    throwIfProblems(this.node.path, validateStorageClassesProps(props));
    const gp3 = props.gp3 ?? {};
    this.gp3Name = gp3.name ?? DEFAULT_GP3_STORAGE_CLASS;
    this.gp3IsDefault = gp3.isDefault ?? true;
    this.gp3ReclaimPolicy = gp3.reclaimPolicy ?? "Delete";
    this.demoteGp2 = props.demoteGp2 ?? this.gp3IsDefault;
    const meta = { provider: props.access?.kubernetesProvider, dependsOn: props.dependsOn };

    this.gp3Parameters = {
      type: "gp3",
      encrypted: "true",
      "csi.storage.k8s.io/fstype": gp3.fsType ?? "ext4",
      ...(gp3.kmsKeyId ? { kmsKeyId: gp3.kmsKeyId } : {}),
      ...Object.fromEntries(
        Object.keys(gp3.volumeTags ?? {})
          .sort()
          .map((key, i) => [`tagSpecification_${i + 1}`, `${key}=${gp3.volumeTags![key]}`]),
      ),
    };
    this.gp3 = new StorageClassV1(this, "Gp3", {
      ...meta,
      metadata: {
        name: this.gp3Name,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: String(this.gp3IsDefault) },
      },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { ...this.gp3Parameters },
      reclaimPolicy: this.gp3ReclaimPolicy,
      // Create the volume in the zone the pod is scheduled to, never in one it cannot reach.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });

    if (this.demoteGp2) {
      new Annotations(this, "Gp2NotDefault", {
        ...meta,
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "gp2" },
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
        force: true,
        // The new default must exist before the old one stops being default.
        dependsOn: [...(props.dependsOn ?? []), this.gp3],
      });
    }

    if (props.efs) {
      const efs = props.efs;
      this.efsParameters = {
        provisioningMode: "efs-ap",
        fileSystemId: efs.fileSystemId,
        directoryPerms: efs.directoryPerms ?? "700",
        gidRangeStart: String(efs.gidRangeStart ?? 50000),
        gidRangeEnd: String(efs.gidRangeEnd ?? 51000),
        basePath: efs.basePath ?? "/dynamic_provisioning",
      };
      this.efs = new StorageClassV1(this, "Efs", {
        ...meta,
        metadata: { name: efs.name ?? "efs" },
        storageProvisioner: "efs.csi.aws.com",
        parameters: { ...this.efsParameters },
        reclaimPolicy: efs.reclaimPolicy ?? "Delete",
        volumeBindingMode: "Immediate",
        // Encrypt NFS traffic and authenticate with the driver's IAM role: the file system policy of
        // `EfsStorage` refuses anonymous and non-TLS clients.
        mountOptions: ["tls", "iam"],
      });
    }
  }
}

const RECLAIM: readonly string[] = ["Delete", "Retain"];

/** Checks {@link StorageClassesProps} without building anything. */
export function validateStorageClassesProps(props: StorageClassesProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const gp3 = props.gp3 ?? {};
  if (gp3.name !== undefined && !isDnsSubdomain(gp3.name)) {
    problems.push({ path: "gp3.name", value: gp3.name, allowed: "a Kubernetes object name (RFC 1123 subdomain)" });
  }
  if (gp3.name === "gp2" || props.efs?.name === "gp2") {
    problems.push({ path: gp3.name === "gp2" ? "gp3.name" : "efs.name", value: "gp2", allowed: "any name but gp2 (EKS owns that class)" });
  }
  if (gp3.kmsKeyId !== undefined && !isUnresolved(gp3.kmsKeyId) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(gp3.kmsKeyId)) {
    problems.push({ path: "gp3.kmsKeyId", value: gp3.kmsKeyId, allowed: "a KMS key or alias ARN (the EBS CSI driver needs the full ARN)" });
  }
  for (const [key, value] of Object.entries(gp3.volumeTags ?? {})) {
    if (key === "" || key.includes("=") || key.length > 128 || key.toLowerCase().startsWith("aws:") || value.length > 256 || value.includes("{{")) {
      problems.push({
        path: `gp3.volumeTags.${key}`,
        value,
        allowed: "a tag key of at most 128 characters without '=' not starting with 'aws:', and a value of at most 256 without a '{{' template",
      });
    }
  }
  if (gp3.reclaimPolicy !== undefined && !RECLAIM.includes(gp3.reclaimPolicy)) {
    problems.push({ path: "gp3.reclaimPolicy", value: gp3.reclaimPolicy, allowed: RECLAIM.join(", ") });
  }
  if (props.demoteGp2 === true && gp3.isDefault === false) {
    problems.push({ path: "demoteGp2", value: true, allowed: "false when gp3.isDefault is false (the cluster would have no default class)" });
  }
  const efs = props.efs;
  if (efs) {
    if (!isUnresolved(efs.fileSystemId) && !/^fs-[0-9a-f]{8,40}$/.test(efs.fileSystemId ?? "")) {
      problems.push({ path: "efs.fileSystemId", value: efs.fileSystemId, allowed: "an EFS file system id, fs-<hex>" });
    }
    if (efs.name !== undefined && !isDnsSubdomain(efs.name)) {
      problems.push({ path: "efs.name", value: efs.name, allowed: "a Kubernetes object name (RFC 1123 subdomain)" });
    }
    if (efs.name !== undefined && efs.name === (gp3.name ?? "gp3")) {
      problems.push({ path: "efs.name", value: efs.name, allowed: "a name different from the gp3 class" });
    }
    if (efs.directoryPerms !== undefined && !/^[0-7]{3,4}$/.test(efs.directoryPerms)) {
      problems.push({ path: "efs.directoryPerms", value: efs.directoryPerms, allowed: "octal permissions such as 700 or 0750" });
    }
    const start = efs.gidRangeStart ?? 50000;
    const end = efs.gidRangeEnd ?? 51000;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end <= start) {
      problems.push({ path: "efs.gidRangeEnd", value: [start, end], allowed: "whole numbers with 1 ≤ gidRangeStart < gidRangeEnd" });
    }
    if (efs.basePath !== undefined && !/^\/[A-Za-z0-9_./-]*$/.test(efs.basePath)) {
      problems.push({ path: "efs.basePath", value: efs.basePath, allowed: "an absolute path such as /dynamic_provisioning" });
    }
    if (efs.reclaimPolicy !== undefined && !RECLAIM.includes(efs.reclaimPolicy)) {
      problems.push({ path: "efs.reclaimPolicy", value: efs.reclaimPolicy, allowed: RECLAIM.join(", ") });
    }
  }
  return problems;
}
