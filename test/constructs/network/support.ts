import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network, NetworkProps } from "../../../constructs/network";

/** Shared by the Network test files: one Network in a fresh stack, and lookups by construct id. */
export const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
export type Resources = Record<string, Record<string, Record<string, any>>>;

export function synth(overrides: Partial<NetworkProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const net = new Network(stack, "Network", { vpcCidr: "10.0.0.0/16", availabilityZones: AZS, ...overrides });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json) as { resource: Resources; data: Resources };
  return { net, json, resources: parsed.resource, data: parsed.data };
}

/** The resource of `type` whose construct id is `id` (logical ids are `Network_<id>_<hash>`). */
export function byId(resources: Resources, type: string, id: string): Record<string, any> {
  const entry = Object.entries(resources[type] ?? {}).find(([key]) => key.startsWith(`Network_${id}_`));
  if (!entry) throw new Error(`no ${type} with id ${id}`);
  return entry[1];
}
export const all = (resources: Resources, type: string) => Object.values(resources[type] ?? {});
/** The Terraform reference to a resource's attribute, e.g. `${aws_subnet.Network_PublicSubnet0_X.id}`. */
export function ref(resources: Resources, type: string, id: string, attr = "id"): string {
  const key = Object.keys(resources[type] ?? {}).find((k) => k.startsWith(`Network_${id}_`));
  return `\${${type}.${key}.${attr}}`;
}
