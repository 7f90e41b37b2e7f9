import { Fn, Token } from "cdktf";
import { isUnresolved } from "./validation";

/** Partition, region and account of a cluster, for building ARNs in the same place as the cluster. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * Reads partition, region and account from the cluster ARN (`arn:<partition>:eks:<region>:<account>:cluster/<name>`)
 * instead of the provider's data sources, so IAM statements are scoped to where the cluster really is.
 * A known ARN is split at synth time (readable plans and tests); a cross-stack token is split by Terraform.
 */
export function arnContext(clusterArn: string): ArnContext {
  if (!isUnresolved(clusterArn)) {
    const [, partition, , region, account] = clusterArn.split(":");
    return { partition, region, account };
  }
  const part = (i: number) => Token.asString(Fn.element(Fn.split(":", clusterArn), i));
  return { partition: part(1), region: part(3), account: part(4) };
}
