import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ICluster } from "../constructs/cluster/cluster-types";
import type { INetwork } from "../constructs/network/network-types";
import { Storage } from "../constructs/storage/storage";
import { EnvironmentStack } from "./environment-stack";

/**
 * `<env>-storage`: the stateful resources (KMS keys, buckets, EFS) in a state of their own, so a plan
 * of the cluster or the add-ons can never touch them, and `prevent_destroy` guards them in production.
 */
export class StorageStack extends EnvironmentStack {
  public readonly storage: Storage;

  /**
   * @param efsClientRoleName IAM role of the EFS CSI driver; it is granted mount and write on the file
   *   system, whose policy refuses anonymous clients
   */
  constructor(scope: Construct, config: EnvironmentConfig, network: INetwork, cluster: ICluster, efsClientRoleName?: string) {
    super(scope, config, "storage");
    this.storage = new Storage(this, "Storage", {
      network,
      cluster,
      namePrefix: `${config.name}-platform`,
      // Terraform (the deploy role) creates and tags the keys, so it administers them too, without use.
      keyAdministration: { adminRoleArns: [config.iam.keyAdminRoleArn, config.iam.deployRoleArn], breakGlassRoleArn: config.iam.breakGlassRoleArn },
      preventDestroy: config.protection.preventDestroy,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      efs: config.storage.efs ? {} : false,
    });
    const efs = this.storage.efs;
    if (efs && efsClientRoleName) {
      const doc = new DataAwsIamPolicyDocument(this, "EfsClientPolicy", { statement: [efs.clientPolicyStatement] });
      new IamRolePolicy(this, "EfsCsiDriverAccess", { role: efsClientRoleName, name: `${config.name}-platform-efs-client`, policy: doc.json });
    }
  }
}
