export * from "./falco";
export { PLATFORM_RULES_FILE, FALCO_LEAST_PRIVILEGED_CAPABILITIES, CRI_SOCKET } from "./falco-values";
export * from "./falco-monitoring";
