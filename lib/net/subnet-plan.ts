import { Cidr, cidrSize, formatCidr, parseCidr } from "./cidr";

/**
 * What to carve out of a VPC. `*NewBits` are added to the VPC's prefix length, as in Terraform's
 * `cidrsubnet()`: in a `/16`, `privateNewBits: 3` gives `/19` subnets.
 */
export interface SubnetPlanInput {
  /** Primary IPv4 CIDR of the VPC, `/16` to `/28` (the sizes AWS allows). */
  readonly vpcCidr: string;
  /** Number of availability zones, one subnet per tier in each. */
  readonly azCount: number;
  /**
   * Subnet slots reserved per tier, from `azCount` to 6. Each tier is laid out as if there were this many
   * AZs, so raising `azCount` later adds subnets without moving any existing one (moving a subnet means
   * destroying it, which fails while nodes or load balancers use it).
   * @default 6 - room for every AZ a region can have
   */
  readonly azSlots?: number;
  /**
   * Bits added to the VPC prefix for each public subnet (load balancers and NAT gateways only).
   * @default 6 - `/22` (1,024 addresses) in a `/16`
   */
  readonly publicNewBits?: number;
  /**
   * Bits added to the VPC prefix for each private subnet. These are the largest subnets because the
   * Amazon VPC CNI gives every pod an address from the node's subnet.
   * @default 3 - `/19` (8,192 addresses) in a `/16`
   */
  readonly privateNewBits?: number;
  /**
   * Bits added to the VPC prefix for each intra subnet (no route to the internet: EKS control-plane
   * ENIs, databases).
   * @default 6 - `/22` in a `/16`
   */
  readonly intraNewBits?: number;
  /**
   * Whether to carve intra subnets at all.
   * @default true
   */
  readonly intraSubnets?: boolean;
}

/** Subnet CIDRs per tier, index `i` in each list belongs to availability zone `i`. */
export interface SubnetPlan {
  readonly public: string[];
  readonly private: string[];
  /** Empty when `intraSubnets` is false. */
  readonly intra: string[];
}

/** The defaults {@link planSubnets} uses; with them every VPC from `/16` to `/22` fits six AZ slots. */
export const SUBNET_PLAN_DEFAULTS = {
  azSlots: 6,
  publicNewBits: 6,
  privateNewBits: 3,
  intraNewBits: 6,
  intraSubnets: true,
} as const;

/**
 * Availability zones per plan. One is allowed for cheap test networks (EKS itself needs subnets in at
 * least two AZs, which the cluster checks); six is the most any AWS region has (us-east-1).
 */
export const MIN_AZ_COUNT = 1;
export const MAX_AZ_COUNT = 6;
/** AWS accepts VPC and subnet IPv4 blocks from `/16` to `/28`. */
export const MIN_AWS_PREFIX = 16;
export const MAX_AWS_PREFIX = 28;

/** A subnet plan input that cannot be planned; `field` names the input field to change. */
export class SubnetPlanError extends Error {
  constructor(
    /** The offending field of {@link SubnetPlanInput}, e.g. `privateNewBits`. */
    public readonly field: keyof SubnetPlanInput,
    /** What was given. */
    public readonly value: unknown,
    /** What is allowed instead. */
    public readonly allowed: string,
  ) {
    super(`${field}: got ${JSON.stringify(value) ?? String(value)}; allowed: ${allowed}`);
    this.name = "SubnetPlanError";
  }
}

type Tier = "private" | "public" | "intra";
/** Carve order: largest blocks first, so aligning each block to its size leaves no gaps. */
const TIERS: readonly { tier: Tier; field: "privateNewBits" | "publicNewBits" | "intraNewBits" }[] = [
  { tier: "private", field: "privateNewBits" },
  { tier: "public", field: "publicNewBits" },
  { tier: "intra", field: "intraNewBits" },
];

/**
 * Every problem of a subnet plan input (empty when {@link planSubnets} would succeed), so configuration
 * validation can report them all at once.
 */
export function subnetPlanProblems(input: SubnetPlanInput): SubnetPlanError[] {
  return carve(input).problems;
}

/**
 * Carves one subnet per AZ and tier out of the VPC, deterministically: `azSlots` private blocks first,
 * then `azSlots` public, then `azSlots` intra, each tier starting at the next address aligned to its
 * block size; AZ `i` gets slot `i` of each tier. The same input always gives the same CIDRs, and raising
 * `azCount` up to `azSlots` or turning intra subnets on never moves an existing subnet.
 * @throws SubnetPlanError naming the first field to change
 */
export function planSubnets(input: SubnetPlanInput): SubnetPlan {
  const { plan, problems } = carve(input);
  if (problems.length > 0 || !plan) throw problems[0];
  return plan;
}

function carve(input: SubnetPlanInput): { plan?: SubnetPlan; problems: SubnetPlanError[] } {
  const problems: SubnetPlanError[] = [];
  let vpc: Cidr | undefined;
  try {
    vpc = parseCidr(input.vpcCidr);
  } catch (e) {
    problems.push(new SubnetPlanError("vpcCidr", input.vpcCidr, `an IPv4 CIDR block from /${MIN_AWS_PREFIX} to /${MAX_AWS_PREFIX} (${(e as Error).message})`));
  }
  if (vpc && (vpc.prefix < MIN_AWS_PREFIX || vpc.prefix > MAX_AWS_PREFIX)) {
    problems.push(new SubnetPlanError("vpcCidr", input.vpcCidr, `a prefix length from /${MIN_AWS_PREFIX} to /${MAX_AWS_PREFIX} (the VPC sizes AWS allows)`));
    vpc = undefined;
  }
  const azCount = input.azCount;
  if (!Number.isInteger(azCount) || azCount < MIN_AZ_COUNT || azCount > MAX_AZ_COUNT) {
    problems.push(new SubnetPlanError("azCount", azCount, `a whole number from ${MIN_AZ_COUNT} to ${MAX_AZ_COUNT}`));
  }
  const azSlots = input.azSlots ?? Math.max(SUBNET_PLAN_DEFAULTS.azSlots, Number.isInteger(azCount) ? azCount : 0);
  if (input.azSlots !== undefined && (!Number.isInteger(azSlots) || azSlots > MAX_AZ_COUNT || azSlots < Math.max(MIN_AZ_COUNT, azCount))) {
    problems.push(new SubnetPlanError("azSlots", input.azSlots, `a whole number from azCount (${azCount}) to ${MAX_AZ_COUNT}`));
  }
  const intraSubnets = input.intraSubnets ?? SUBNET_PLAN_DEFAULTS.intraSubnets;
  const tiers = TIERS.filter((t) => t.tier !== "intra" || intraSubnets);
  const bits: Partial<Record<Tier, number>> = {};
  for (const { tier, field } of tiers) {
    const value = input[field] ?? SUBNET_PLAN_DEFAULTS[field];
    const maxBits = vpc ? MAX_AWS_PREFIX - vpc.prefix : MAX_AWS_PREFIX - MIN_AWS_PREFIX;
    if (!Number.isInteger(value) || value < 1 || value > maxBits) {
      const where = vpc ? `, so that subnets of ${vpc.text} are at most /${MAX_AWS_PREFIX} (the smallest subnet AWS allows)` : "";
      problems.push(new SubnetPlanError(field, value, `a whole number from 1 to ${Math.max(1, maxBits)}${where}`));
    } else {
      bits[tier] = value;
    }
  }
  if (!vpc || problems.length > 0) return { problems };

  const end = vpc.network + cidrSize(vpc);
  const plan: { public: string[]; private: string[]; intra: string[] } = { public: [], private: [], intra: [] };
  let cursor = vpc.network;
  for (const { tier, field } of tiers) {
    const prefix = vpc.prefix + (bits[tier] as number);
    const size = 2 ** (32 - prefix);
    const base = Math.ceil(cursor / size) * size;
    cursor = base + azSlots * size;
    if (cursor > end) {
      const need = describe(vpc, bits, tiers, azSlots);
      return {
        problems: [
          new SubnetPlanError(field, bits[tier], `a larger value: ${need} (slots for ${azSlots} AZs) do not fit the ${cidrSize(vpc)} addresses of ${vpc.text} (or a larger vpcCidr, or fewer azSlots)`),
        ],
      };
    }
    for (let az = 0; az < azCount; az++) plan[tier].push(formatCidr(base + az * size, prefix));
  }
  return { plan, problems: [] };
}

function describe(vpc: Cidr, bits: Partial<Record<Tier, number>>, tiers: typeof TIERS, azCount: number): string {
  return tiers.map(({ tier }) => `${azCount} ${tier} /${vpc.prefix + (bits[tier] as number)}`).join(", ");
}
