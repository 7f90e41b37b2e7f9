/**
 * The list prices `sre-platform cost` estimates with: US dollars, on-demand, Linux, shared tenancy, no free tier, no
 * Savings Plan, Reserved Instance or negotiated discount, and no tax.
 *
 * Source: the AWS public pricing pages of Amazon EC2 (On-Demand), Amazon VPC (NAT gateway, PrivateLink interface
 * endpoints, public IPv4 addresses), Amazon EKS (standard support), Elastic Load Balancing (Network Load Balancer),
 * Amazon EBS (gp3), Amazon EFS (Standard), Amazon S3 (Standard) and AWS KMS, as known on {@link PRICE_DATE}, entered
 * by hand. Prices change and differ by region: the result is an estimate for sizing and budgeting, not a quote.
 * Check the AWS Pricing Calculator (or the Price List API) before committing a budget, and update this file, with
 * its date, when AWS changes a price.
 */

/** When the prices below were taken. */
export const PRICE_DATE = "2026-12-08";

/** Where the prices below come from. */
export const PRICE_SOURCE = "AWS public on-demand list prices (EC2, VPC, EKS, ELB, EBS, EFS, S3, KMS pricing pages), entered by hand";

/** Hours in AWS's billing month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** One region's prices. */
export interface RegionPrices {
  /** EC2 instance, USD per hour, by instance type. */
  readonly instanceHour: Readonly<Record<string, number>>;
  /** NAT gateway, USD per hour (data processed is extra, per GB). */
  readonly natGatewayHour: number;
  /** A public IPv4 address (the NAT gateways' Elastic IPs), USD per hour. */
  readonly publicIpv4Hour: number;
  /** An interface VPC endpoint, USD per hour in each AZ (data processed is extra). */
  readonly interfaceEndpointAzHour: number;
  /** An EKS cluster in standard support, USD per hour. */
  readonly eksClusterHour: number;
  /** A Network Load Balancer, USD per hour (capacity units are extra). */
  readonly networkLoadBalancerHour: number;
  /** EBS gp3 storage, USD per GB-month (baseline IOPS and throughput included). */
  readonly gp3GbMonth: number;
  /** EFS Standard storage, USD per GB-month. */
  readonly efsStandardGbMonth: number;
  /** S3 Standard storage, first 50 TB, USD per GB-month. */
  readonly s3StandardGbMonth: number;
  /** A customer-managed KMS key, USD per month (requests are extra). */
  readonly kmsKeyMonth: number;
}

/** Prices by region; a region missing here gets the sizing without an estimate. */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": {
    instanceHour: {
      "t3.large": 0.0832,
      "t3a.large": 0.0752,
      "m6a.large": 0.0864,
      "m6a.xlarge": 0.1728,
      "m6i.large": 0.096,
      "m6i.xlarge": 0.192,
      "m7a.large": 0.11592,
      "m7a.xlarge": 0.23184,
      "m7i.large": 0.1008,
      "m7i.xlarge": 0.2016,
    },
    natGatewayHour: 0.045,
    publicIpv4Hour: 0.005,
    interfaceEndpointAzHour: 0.01,
    eksClusterHour: 0.1,
    networkLoadBalancerHour: 0.0225,
    gp3GbMonth: 0.08,
    efsStandardGbMonth: 0.3,
    s3StandardGbMonth: 0.023,
    kmsKeyMonth: 1,
  },
  "eu-west-1": {
    instanceHour: {
      "t3.large": 0.0912,
      "t3a.large": 0.0816,
      "m6a.large": 0.0963,
      "m6a.xlarge": 0.1926,
      "m6i.large": 0.107,
      "m6i.xlarge": 0.214,
      "m7a.large": 0.1292,
      "m7a.xlarge": 0.2584,
      "m7i.large": 0.1124,
      "m7i.xlarge": 0.2248,
    },
    natGatewayHour: 0.048,
    publicIpv4Hour: 0.005,
    interfaceEndpointAzHour: 0.011,
    eksClusterHour: 0.1,
    networkLoadBalancerHour: 0.0252,
    gp3GbMonth: 0.088,
    efsStandardGbMonth: 0.33,
    s3StandardGbMonth: 0.023,
    kmsKeyMonth: 1,
  },
};

/** vCPUs of an instance size in the general-purpose and burstable families priced here. */
const VCPUS_BY_SIZE: Readonly<Record<string, number>> = { medium: 1, large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32 };

/** vCPUs of an instance type (`m7i.xlarge` → 4), or undefined for a size not listed. */
export function vcpusOf(instanceType: string): number | undefined {
  return VCPUS_BY_SIZE[instanceType.split(".")[1] ?? ""];
}
