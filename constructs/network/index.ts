export * from "./interface-endpoints";
export * from "./network";
export { validateNetworkAttributes } from "./imported-network";
export * from "./network-types";
export * from "./vpc-flow-log";
