/**
 * Route 53 shapes shared by the configuration schema and the constructs that scope IAM to hosted zones.
 */

/** A hosted zone id as the API returns it without its `/hostedzone/` prefix: `Z` and up to 31 uppercase letters or digits. */
export const ROUTE53_HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
export const ROUTE53_HOSTED_ZONE_ID_RULE = "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)";

/** A DNS zone name as Route 53 normalizes it for IAM conditions: lowercase, at least two labels, no trailing dot. */
const DNS_ZONE_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const DNS_ZONE_NAME_RULE = "a lowercase DNS zone name such as example.com (at least two labels, no trailing dot, no wildcard)";

/** True for a DNS zone name Route 53 would match in an IAM condition (see {@link DNS_ZONE_NAME_RULE}). */
export function isDnsZoneName(name: string): boolean {
  return DNS_ZONE_NAME.test(name);
}

/** The ARN of a hosted zone (global: no region, no account). */
export function hostedZoneArn(partition: string, zoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${zoneId}`;
}

/** Record names that ACME DNS-01 writes (`_acme-challenge.<name>`), in Route 53's normalized form for IAM conditions. */
export function acmeChallengeRecordNames(zone: string): string[] {
  return [`_acme-challenge.${zone}`, `_acme-challenge.*.${zone}`];
}
