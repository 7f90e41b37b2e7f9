export { StorageClasses, DEFAULT_CLASS_ANNOTATION, validateStorageClassesProps } from "./storage-classes";
export type { EfsStorageClassOptions, Gp3StorageClassOptions, ReclaimPolicy, StorageClassesProps } from "./storage-classes";
