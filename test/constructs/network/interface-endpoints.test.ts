import { interfaceEndpointId, isInterfaceEndpointService, INTERFACE_ENDPOINT_SERVICES } from "../../../constructs/network";

describe("interface endpoints", () => {
  test.each([
    ["ecr.api", "EcrApiEndpoint"],
    ["ecr.dkr", "EcrDkrEndpoint"],
    ["sts", "StsEndpoint"],
    ["eks-auth", "EksAuthEndpoint"],
    ["elasticloadbalancing", "ElasticloadbalancingEndpoint"],
  ] as const)("%s gets the construct id %s", (service, id) => {
    expect(interfaceEndpointId(service)).toBe(id);
  });

  test("every service gets a distinct id", () => {
    const ids = INTERFACE_ENDPOINT_SERVICES.map(interfaceEndpointId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("recognises only listed services", () => {
    expect(isInterfaceEndpointService("sts")).toBe(true);
    expect(isInterfaceEndpointService("s3")).toBe(false);
  });
});
