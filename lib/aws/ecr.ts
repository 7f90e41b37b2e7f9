/**
 * Amazon ECR registry hosts: one per account and region.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
 */

/** A private ECR registry host (optionally followed by a repository path): the account is group 1, the region group 2. */
export const ECR_REGISTRY = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?(?:\/|$)/;

/** The private ECR registry host of an account in a region, e.g. `111111111111.dkr.ecr.eu-west-1.amazonaws.com`. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/** The account of a private ECR registry entry, or undefined for any other registry. */
export function ecrRegistryAccount(registry: string): string | undefined {
  return ECR_REGISTRY.exec(registry)?.[1];
}
