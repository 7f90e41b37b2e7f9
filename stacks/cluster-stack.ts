import { Construct } from "constructs";
import type { KubernetesVersion } from "../lib/eks/versions";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { EbsDefaultEncryption } from "../constructs/cluster/ebs-default-encryption";
import { EksCluster } from "../constructs/cluster/eks-cluster";
import type { INetwork } from "../constructs/network/network-types";
import { EnvironmentStack } from "./environment-stack";
import { teamAccessEntries } from "./namespace-specs";

/**
 * `<env>-cluster`: the EKS control plane, its managed add-ons and node groups, and EBS encryption by default
 * with the cluster's volume key for the environment's account and region.
 */
export class ClusterStack extends EnvironmentStack {
  public readonly cluster: EksCluster;
  public readonly ebsDefaultEncryption: EbsDefaultEncryption;

  constructor(scope: Construct, config: EnvironmentConfig, network: INetwork) {
    super(scope, config, "cluster");
    this.cluster = new EksCluster(this, "Cluster", {
      network,
      clusterName: config.cluster.name,
      // validateEnvironments() refused any other version before a stack was built.
      kubernetesVersion: config.cluster.kubernetesVersion as KubernetesVersion,
      publicAccessCidrs: config.cluster.publicAccessCidrs,
      privateAccessCidrs: config.cluster.privateAccessCidrs.length > 0 ? config.cluster.privateAccessCidrs : undefined,
      addonVersions: config.cluster.addonVersions,
      deployRoleArn: config.iam.deployRoleArn,
      breakGlassRoleArn: config.iam.breakGlassRoleArn,
      // People's entries, then the teams' (view, or view plus the team's deploy group), each keyed by its role.
      accessEntries: [...config.cluster.access.map((a) => ({ principalArn: a.roleArn, accessPolicy: a.policy, namespaces: a.namespaces })), ...teamAccessEntries(config)],
      logRetentionDays: config.cluster.logRetentionDays,
      deletionProtection: config.cluster.deletionProtection,
      preventDestroy: config.protection.preventDestroy,
      enableEfsCsiDriver: config.storage.efs,
      nodeGroups: config.cluster.nodeGroups,
      // What EC2 launches for the node groups carries the environment's tags (cost allocation), as the resources do.
      launchedResourceTags: { ...config.tags },
    });
    // The account belongs to this environment, so its region-wide EBS default is this cluster's volume key.
    this.ebsDefaultEncryption = new EbsDefaultEncryption(this, "EbsDefaultEncryption", { kmsKeyArn: this.cluster.volumeKmsKeyArn });
  }
}
