export * from "./fluent-bit";
export { FLUENT_BIT_IMAGE, FLUENT_BIT_HOST_VOLUMES, FLUENT_BIT_CONTAINER_SECURITY_CONTEXT, FLUENT_BIT_ENV } from "./fluent-bit-values";
export * from "./fluent-bit-policy";
export * from "./fluent-bit-monitoring";
