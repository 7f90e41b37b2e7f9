import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import type { INetwork } from "../constructs/network/network-types";
import { Storage } from "../constructs/storage/storage";
import { AwsBackup } from "../constructs/storage/aws-backup";
import { drNames } from "../lib/backup/restore-drill";
import { EnvironmentStack } from "./environment-stack";

/** Names of the EFS CSI driver's two roles (controller and node), from the cluster stack. */
export interface EfsCsiRoleNames {
  readonly controller: string;
  readonly node: string;
}

/**
 * `<env>-storage`: the stateful resources (KMS keys, buckets, EFS) in a state of their own, so a plan
 * of the cluster or the add-ons can never touch them, and `prevent_destroy` guards them in production.
 */
export class StorageStack extends EnvironmentStack {
  public readonly storage: Storage;
  /** AWS Backup of the EFS file system and tagged EBS volumes, where the environment has `backup`. */
  public readonly awsBackup?: AwsBackup;

  /**
   * @param efsCsiRoleNames IAM roles of the EFS CSI driver: the node role is granted mount and write through
   *   access points of this file system, the controller role access point management on it alone
   */
  constructor(scope: Construct, config: EnvironmentConfig, network: INetwork, cluster: ICluster, efsCsiRoleNames?: EfsCsiRoleNames) {
    super(scope, config, "storage");
    this.storage = new Storage(this, "Storage", {
      network,
      cluster,
      namePrefix: drNames(config).prefix,
      // Terraform (the deploy role) creates and tags the keys, so it administers them too, without use.
      keyAdministration: { adminRoleArns: [config.iam.keyAdminRoleArn, config.iam.deployRoleArn], breakGlassRoleArn: config.iam.breakGlassRoleArn },
      preventDestroy: config.protection.preventDestroy,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      efs: config.storage.efs ? {} : false,
      // Tempo's backend, where the environment traces (observability.tracing).
      traces: config.observability.tracing?.enabled ? { retentionDays: config.observability.tracing.retentionDays } : false,
      backupsObjectLock: config.backup?.bucket?.objectLock,
      backupsReplica: config.backup?.bucket?.replicaRegion ? { provider: this.providerIn(config.backup.bucket.replicaRegion), region: config.backup.bucket.replicaRegion } : undefined,
    });
    const backup = config.backup?.awsBackup;
    if (backup) {
      const copy = backup.offRegionCopy;
      this.awsBackup = new AwsBackup(this, "AwsBackup", {
        namePrefix: drNames(config).prefix,
        keyAdministration: { adminRoleArns: [config.iam.keyAdminRoleArn, config.iam.deployRoleArn], breakGlassRoleArn: config.iam.breakGlassRoleArn },
        cron: backup.cron,
        retentionDays: backup.retentionDays,
        coldStorageAfterDays: backup.coldStorageAfterDays,
        efsFileSystemArn: this.storage.efs?.fileSystemArn,
        offRegionCopy: copy ? { provider: this.providerIn(copy.region), region: copy.region, retentionDays: copy.retentionDays } : undefined,
        vaultLock: backup.vaultLock,
        notifyEmails: backup.notifyEmails,
        preventDestroy: config.protection.preventDestroy,
      });
    }
    const efs = this.storage.efs;
    if (efs && efsCsiRoleNames) {
      const nodeDoc = new DataAwsIamPolicyDocument(this, "EfsClientPolicy", { statement: [efs.clientPolicyStatement] });
      new IamRolePolicy(this, "EfsCsiNodeAccess", { role: efsCsiRoleNames.node, name: `${config.name}-platform-efs-client`, policy: nodeDoc.json });
      const controllerDoc = new DataAwsIamPolicyDocument(this, "EfsAccessPointPolicy", { statement: [...efs.accessPointManagementStatements] });
      new IamRolePolicy(this, "EfsCsiControllerAccess", { role: efsCsiRoleNames.controller, name: `${config.name}-platform-efs-access-points`, policy: controllerDoc.json });
    }
  }
}
