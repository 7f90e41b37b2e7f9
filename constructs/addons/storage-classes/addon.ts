import type { AddonDescriptor } from "../registry/addon-descriptor";
import { StorageClasses } from "./storage-classes";

/** The encrypted gp3 (default) and EFS StorageClasses, with the reclaim policy of `storage.reclaimPolicy`. */
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
      // Volumes the driver creates carry the environment's tags (cost allocation), as the Terraform resources do.
      gp3: { kmsKeyId: ctx.lower.volumeKmsKeyArn, reclaimPolicy, volumeTags: { ...ctx.config.tags } },
      efs: ctx.lower.efsFileSystemId ? { fileSystemId: ctx.lower.efsFileSystemId, reclaimPolicy } : undefined,
      access: ctx.access,
    });
  },
};
