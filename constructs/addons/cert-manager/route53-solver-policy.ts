import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { acmeChallengeRecordNames, hostedZoneArn } from "../../../lib/aws/route53";

/** A Route 53 hosted zone the ACME DNS-01 solver answers challenges in. */
export interface Route53HostedZone {
  /** Hosted zone id, without `/hostedzone/`. */
  readonly zoneId: string;
  /** The zone's domain (lowercase, no trailing dot); certificates for it and its subdomains are solved in this zone. */
  readonly domain: string;
}

/**
 * What cert-manager's Route 53 DNS-01 solver calls, and nothing else: `ChangeResourceRecordSets` to write and delete the
 * `_acme-challenge` TXT record, then `GetChange` until the change is `INSYNC`. Every solver names its zone
 * (`hostedZoneID`), so the solver never calls `ListHostedZonesByName` (it looks a zone up only when none is given),
 * and it never calls `ListResourceRecordSets`; neither is granted.
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export function route53SolverStatements(partition: string, zones: readonly Route53HostedZone[]): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "WriteAcmeChallengeRecordsOnly",
      actions: ["route53:ChangeResourceRecordSets"],
      resources: zones.map((z) => hostedZoneArn(partition, z.zoneId)),
      // ForAllValues: every change in the batch must be a TXT record named `_acme-challenge.…` of a configured domain,
      // created or deleted by UPSERT/DELETE, so the role can never redirect a name the platform serves.
      condition: [
        { test: "ForAllValues:StringEquals", variable: "route53:ChangeResourceRecordSetsRecordTypes", values: ["TXT"] },
        { test: "ForAllValues:StringEquals", variable: "route53:ChangeResourceRecordSetsActions", values: ["UPSERT", "DELETE"] },
        { test: "ForAllValues:StringLike", variable: "route53:ChangeResourceRecordSetsNormalizedRecordNames", values: zones.flatMap((z) => acmeChallengeRecordNames(z.domain)) },
      ],
    },
    {
      // Change ids are not known in advance and GetChange takes no condition keys: `change/*` is the narrowest resource.
      sid: "WatchOwnChangesPropagate",
      actions: ["route53:GetChange"],
      resources: [`arn:${partition}:route53:::change/*`],
    },
  ];
}
