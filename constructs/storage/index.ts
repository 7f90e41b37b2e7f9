export { SecureBucket, validateSecureBucketProps } from "./secure-bucket";
export type { SecureBucketProps, BucketEncryption, IEncryptionKey, IAccessLogsBucket } from "./secure-bucket";
export { EfsStorage, EFS_TRANSITION_AGES, validateEfsStorageProps } from "./efs-storage";
export type { EfsStorageProps, EfsStorageOptions, EfsThroughputMode, EfsTransitionAge } from "./efs-storage";
export { Storage, validateStorageProps } from "./storage";
export type { StorageProps } from "./storage";
