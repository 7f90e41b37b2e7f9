export * from "./secure-bucket";
export * from "./efs-storage";
export * from "./storage";
