import { Construct } from "constructs";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { ClusterStack } from "./cluster-stack";
import { NetworkStack } from "./network-stack";
import { PlatformStack } from "./platform-stack";
import { StorageStack } from "./storage-stack";

/** The stacks of one environment, in deployment order. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly storage: StorageStack;
  readonly platform: PlatformStack;
}

/**
 * Builds `<env>-network`, `<env>-cluster`, `<env>-storage` and `<env>-platform`. Values cross stacks only as
 * cdktf cross-stack references (outputs and remote state that cdktf writes), which also tell
 * `cdktf deploy '<env>-*'` the order.
 */
export function buildEnvironment(scope: Construct, config: EnvironmentConfig): EnvironmentStacks {
  const network = new NetworkStack(scope, config);
  const cluster = new ClusterStack(scope, config, network.network);
  const efsRoles = cluster.cluster.managedAddons.efsCsiRoles;
  const efsCsiRoleNames = efsRoles ? { controller: efsRoles.controller.role.name, node: efsRoles.node.role.name } : undefined;
  const storage = new StorageStack(scope, config, network.network, cluster.cluster, efsCsiRoleNames);
  const platform = new PlatformStack(scope, config, {
    cluster: cluster.cluster,
    nodeRoleArn: cluster.cluster.nodeRoleArn,
    volumeKmsKeyArn: cluster.cluster.volumeKmsKeyArn,
    efsFileSystemId: storage.storage.efs?.fileSystemId,
  });
  platform.addDependency(storage);
  return { network, cluster, storage, platform };
}
