import type { AddonDescriptor } from "../registry/addon-descriptor";
import { StorageClasses } from "./storage-classes";
import { AWS_BACKUP_VOLUME_TAG } from "../../../lib/backup/backup-plan";

/**
 * The encrypted gp3 (default) and EFS StorageClasses, with the reclaim policy of `storage.reclaimPolicy`; gp3 volumes
 * carry `backup=true` where the environment has an AWS Backup plan (`backup.awsBackup`), which selects them by it.
 */
export const storageClassesAddon: AddonDescriptor<StorageClasses> = {
  name: "storage-classes",
  layer: "platform",
  summary: "encrypted gp3 (default) and EFS (TLS and IAM mounts) StorageClasses",
  configPath: "storage",
  namespaces: [],
  images: [],
  registries: [],
  enabled: () => true,
  build: (ctx) => {
    const reclaimPolicy = ctx.config.storage.reclaimPolicy;
    return new StorageClasses(ctx.scope, "StorageClasses", {
      // Volumes the driver creates carry the environment's tags (cost allocation), as the Terraform resources do, and the
      // tag AWS Backup's plan selects volumes by (backup.awsBackup).
      gp3: {
        kmsKeyId: ctx.lower.volumeKmsKeyArn,
        reclaimPolicy,
        volumeTags: { ...ctx.config.tags, ...(ctx.config.backup ? { [AWS_BACKUP_VOLUME_TAG.key]: AWS_BACKUP_VOLUME_TAG.value } : {}) },
      },
      efs: ctx.lower.efsFileSystemId ? { fileSystemId: ctx.lower.efsFileSystemId, reclaimPolicy } : undefined,
      access: ctx.access,
    });
  },
};
