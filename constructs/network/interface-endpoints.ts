export { INTERFACE_ENDPOINT_SERVICES } from "../../lib/aws/interface-endpoints";
export type { InterfaceEndpointService } from "../../lib/aws/interface-endpoints";
import { INTERFACE_ENDPOINT_SERVICES, InterfaceEndpointService } from "../../lib/aws/interface-endpoints";

/** True when `name` is a supported interface endpoint service. */
export function isInterfaceEndpointService(name: string): name is InterfaceEndpointService {
  return (INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(name);
}

/**
 * The construct id of a service's endpoint: `ecr.api` → `EcrApiEndpoint`. Derived from the service name
 * alone, so adding or removing another endpoint never moves this one's Terraform address.
 */
export function interfaceEndpointId(service: InterfaceEndpointService): string {
  return `${service
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}Endpoint`;
}
