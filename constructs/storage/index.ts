export * from "./secure-bucket";
export * from "./efs-storage";
