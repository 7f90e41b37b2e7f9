import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster } from "../../../constructs/cluster/eks-cluster";
import { EksClusterProps } from "../../../constructs/cluster/eks-cluster-props";
import { fakeNetwork } from "../../support/fakes";

/** A plain-object network: the cluster must need nothing but the interface. */
export { fakeNetwork };

/** Smallest valid props; tests override one field at a time. */
export function baseProps(overrides: Partial<EksClusterProps> = {}): EksClusterProps {
  return {
    network: fakeNetwork(),
    clusterName: "dev-platform",
    kubernetesVersion: "1.33",
    nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4 }],
    deployRoleArn: "arn:aws:iam::111122223333:role/platform-admins",
    ...overrides,
  };
}

type Resources = Record<string, Record<string, Record<string, any>>>;

export interface Synthesized {
  readonly cluster: EksCluster;
  readonly json: string;
  readonly parsed: { resource: Resources; data: Resources; output?: Record<string, { value: unknown }> };
}

/** Synthesizes one cluster; `extra` may add outputs or consumers to the stack before the synth. */
export function synth(overrides: Partial<EksClusterProps> = {}, extra?: (stack: TerraformStack, cluster: EksCluster) => void): Synthesized {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const cluster = new EksCluster(stack, "Eks", baseProps(overrides));
  extra?.(stack, cluster);
  const json = Testing.synth(stack);
  return { cluster, json, parsed: JSON.parse(json) };
}

/** All resources (or data sources) of one type, keyed by their logical id. */
export function all(parsed: Synthesized["parsed"], type: string, kind: "resource" | "data" = "resource"): Record<string, any> {
  return parsed[kind]?.[type] ?? {};
}

/** The only resource of a type; fails the test when there are several or none. */
export function only(parsed: Synthesized["parsed"], type: string): any {
  const values = Object.values(all(parsed, type));
  if (values.length !== 1) throw new Error(`expected exactly one ${type}, found ${values.length}`);
  return values[0];
}

/** The resource of a type whose logical id contains the given fragment (construct ids end up in it). */
export function byId(parsed: Synthesized["parsed"], type: string, fragment: string, kind: "resource" | "data" = "resource"): any {
  const matches = Object.entries(all(parsed, type, kind)).filter(([id]) => id.includes(fragment));
  if (matches.length !== 1) throw new Error(`expected one ${type} with id containing ${fragment}, found ${matches.map(([id]) => id).join(", ") || "none"}`);
  return matches[0]![1];
}
