import { Construct } from "constructs";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../common/validation";
import { INetwork, NetworkAttributes } from "./network-types";

/** A VPC owned elsewhere, seen through {@link INetwork}. */
export class ImportedNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly vpcCidrBlock: string;
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly intraSubnetIds: string[];

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    requireProps(this, attrs, { vpcId: "the VPC id", vpcCidrBlock: "the VPC's CIDR block", availabilityZones: "the availability zone names", publicSubnetIds: "one public subnet id per availability zone", privateSubnetIds: "one private subnet id per availability zone" });
    throwIfProblems(this.node.path, validateNetworkAttributes(attrs));
    this.vpcId = attrs.vpcId;
    this.vpcCidrBlock = attrs.vpcCidrBlock;
    this.availabilityZones = [...attrs.availabilityZones];
    this.publicSubnetIds = [...attrs.publicSubnetIds];
    this.privateSubnetIds = [...attrs.privateSubnetIds];
    this.intraSubnetIds = [...(attrs.intraSubnetIds ?? [])];
  }
}

/**
 * Checks {@link NetworkAttributes}: every non-empty subnet list must follow the AZ list one to one,
 * because consumers index them together. Lists given as a single token are skipped.
 */
export function validateNetworkAttributes(attrs: NetworkAttributes): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const azs = attrs.availabilityZones;
  if (isUnresolved(azs)) return problems;
  if (azs.length === 0) problems.push({ path: "availabilityZones", value: azs, allowed: "at least one availability zone" });
  const lists: [string, string[] | undefined, boolean][] = [
    ["publicSubnetIds", attrs.publicSubnetIds, false],
    ["privateSubnetIds", attrs.privateSubnetIds, false],
    ["intraSubnetIds", attrs.intraSubnetIds, true],
  ];
  for (const [path, ids, mayBeEmpty] of lists) {
    if (ids === undefined || isUnresolved(ids) || (mayBeEmpty && ids.length === 0)) continue;
    if (ids.length !== azs.length) problems.push({ path, value: ids, allowed: `one subnet id per availability zone (${azs.length})` });
  }
  return problems;
}
