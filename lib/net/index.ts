export * from "./cidr";
export * from "./subnet-plan";
